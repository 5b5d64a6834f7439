#!/usr/bin/env bash
# Runs every test file that uses fast-check N times in a row (default 20), each run with a
# fresh random FC_SEED, and stops at the first failure with the seed that replays it:
#   scripts/fuzz-loop.sh [N] [vitest options]     then   FC_SEED=<seed> npx vitest run <file>
# Against dynalite unless told otherwise (e.g. `scripts/fuzz-loop.sh 5 --project dynamodb-local`).
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-20}"
shift || true
options=("$@")
[ ${#options[@]} -gt 0 ] || options=(--project dynalite)
mapfile -t files < <(grep -rl --include='*.test.ts' "from 'fast-check'" tests | sort)
echo "fuzz suites (${#files[@]}): ${files[*]}"

start=$SECONDS
for ((i = 1; i <= runs; i++)); do
  seed=$(od -An -td4 -N4 /dev/urandom | tr -d ' ')
  t0=$SECONDS
  if ! FC_SEED="$seed" npx vitest run "${options[@]}" "${files[@]}" >"/tmp/fuzz-loop.$$.log" 2>&1; then
    tail -n 60 "/tmp/fuzz-loop.$$.log"
    echo "run $i/$runs FAILED with FC_SEED=$seed (full log: /tmp/fuzz-loop.$$.log)"
    exit 1
  fi
  echo "run $i/$runs passed, FC_SEED=$seed, $((SECONDS - t0)) s"
done
rm -f "/tmp/fuzz-loop.$$.log"
echo "$runs runs passed in $((SECONDS - start)) s"
