#!/usr/bin/env python3
"""Puts the cases gen.js wrote to `stepline jsonata` and compares each result
with the reference implementation's: the same JSON value (numbers by value),
both undefined, or the same error code. Exits 1 on any difference.
  check.py STEPLINE CASES.json"""
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def run(stepline, case):
    p = subprocess.run([stepline, "jsonata", case["expr"], "--input", json.dumps(case["input"]),
                        "--bindings", json.dumps(case["bindings"])], capture_output=True, text=True)
    if p.returncode == 1:
        return {"error": p.stderr.split(":")[0].strip()}
    if p.returncode != 0:
        return {"crash": p.returncode, "stderr": p.stderr[-300:]}
    return {"undefined": True} if not p.stdout.strip() else {"value": json.loads(p.stdout)}


def same(expected, got):
    if "error" in expected or "undefined" in expected:
        return {k: v for k, v in expected.items() if k not in ("expr", "input", "bindings")} == got
    return "value" in got and got["value"] == expected["value"]


def main():
    stepline, path = sys.argv[1], sys.argv[2]
    cases = json.load(open(path))
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda c: run(stepline, c), cases))
    bad = [(c, g) for c, g in zip(cases, got) if not same(c, g)]
    for c, g in bad[:20]:
        want = {k: v for k, v in c.items() if k not in ("expr", "input", "bindings")}
        print(f"DIFF {c['expr']}\n  input {json.dumps(c['input'])[:300]}\n  want {json.dumps(want)[:300]}\n  got  {json.dumps(g)[:300]}")
    print(f"{len(cases) - len(bad)} of {len(cases)} match the reference implementation")
    return 1 if bad or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
