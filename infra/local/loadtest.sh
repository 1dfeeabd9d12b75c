#!/usr/bin/env bash
# The submission load benchmark of issue #6, end to end: builds the local
# stack, starts it as its own process on a fresh data directory, drives
# POST /v1/applications at RATE per second for DURATION over loopback HTTP
# from a second process, prints the load generator's JSON summary (with the
# server's RSS) and the server's CPU seconds, and stops the stack.
#
#   RATE=200 DURATION=30s PROFILE=instant bash infra/local/loadtest.sh
#
# Both processes share the machine's cores; compare runs made back to back.
set -euo pipefail
RATE=${RATE:-200}
DURATION=${DURATION:-30s}
PROFILE=${PROFILE:-instant}
ADDR=${ADDR:-127.0.0.1:18080}

work=$(mktemp -d)
server=
cleanup() {
	if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
		kill -INT "$server"
		wait "$server" || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/kaiban-local" ./infra/local
"$work/kaiban-local" --addr "$ADDR" --data "$work/data" --agency-profile "$PROFILE" --log-level warn >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
	curl -fsS "http://$ADDR/healthz" >/dev/null 2>&1 && break
	kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
	sleep 0.1
done
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(cpu)
"$work/kaiban-local" load --url "http://$ADDR" --rate "$RATE" --duration "$DURATION" --pid "$server"
after=$(cpu)
echo "server CPU during the run: $(( (after - before) / $(getconf CLK_TCK) )) s (agency profile $PROFILE)" >&2
