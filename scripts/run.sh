#!/usr/bin/env bash
# Installs what Stepline needs, builds it, and runs the main job: the AWS Step
# Functions API on embedded SQLite (data in ./stepline-data), port 8083.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/src/stepline serve --port "${PORT:-8083}" --data "${STEPLINE_DATA:-stepline-data}" \
  --functions examples/functions.json "$@"
