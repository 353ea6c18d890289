#!/usr/bin/env bash
# Runs the conformance cases against a real `stepline serve` on a free port,
# with the cases' Lambda functions served by the functions file the test
# generates; checks the pass rate and the known-failure list.
#   run_server.sh STEPLINE SHARED_DIR REPORT [extra run_cases.py args...]
set -uo pipefail
STEPLINE=$1; SHARED=$2; REPORT=$3; shift 3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
FN=$(python3 "$ROOT/tests/conformance/server_functions.py" "$SHARED/conformance/sfn/cases" "$WORK/fns")
"$STEPLINE" serve --port 0 --data "$WORK/data" --functions "$FN" > "$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.log" && break; sleep 0.1; done
PORT=$(grep -o 'http://[^ ]*' "$WORK/serve.log" | sed 's/.*://')
[ -n "$PORT" ] || { echo "server did not start"; cat "$WORK/serve.log"; exit 1; }
export AWS_DISABLE_HOST_PREFIX_INJECTION=true  # StartSyncExecution's sync- host prefix
python3 "$ROOT/tests/conformance/check.py" --min-pass 0.94 --min-history 0.97 \
  --known "$ROOT/tests/conformance/known_failures.json" --mode server -- \
  python3 "$SHARED/conformance/sfn/run_cases.py" --endpoint "http://127.0.0.1:$PORT" --express-sync \
  --allow-requires lambda "$SHARED/conformance/sfn/cases" --jobs 4 -q --json-report "$REPORT" "$@"
