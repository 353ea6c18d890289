#!/usr/bin/env bash
# Builds Stepline and runs the in-process workload benchmarks (W1, W2, W3, W5
# and the payload-size check). Figures are recorded in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${STEPLINE_SHARED:-$(pwd)/../shared}
bash scripts/install-deps.sh
bash scripts/build.sh
build/tests/bench_workloads "$SHARED/bench/workloads"
