#!/usr/bin/env python3
"""Runs the conformance runner given after `--` and checks its JSON report
against minimum pass and history-match rates.

    check.py --min-pass 0.99 --min-history 0.97 -- python3 run_cases.py ... --json-report R.json
"""
import argparse
import json
import subprocess
import sys


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        print("usage: check.py [--min-pass F] [--min-history F] -- COMMAND...", file=sys.stderr)
        return 2
    i = argv.index("--")
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-pass", type=float, default=0.99)
    ap.add_argument("--min-history", type=float, default=0.97)
    ap.add_argument("--known", help="JSON file {mode: {case file: reason}} of failures explained by the harness")
    ap.add_argument("--mode", default="cli")
    args = ap.parse_args(argv[:i])
    cmd = argv[i + 1:]
    report = cmd[cmd.index("--json-report") + 1]
    subprocess.run(cmd)  # the runner exits non-zero on any failure; the rates decide here
    with open(report) as f:
        r = json.load(f)
    ran = r["passed"] + r["failed"]
    hist = r["history_match"] + r["history_mismatch"]
    pass_rate = r["passed"] / ran if ran else 0.0
    hist_rate = r["history_match"] / hist if hist else 0.0
    print(f"pass rate {pass_rate:.4f} ({r['passed']}/{ran}), history match {hist_rate:.4f} "
          f"({r['history_match']}/{hist}); required {args.min_pass} and {args.min_history}")
    known = {}
    if args.known:
        with open(args.known) as f:
            known = json.load(f).get(args.mode, {})
    unexpected = 0
    for res in r["results"]:
        if res["result"] == "fail":
            why = known.get(res["file"])
            if why is None:
                unexpected += 1
            tag = "known" if why else "UNEXPECTED"
            print(f"  FAIL ({tag}) {res['file']}: [{res.get('kind')}] {str(res.get('detail'))[:300]}")
    explained = r["passed"] / (ran - (r["failed"] - unexpected)) if ran else 0.0
    print(f"pass rate over cases not blocked by the harness: {explained:.4f}; unexpected failures: {unexpected}")
    ok = ran and pass_rate >= args.min_pass and hist_rate >= args.min_history and unexpected == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
