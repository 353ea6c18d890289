#!/usr/bin/env python3
"""Writes a Stepline functions file serving every Lambda function that the
conformance cases define, so the server can run the lambda cases the way the
command line does (the runner writes them per case only in --cli mode).

    server_functions.py CASEDIR OUTDIR   # prints the functions file's path
"""
import json
import os
import sys

# The same contract as the runner's local wrapper: event on stdin, result on
# stdout; an exception becomes {"errorType", "errorMessage", "stackTrace"}.
WRAPPER = """import json, sys, traceback, importlib.util
spec = importlib.util.spec_from_file_location("handler_mod", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
event = json.loads(sys.stdin.read() or "null")
try:
    out = mod.handler(event, None)
except Exception as e:
    sys.stdout.write(json.dumps({"errorType": type(e).__name__, "errorMessage": str(e),
                                 "stackTrace": traceback.format_exc().splitlines()}))
    sys.exit(1)
sys.stdout.write(json.dumps(out))
"""


def main():
    casedir, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    wrapper = os.path.join(outdir, "lambda_wrapper.py")
    with open(wrapper, "w") as f:
        f.write(WRAPPER)
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
            funcs[lf["name"]] = {"command": [sys.executable, wrapper, path]}
    out = os.path.join(outdir, "functions.json")
    with open(out, "w") as f:
        json.dump({"functions": funcs}, f, indent=1)
    print(out)


if __name__ == "__main__":
    main()
