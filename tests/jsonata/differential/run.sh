#!/usr/bin/env bash
# Differential test: random paths over random documents, answered by the
# reference implementation (npm jsonata 2.0.6, installed from the npm registry
# by the benchmark's package-lock) and by `stepline jsonata`; any difference
# fails. See gen.js for what the cases cover.
#   tests/jsonata/differential/run.sh build/src/stepline [COUNT] [SEED]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STEPLINE=$1
BENCH="$HERE/../../bench/jsonata"
if [ ! -f "$BENCH/node_modules/jsonata/package.json" ]; then
  (cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
CASES=$(mktemp /tmp/stepline-jsonata-diff.XXXXXX.json)
trap 'rm -f "$CASES"' EXIT
node "$HERE/gen.js" "$CASES" "${2:-4000}" "${3:-20261122}"
python3 "$HERE/check.py" "$STEPLINE" "$CASES"
