#!/usr/bin/env python3
"""Runs the conformance runner given after `--` and checks its JSON report
against minimum pass and history-match rates.

    check.py --min-pass 0.99 --min-history 0.97 -- python3 run_cases.py ... --json-report R.json

It also prints two figures that do not decide the result:
- with --subset F1,F2: the pass rate over cases tagged with any of those features;
- when the runner was given --verbose-actual: how many failures differ only
  under the paths the recording's own test left unverified
  (`source.skip_snapshot_verify_paths`, e.g. `$..SdkHttpMetadata`, whose
  header values the recording replaced with the header names).
"""
import argparse
import copy
import json
import os
import re
import subprocess
import sys

_STEP = re.compile(r"(\.\.|\.)([^.\[]+)|\[(\d+)\]")


def parse_skip_path(path):
    """'$..events[8].previousEventId' -> [('..', 'events'), ('[]', 8), ('.', 'previousEventId')];
    None for forms this does not understand (such as '<all>')."""
    if not path.startswith("$"):
        return None
    steps, pos = [], 1
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m:
            return None
        steps.append(("[]", int(m.group(3))) if m.group(3) else (m.group(1), m.group(2)))
        pos = m.end()
    return steps or None


def delete_path(doc, steps):
    """Removes what the path selects from doc (in place)."""
    if not steps:
        return
    kind, key = steps[0]
    rest = steps[1:]
    if kind == "..":
        for node in _descend(doc):
            delete_path(node, [(".", key)] + rest)
        return
    if kind == "[]":
        if isinstance(doc, list) and key < len(doc):
            if rest:
                delete_path(doc[key], rest)
        return
    if isinstance(doc, dict) and key in doc:
        if rest:
            delete_path(doc[key], rest)
        else:
            del doc[key]


def _descend(doc):
    yield doc
    children = doc.values() if isinstance(doc, dict) else doc if isinstance(doc, list) else []
    for c in list(children):
        yield from _descend(c)


def passes_with_skip_paths(case, actual, matcher_cls):
    """True when the case's expected result matches once the skip paths are removed from both sides."""
    paths = [parse_skip_path(p) for p in case["source"].get("skip_snapshot_verify_paths") or []]
    paths = [p for p in paths if p]
    exp = case["expected"]
    if not paths or actual.get("status") != exp["status"] or exp["status"] != "SUCCEEDED" or "output" not in exp:
        return False
    try:
        act = json.loads(actual.get("output") or "null")
    except ValueError:
        return False
    e = copy.deepcopy(exp["output"])
    for p in paths:
        delete_path(e, p)
        delete_path(act, p)
    return matcher_cls(exp.get("placeholders")).match(e, act) is None


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
    ap.add_argument("--subset", help="comma-separated features: also print the pass rate over these cases")
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
    if args.subset:
        want = set(args.subset.split(","))
        sub = [x for x in r["results"] if x["result"] in ("pass", "fail") and want & set(x.get("features", []))]
        ok_sub = sum(x["result"] == "pass" for x in sub)
        print(f"subset {args.subset}: {ok_sub}/{len(sub)} passed")
    verified_skip(r, cmd, args)
    ok = ran and pass_rate >= args.min_pass and hist_rate >= args.min_history and unexpected == 0
    return 0 if ok else 1


def verified_skip(r, cmd, args):
    failed = [x for x in r["results"] if x["result"] == "fail" and "actual" in x]
    if not failed:
        return
    runner = next(c for c in cmd if c.endswith("run_cases.py"))
    sys.path.insert(0, os.path.dirname(os.path.abspath(runner)))
    from sfnx_compare import Matcher
    by_name = {}
    for d in r["casedirs"]:
        for root, _, files in os.walk(d):
            for fn in files:
                by_name.setdefault(fn, os.path.join(root, fn))
    only_skipped = []
    for x in failed:
        with open(by_name[x["file"]]) as f:
            case = json.load(f)
        if passes_with_skip_paths(case, x["actual"], Matcher):
            only_skipped.append(x)
    ran = r["passed"] + r["failed"]
    print(f"failures that differ only under the recording's skip_snapshot_verify_paths: {len(only_skipped)}; "
          f"pass rate counting them: {(r['passed'] + len(only_skipped)) / ran:.4f}")
    if args.subset:
        want = set(args.subset.split(","))
        sub = [x for x in r["results"] if x["result"] in ("pass", "fail") and want & set(x.get("features", []))]
        ok_sub = sum(x["result"] == "pass" for x in sub) + sum(1 for x in only_skipped if want & set(x["features"]))
        print(f"subset {args.subset} counting them: {ok_sub}/{len(sub)}")


if __name__ == "__main__":
    sys.exit(main())
