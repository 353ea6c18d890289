#!/usr/bin/env python3
"""Writes a Stepline functions file serving every Lambda function that the
conformance cases define, so the server can run the lambda cases (the runner
writes them per case only in --cli mode). Each handler runs through
lambda_runtime.py, the emulated AWS Lambda Python runtime.

    server_functions.py CASEDIR OUTDIR   # prints the functions file's path
"""
import json
import os
import sys

# Each handler runs through the emulated AWS Lambda Python runtime, as on AWS.
RUNTIME = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lambda_runtime.py")


def main():
    casedir, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    funcs = {}
    for fn in sorted(os.listdir(casedir)):
        if not fn.endswith(".json"):
            continue
        with open(os.path.join(casedir, fn)) as f:
            case = json.load(f)
        for lf in case.get("lambda_functions") or []:
            src = lf.get("handler_source")
            if not src:
                continue
            path = os.path.join(outdir, lf["name"] + ".py")
            with open(path, "w") as f:
                f.write(src)
            funcs[lf["name"]] = {"command": [sys.executable, RUNTIME, path]}
    out = os.path.join(outdir, "functions.json")
    with open(out, "w") as f:
        json.dump({"functions": funcs}, f, indent=1)
    print(out)


if __name__ == "__main__":
    main()
