#!/usr/bin/env bash
# HTTP benchmarks of `stepline serve` (SQLite, fsync on) with wrk on loopback:
#   StartExecution requests/s for a Standard and an Express state machine, and
#   StartSyncExecution latency (p50/p99) for a 5-state Express machine.
# Usage: tests/bench/http/run.sh [build/src/stepline] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../../.."
STEPLINE=${1:-build/src/stepline}
SECS=${2:-10}
SHARED=${STEPLINE_SHARED:-$(pwd)/../shared}
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
"$STEPLINE" serve --port 0 --data "$WORK/data" > "$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.log" && break; sleep 0.1; done
PORT=$(grep -o 'http://[^ ]*' "$WORK/serve.log" | sed 's/.*://')
URL=http://127.0.0.1:$PORT
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
DEF=$(cat "$SHARED/bench/workloads/W4-many-executions/definition.json")
ROLE=arn:aws:iam::123456789012:role/bench
STD=$(aws --endpoint-url "$URL" stepfunctions create-state-machine --name std --role-arn $ROLE \
  --definition "$DEF" --query stateMachineArn --output text)
EXP=$(aws --endpoint-url "$URL" stepfunctions create-state-machine --name exp --type EXPRESS --role-arn $ROLE \
  --definition "$DEF" --query stateMachineArn --output text)
LUA=tests/bench/http/request.lua
bench() {  # bench TITLE TARGET ARN CONNECTIONS
  echo "== $1 (wrk -t2 -c$4 -d${SECS}s)"
  TARGET=$2 SM_ARN=$3 wrk -t"$(( $4 < 2 ? 1 : 2 ))" -c"$4" -d"${SECS}s" -s $LUA "$URL/" | grep -E "Requests/sec|non-200|Latency"
}
# Express first: after the Standard runs, SQLite's checkpoint of ~150,000
# executions keeps one core busy for a while and would be measured as Express.
bench "StartExecution, EXPRESS" StartExecution "$EXP" 64
bench "StartSyncExecution, EXPRESS 5 states, 1 connection" StartSyncExecution "$EXP" 1
bench "StartSyncExecution, EXPRESS 5 states, 16 connections" StartSyncExecution "$EXP" 16
bench "StartExecution, STANDARD (durable, fsync)" StartExecution "$STD" 64
bench "StartExecution, STANDARD (durable, fsync)" StartExecution "$STD" 256
# Every Standard execution started must have run to its end with the right output.
sleep 1
python3 - "$URL" "$STD" <<'PY'
import json, sys, boto3
from botocore.config import Config
sfn = boto3.client("stepfunctions", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="x", aws_secret_access_key="x", config=Config(retries={"max_attempts": 0}))
n = ok = 0
for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=sys.argv[2], PaginationConfig={"PageSize": 1000}):
    for e in page["executions"]:
        n += 1
        ok += e["status"] == "SUCCEEDED"
sample = sfn.list_executions(stateMachineArn=sys.argv[2], maxResults=1)["executions"][0]["executionArn"]
out = json.loads(sfn.describe_execution(executionArn=sample)["output"])
assert out == {"id": 7, "a": 1, "c": "c", "d": "d"}, out
print(f"verified: {ok} of {n} Standard executions SUCCEEDED; sample output {out}")
assert ok == n
PY
