#!/bin/sh
# A --cli command for run_cases.py that serves the cases' Lambda handlers
# through the emulated AWS Lambda Python runtime (lambda_runtime.py) instead
# of the runner's own wrapper: it rewrites the functions file given after
# --functions (use_lambda_runtime.py) and execs the rest of its arguments.
#   run_cases.py --cli 'sh tests/conformance/cli_run.sh build/src/stepline run {definition}
#     --input @{input} --functions {functions} --json --wait-scale 0' CASEDIR
# A case without functions costs no Python start.
here=$(cd "$(dirname "$0")" && pwd)
prev=
for a do
  shift
  if [ "$prev" = --functions ] && grep -q '"command"' "$a"; then
    a=$(python3 "$here/use_lambda_runtime.py" "$a") || exit 2
  fi
  set -- "$@" "$a"
  prev=$a
done
exec "$@"
