#!/usr/bin/env bash
# The submission load benchmark of issue #6, end to end: builds the local
# stack, starts it as its own process on a fresh data directory, drives
# POST /v1/applications at RATE per second for DURATION over loopback HTTP
# from a second process, prints the load generator's JSON summary (with the
# server's RSS) and the server's CPU seconds, and stops the stack.
#
#   RATE=200 DURATION=30s PROFILE=instant bash infra/local/loadtest.sh
#
# Each accepted submission also sends every founder their confirmation
# link (to the outbox) before it answers, so the figure is the submission
# as the founders' day begins; registration then waits for signatures, so
# this measures submissions only. For time to COMPLETED, run the load
# command with --poll, which signs for the founders through the links in
# /dev/outbox first (EXTRA="--poll --applicants 50" replaces the rate).
#
# Both processes share the machine's cores; compare runs made back to back.
set -euo pipefail
RATE=${RATE:-200}
DURATION=${DURATION:-30s}
PROFILE=${PROFILE:-instant}
# Port 0 by default: the stack binds a free port itself and prints its URL,
# so the load never goes to another process holding a fixed port.
ADDR=${ADDR:-127.0.0.1:0}

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
url=
for _ in $(seq 100); do
	url=$(sed -n 's#^ *Applicant portal: *\(http://[^ ]*\)/$#\1#p' "$work/server.log" | head -n 1)
	[[ -n $url ]] && curl -fsS "$url/healthz" >/dev/null 2>&1 && break
	kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
	sleep 0.1
done
[[ -n $url ]] || { echo "the stack printed no URL:" >&2; cat "$work/server.log" >&2; exit 1; }
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(cpu)
if [[ -n ${EXTRA:-} ]]; then
	# shellcheck disable=SC2086 # EXTRA is a list of flags
	"$work/kaiban-local" load --url "$url" $EXTRA --pid "$server"
else
	"$work/kaiban-local" load --url "$url" --rate "$RATE" --duration "$DURATION" --pid "$server"
fi
after=$(cpu)
echo "server CPU during the run: $(( (after - before) / $(getconf CLK_TCK) )) s (agency profile $PROFILE)" >&2
