#!/usr/bin/env bash
# Installs what Stepline needs, builds it, and runs every test suite:
# unit tests (CTest), the Step Functions conformance cases in command-line mode
# (plain, with a save/restore after every step, and with the cases' Lambda
# handlers run by the emulated AWS Lambda Python runtime) and in server mode,
# the JSONata suite (in CTest) and a differential test against jsonata-js.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${STEPLINE_SHARED:-$ROOT/../shared}
bash scripts/install-deps.sh || exit 1
bash scripts/build.sh || exit 1

passed=0; failed=0
suite() {  # suite NAME COMMAND...
  echo "=== $1"
  if "${@:2}"; then passed=$((passed+1)); echo "=== $1: ok"; else failed=$((failed+1)); echo "=== $1: FAILED"; fi
}

suite unit ctest --test-dir build --output-on-failure -j2
CLI="$ROOT/build/src/stepline run {definition} --input @{input} --functions {functions} --json --wait-scale 0"
suite conformance-cli python3 tests/conformance/check.py --min-pass 0.94 --min-history 0.97 --known tests/conformance/known_failures.json --mode cli --subset jsonata,variables -- \
  python3 "$SHARED/conformance/sfn/run_cases.py" --cli "$CLI" "$SHARED/conformance/sfn/cases" \
  --jobs 4 -q --verbose-actual --json-report build/conformance-cli.json
suite conformance-snapshot python3 tests/conformance/check.py --min-pass 0.94 --min-history 0.97 --known tests/conformance/known_failures.json --mode cli --subset jsonata,variables -- \
  python3 "$SHARED/conformance/sfn/run_cases.py" --cli "$CLI --snapshot-each-step" "$SHARED/conformance/sfn/cases" \
  --jobs 4 -q --verbose-actual --json-report build/conformance-snapshot.json

# The same cases with each Lambda handler run through tests/conformance/lambda_runtime.py
# (the AWS Lambda Python runtime's error documents, stack traces and bytes results).
suite conformance-cli-runtime python3 tests/conformance/check.py --min-pass 0.98 --min-history 0.97 --known tests/conformance/known_failures.json --mode cli-runtime --subset jsonata,variables -- \
  python3 "$SHARED/conformance/sfn/run_cases.py" --cli "sh $ROOT/tests/conformance/cli_run.sh $CLI" "$SHARED/conformance/sfn/cases" \
  --jobs 4 -q --verbose-actual --json-report build/conformance-cli-runtime.json

# Random paths answered by jsonata-js and by `stepline jsonata` (any difference fails).
suite jsonata-differential bash tests/jsonata/differential/run.sh "$ROOT/build/src/stepline"

suite conformance-server bash tests/conformance/run_server.sh "$ROOT/build/src/stepline" "$SHARED" \
  build/conformance-server.json

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
