#!/usr/bin/env python3
"""Activity workers for the conformance cases that need them.

On AWS each such case ran beside an auxiliary "activity consumer" state
machine that polls the activity with the aws-sdk:sfn integration and answers
(fail, succeed after heartbeats, or hold the token until the task times out).
This harness creates each case's activity on the server and plays its
consumer's definition with boto3: a small walker for the states those
consumers use (Task on aws-sdk:sfn:*, Choice with IsPresent, Wait, Pass).
Cases without a consumer get no activity: they test a missing one.

    activity_workers.py CASES_DIR ENDPOINT

Prints "ready N" once the activities exist, then works until killed.
"""
import json
import os
import re
import sys
import threading
import time

import boto3
from botocore.config import Config

ACTIVITY_ARN = re.compile(r"^arn:aws:states:[^:]+:\d{12}:activity:(.+)$")


def activity_arns(node):
    """Every activity ARN used as a Resource anywhere in a definition."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Resource" and isinstance(v, str) and ACTIVITY_ARN.match(v):
                yield v
            else:
                yield from activity_arns(v)
    elif isinstance(node, list):
        for v in node:
            yield from activity_arns(v)


def get_path(doc, path):
    """A plain JSONPath like $.a.b; KeyError when absent."""
    if path == "$":
        return doc
    cur = doc
    for part in path[2:].split("."):
        if not isinstance(cur, dict) or part not in cur:
            raise KeyError(path)
        cur = cur[part]
    return cur


def set_path(doc, path, value):
    if path == "$":
        return value
    out = dict(doc) if isinstance(doc, dict) else {}
    cur = out
    parts = path[2:].split(".")
    for part in parts[:-1]:
        cur[part] = dict(cur.get(part) or {})
        cur = cur[part]
    cur[parts[-1]] = value
    return out


def resolve(params, doc):
    out = {}
    for k, v in (params or {}).items():
        if k.endswith(".$"):
            out[k[:-2]] = get_path(doc, v)
        else:
            out[k] = resolve(v, doc) if isinstance(v, dict) else v
    return out


def snake(name):
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def sdk_call(sfn, resource, params):
    """arn:aws:states:::aws-sdk:sfn:getActivityTask -> boto3 get_activity_task.
    The integration names the API's members in PascalCase, both ways."""
    action = resource.rsplit(":", 1)[1]
    resp = getattr(sfn, snake(action))(**{k[0].lower() + k[1:]: v for k, v in params.items()})
    resp.pop("ResponseMetadata", None)
    return {k[0].upper() + k[1:]: v for k, v in resp.items() if v != ""}


def play(sfn, definition, doc):
    """Runs one consumer definition to its end."""
    states = definition["States"]
    name = definition["StartAt"]
    while True:
        s = states[name]
        t = s["Type"]
        if t == "Task":
            result = sdk_call(sfn, s["Resource"], resolve(s.get("Parameters"), doc))
            doc = set_path(doc, s.get("ResultPath", "$"), result)
        elif t == "Choice":
            nxt = s.get("Default")
            for rule in s["Choices"]:
                try:
                    get_path(doc, rule["Variable"])
                    present = True
                except KeyError:
                    present = False
                if "IsPresent" in rule and present == rule["IsPresent"]:
                    nxt = rule["Next"]
                    break
            name = nxt
            continue
        elif t == "Wait":
            time.sleep(s["Seconds"])
        elif t != "Pass":
            raise ValueError(f"consumer state type {t} is not played")
        if "OutputPath" in s:
            doc = get_path(doc, s["OutputPath"])
        if s.get("End"):
            return
        name = s["Next"]


def worker(sfn, definition, arn):
    # A consumer that ends or trips over its own input starts over, as the
    # case's test would start it again for the next execution.
    while True:
        try:
            play(sfn, definition, {"ActivityArn": arn})
        except Exception as e:  # noqa: BLE001 - keep serving the other cases
            print(f"activity worker {arn}: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
            time.sleep(1)


def main():
    cases_dir, endpoint = sys.argv[1], sys.argv[2]
    sfn = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="x", aws_secret_access_key="x",
                       config=Config(retries={"max_attempts": 2}, read_timeout=90,
                                     max_pool_connections=32))
    consumers = []
    for root, _, files in os.walk(cases_dir):
        for fn in sorted(files):
            if not fn.endswith(".json"):
                continue
            with open(os.path.join(root, fn)) as f:
                case = json.load(f)
            if "activity" not in (case.get("requires") or []):
                continue
            aux = [a for a in case.get("auxiliary_state_machines") or [] if a.get("role") == "activity_worker"]
            if not aux:
                continue
            consumer = json.loads(aux[0]["definition"])
            for arn in sorted(set(activity_arns(case["definition"]))):
                created = sfn.create_activity(name=ACTIVITY_ARN.match(arn).group(1))["activityArn"]
                if created != arn:
                    sys.exit(f"activity {arn} was created as {created}: run the server with the cases' account")
                consumers.append((consumer, arn))
    for consumer, arn in consumers:
        threading.Thread(target=worker, args=(sfn, consumer, arn), daemon=True).start()
    print(f"ready {len(consumers)}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
