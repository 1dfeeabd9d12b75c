#!/usr/bin/env bash
# Compares the local engine with its peer, aws-local-stepfunctions (npm), on
# the benchmark definition beside this script (bench.asl.json, its JSONata
# version bench-jsonata.asl.json, their input.json and bench.mock.json, and the
# peer's runner peer.mjs), on this machine, in this run: machines
# here are shared and noisy, so only ratios from one run mean anything.
#
#   infra/bench/peer.sh            # from the repo root (or anywhere)
#
# Environment:
#   KAIBAN_PEER_DIR      scratch folder for the npm install, outside the repo
#                        (default ${TMPDIR:-/tmp}/kaiban-peer)
#   N                    executions per measurement (default 10000)
#   RUNS                 measurements per side; medians are compared (default 3)
#   WARMUP               executions each side runs, unmeasured, before each
#                        measurement (default 5000). The engine's first few
#                        thousand executions in a fresh process grow its heap
#                        (about 0.2 s of page faults and span set-up, which a
#                        long-running engine pays once); the peer's figures
#                        do not change between 500 and 5000.
#
# It installs aws-local-stepfunctions@3.0.0 into the scratch folder, runs
# peer.mjs RUNS times (sequential and 100 in flight), then `sfnlocal bench`
# RUNS times in the same two shapes (plus durable with 8 in flight, and the
# JSONata version sequentially), and prints the medians and our/peer ratios.
# The peer's JSONata figure is printed only when it runs that definition
# with the right output; otherwise it says why.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="$repo/infra/bench"
peer_dir="${KAIBAN_PEER_DIR:-${TMPDIR:-/tmp}/kaiban-peer}"
n="${N:-10000}"
runs="${RUNS:-3}"
warmup="${WARMUP:-5000}"
peer_version="3.0.0"

for f in bench.asl.json bench-jsonata.asl.json bench.mock.json input.json peer.mjs; do
  [[ -r "$bench/$f" ]] || { echo "peer.sh: $bench/$f not found" >&2; exit 2; }
done
case "$peer_dir" in
  "$repo"|"$repo"/*) echo "peer.sh: KAIBAN_PEER_DIR must be outside the repo" >&2; exit 2 ;;
esac

# --- install the peer (once) ---
installed="$(node -p "try { require('$peer_dir/node_modules/aws-local-stepfunctions/package.json').version } catch { '' }" 2>/dev/null || true)"
if [[ "$installed" != "$peer_version" ]]; then
  echo "installing aws-local-stepfunctions@$peer_version into $peer_dir" >&2
  mkdir -p "$peer_dir"
  [[ -f "$peer_dir/package.json" ]] || (cd "$peer_dir" && npm init -y >/dev/null)
  (cd "$peer_dir" && npm install --no-audit --no-fund --loglevel=error "aws-local-stepfunctions@$peer_version" >&2)
fi

# --- build sfnlocal once, so compile time never lands near a measurement ---
sfnlocal="$peer_dir/sfnlocal"
(cd "$repo" && go build -o "$sfnlocal" ./workflow/cmd/sfnlocal)

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'; }
field() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p"; }

peer_seq=() peer_par=() ours_seq=() ours_par=() ours_dur=() p50_seq=() p99_seq=()
peer_jsonata=() ours_jsonata=() peer_jsonata_note=""
for i in $(seq "$runs"); do
  echo "run $i/$runs: peer" >&2
  out="$(cd "$peer_dir" && node "$bench/peer.mjs" "$n" "$warmup")"
  peer_seq+=("$(sed -n 's/^peer sequential: \([0-9.]*\) executions\/s$/\1/p' <<<"$out")")
  peer_par+=("$(sed -n 's/^peer 100 in flight: \([0-9.]*\) executions\/s$/\1/p' <<<"$out")")
  pj="$(sed -n 's/^peer jsonata sequential: \([0-9.]*\) executions\/s$/\1/p' <<<"$out")"
  [[ -n "$pj" ]] && peer_jsonata+=("$pj")
  peer_jsonata_note="$(sed -n 's/^peer jsonata: \(unsupported.*\)$/\1/p' <<<"$out")"

  echo "run $i/$runs: sfnlocal" >&2
  common=("$bench/bench.asl.json" --input "$bench/input.json" --mock-config "$bench/bench.mock.json" --test-case Trivial -n "$n" --warmup "$warmup")
  seq_line="$("$sfnlocal" bench "${common[@]}" --concurrency 1)"
  par_line="$("$sfnlocal" bench "${common[@]}" --concurrency 100)"
  jsonata_line="$("$sfnlocal" bench "$bench/bench-jsonata.asl.json" "${common[@]:1}" --concurrency 1)"
  ours_jsonata+=("$(field executionsPerSecond <<<"$jsonata_line")")
  dur_dir="$(mktemp -d "${TMPDIR:-/tmp}/kaiban-durable.XXXXXX")"
  dur_line="$("$sfnlocal" bench "${common[@]}" --concurrency 8 --durable "$dur_dir")"
  rm -rf "$dur_dir"
  ours_seq+=("$(field executionsPerSecond <<<"$seq_line")")
  ours_par+=("$(field executionsPerSecond <<<"$par_line")")
  ours_dur+=("$(field executionsPerSecond <<<"$dur_line")")
  p50_seq+=("$(field p50Ms <<<"$seq_line")")
  p99_seq+=("$(field p99Ms <<<"$seq_line")")
  echo "  peer: $(tr '\n' ' ' <<<"$out")" >&2
  echo "  ours: seq $seq_line" >&2
  echo "        100 $par_line" >&2
  echo "        durable/8 $dur_line" >&2
  echo "        jsonata seq $jsonata_line" >&2
done

m() { printf '%s\n' "$@" | median; }
ps="$(m "${peer_seq[@]}")" pp="$(m "${peer_par[@]}")"
os="$(m "${ours_seq[@]}")" op="$(m "${ours_par[@]}")" od="$(m "${ours_dur[@]}")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "nan" }'; }

echo
echo "medians of $runs runs, $n executions each after $warmup unmeasured ($(nproc) cores, $(node --version), $(go version | awk '{print $3}'))"
printf '%-28s %12s %12s %8s\n' "shape" "peer/s" "sfnlocal/s" "ratio"
printf '%-28s %12s %12s %8s\n' "sequential" "$ps" "$os" "$(ratio "$os" "$ps")x"
printf '%-28s %12s %12s %8s\n' "100 in flight" "$pp" "$op" "$(ratio "$op" "$pp")x"
printf '%-28s %12s %12s %8s\n' "durable, 8 in flight" "-" "$od" "-"
oj="$(m "${ours_jsonata[@]}")"
if (( ${#peer_jsonata[@]} > 0 )); then
  pjm="$(m "${peer_jsonata[@]}")"
  printf '%-28s %12s %12s %8s\n' "JSONata, sequential" "$pjm" "$oj" "$(ratio "$oj" "$pjm")x"
else
  printf '%-28s %12s %12s %8s\n' "JSONata, sequential" "-" "$oj" "-"
  echo "peer JSONata: ${peer_jsonata_note:-no result}"
fi
echo "sfnlocal sequential latency: p50 $(m "${p50_seq[@]}") ms, p99 $(m "${p99_seq[@]}") ms"
