#!/usr/bin/env python3
"""Rewrites a functions file written by run_cases.py so that every Python
handler runs through the emulated AWS Lambda Python runtime
(lambda_runtime.py) instead of the runner's own wrapper:

    use_lambda_runtime.py FUNCTIONS.json   # prints the new file's path

The runner writes {"functions": {"NAME": {"command": [python, WRAPPER, HANDLER.py]}}};
each such command becomes [python, lambda_runtime.py, HANDLER.py]. The new
file is written beside the old one. cli_run.sh uses this.
"""
import json
import os
import sys

RUNTIME = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lambda_runtime.py")


def main():
    if len(sys.argv) != 2:
        print("usage: use_lambda_runtime.py FUNCTIONS.json", file=sys.stderr)
        return 2
    path = sys.argv[1]
    with open(path) as f:
        config = json.load(f)
    for fn in (config.get("functions") or {}).values():
        cmd = fn.get("command") or []
        if len(cmd) == 3 and cmd[2].endswith(".py"):
            fn["command"] = [sys.executable, RUNTIME, cmd[2]]
    out = os.path.join(os.path.dirname(path), "functions.lambda-runtime.json")
    with open(out, "w") as f:
        json.dump(config, f, indent=1)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
