#!/usr/bin/env bash
# Installs what Stepline needs, builds it, and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/src/stepline run examples/order-pipeline.asl.json --input @examples/order-pipeline.input.json \
  --functions examples/functions.json "$@"
