#!/usr/bin/env bash
# Runs the conformance cases against a real `stepline serve` on a free port,
# with the cases' Lambda functions served by the functions file the test
# generates and the activity cases' workers played by activity_workers.py;
# checks the pass rate and the known-failure list. The server uses the
# account the cases were recorded in: their definitions name activities by ARN.
#   run_server.sh STEPLINE SHARED_DIR REPORT [extra run_cases.py args...]
set -uo pipefail
STEPLINE=$1; SHARED=$2; REPORT=$3; shift 3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'kill $WPID $PID 2>/dev/null; wait $WPID $PID 2>/dev/null; rm -rf "$WORK"' EXIT
WPID=
FN=$(python3 "$ROOT/tests/conformance/server_functions.py" "$SHARED/conformance/sfn/cases" "$WORK/fns")
"$STEPLINE" serve --port 0 --data "$WORK/data" --functions "$FN" --account 111111111111 > "$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.log" && break; sleep 0.1; done
PORT=$(grep -o 'http://[^ ]*' "$WORK/serve.log" | sed 's/.*://')
[ -n "$PORT" ] || { echo "server did not start"; cat "$WORK/serve.log"; exit 1; }
python3 "$ROOT/tests/conformance/activity_workers.py" "$SHARED/conformance/sfn/cases" "http://127.0.0.1:$PORT" \
  > "$WORK/workers.log" 2>&1 &
WPID=$!
for _ in $(seq 100); do grep -q '^ready' "$WORK/workers.log" && break; sleep 0.1; done
grep -q '^ready' "$WORK/workers.log" || { echo "activity workers did not start"; cat "$WORK/workers.log"; exit 1; }
export AWS_DISABLE_HOST_PREFIX_INJECTION=true  # StartSyncExecution's sync- host prefix
python3 "$ROOT/tests/conformance/check.py" --min-pass 0.94 --min-history 0.97 \
  --known "$ROOT/tests/conformance/known_failures.json" --mode server --subset jsonata,variables -- \
  python3 "$SHARED/conformance/sfn/run_cases.py" --endpoint "http://127.0.0.1:$PORT" --express-sync \
  --allow-requires lambda,activity,activity-worker "$SHARED/conformance/sfn/cases" --jobs 4 -q --verbose-actual --json-report "$REPORT" "$@"
