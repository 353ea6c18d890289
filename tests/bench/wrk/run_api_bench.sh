#!/usr/bin/env bash
# Measures the API layer alone (HTTP + AWS JSON + validation, trivial service)
# with wrk: keep-alive connections posting StartExecution.
#   tests/bench/wrk/run_api_bench.sh [build-dir] [port]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build}"
port="${2:-8099}"
duration="${DURATION:-10}"
STEPLINE_API_BENCH_PORT="$port" STEPLINE_API_BENCH_SECONDS=$((duration + 5)) \
  "$build/src/api_test" --gtest_also_run_disabled_tests --gtest_filter='*ServeForBenchmark*' >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
wrk -t2 -c64 -d"${duration}s" --latency -s "$here/start_execution.lua" "http://127.0.0.1:$port/"
