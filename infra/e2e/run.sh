#!/usr/bin/env bash
# Browser tests of the portal and the clerk console against a real local
# stack: installs what they need (node packages from the lockfile, Debian's
# Chromium and a Chinese font), builds and starts the stack on a loopback
# port it binds itself with a fresh data directory, waits for /healthz, runs the
# tests with node's test runner, and stops the stack whatever happened.
#
# KAIBAN_URL set: test that running stack instead of starting one (then
# KAIBAN_DATA must say where its clerks.json, the clerks' accounts the
# console tests sign in with, and clerk.token are).
# KAIBAN_E2E_PROFILE: the agencies' profile (default instant).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
# Screenshots of a Chinese page need a font with CJK glyphs.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then need_apt+=(fonts-wqy-zenhei); fi
if ((${#need_apt[@]})); then
  echo "e2e: installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error

rm -rf artifacts && mkdir -p artifacts
pid=""
work=""
stop() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  [[ -n "$work" ]] && rm -rf "$work"
  return 0
}
trap stop EXIT INT TERM

if [[ -z "${KAIBAN_URL:-}" ]]; then
  work="$(mktemp -d)"
  echo "e2e: building the local stack"
  (cd "$root" && go build -o "$work/kaiban-local" ./infra/local)
  export KAIBAN_DATA="$work/data"
  mkdir -m 700 -p "$KAIBAN_DATA"
  # Port 0: the stack binds a free port itself and prints its URL, so no
  # other process can take the port between choosing it and binding it.
  # The name tests need to know every registered name: a stack that can
  # load its registry from a file gets exactly the names of the fixture.
  extra=()
  usage="$("$work/kaiban-local" --help 2>&1 || true)"
  if [[ "$usage" == *registered-names* ]]; then extra+=(--registered-names "$here/registered-names.jsonl"); fi
  "$work/kaiban-local" --addr "127.0.0.1:0" --data "$KAIBAN_DATA" --agency-profile "${KAIBAN_E2E_PROFILE:-instant}" "${extra[@]}" >"artifacts/stack.log" 2>&1 &
  pid=$!
  echo "e2e: waiting for the stack (pid $pid) to say where it listens"
  deadline=$((SECONDS + 60))
  KAIBAN_URL=""
  until [[ -n "$KAIBAN_URL" ]]; do
    KAIBAN_URL="$(sed -n 's#^ *Applicant portal: *\(http://127\.0\.0\.1:[0-9]*\)/$#\1#p' artifacts/stack.log | head -n 1)"
    [[ -n "$KAIBAN_URL" ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then echo "e2e: the stack exited:"; cat artifacts/stack.log; exit 1; fi
    if ((SECONDS > deadline)); then echo "e2e: the stack printed no URL after 60 s:"; cat artifacts/stack.log; exit 1; fi
    sleep 0.2
  done
  export KAIBAN_URL
  echo "e2e: waiting for $KAIBAN_URL/healthz"
  until curl -fsS "$KAIBAN_URL/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "e2e: the stack exited:"; cat artifacts/stack.log; exit 1; fi
    if ((SECONDS > deadline)); then echo "e2e: no /healthz after 60 s:"; cat artifacts/stack.log; exit 1; fi
    sleep 0.2
  done
  deadline=$((SECONDS + 10))
  until [[ -s "$KAIBAN_DATA/clerk.token" || -n "${KAIBAN_CLERK_TOKEN:-}" ]]; do
    if ((SECONDS > deadline)); then echo "e2e: the stack wrote no $KAIBAN_DATA/clerk.token"; exit 1; fi
    sleep 0.2
  done
fi

echo "e2e: testing $KAIBAN_URL"
status=0
node --test --test-concurrency=1 || status=$?
echo "e2e: screenshots in $here/artifacts"
if ((status != 0)) && [[ -s artifacts/stack.log ]]; then
  echo "e2e: last lines of the stack's log:"; tail -n 40 artifacts/stack.log
fi
exit "$status"
