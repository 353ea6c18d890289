#!/usr/bin/env python3
"""Bytes a large inline Map writes: one Standard execution whose N iterations
each wait until their own timestamp (3 ms apart), so their timers fire one by
one and the Map advances in many small commits. Prints the time to finish,
the commits made, the largest saved state (the snapshot every commit writes,
sampled from the database while it runs) and what the server wrote (wchar;
it also depends on how many timers each commit happened to batch).

    tests/bench/http/large_map.py build/src/stepline 500 1000 2000
"""
import datetime
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

import boto3


def run(stepline, n):
    data = tempfile.mkdtemp()
    p = subprocess.Popen([stepline, "serve", "--port", "0", "--data", data + "/data"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = p.stdout.readline()
        while "listening" not in line:
            line = p.stdout.readline()
        port = re.search(r"http://[^:]+:(\d+)", line).group(1)
        sfn = boto3.client("stepfunctions", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                           aws_access_key_id="x", aws_secret_access_key="x")
        iteration = {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.at", "Next": "P"},
                                                 "P": {"Type": "Pass", "End": True}}}
        definition = {"StartAt": "M", "States": {"M": {
            "Type": "Map", "ItemsPath": "$.items", "End": True,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, **iteration}}}}
        arn = sfn.create_state_machine(name="m", definition=json.dumps(definition),
                                       roleArn="arn:aws:iam::123456789012:role/x")["stateMachineArn"]
        base = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1)
        items = [{"at": (base + datetime.timedelta(milliseconds=3 * i)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"}
                 for i in range(n)]
        t0 = time.time()
        ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"items": items}))["executionArn"]
        db = sqlite3.connect(data + "/data/stepline.db")
        largest = 0
        while sfn.describe_execution(executionArn=ex)["status"] == "RUNNING":
            size = db.execute("SELECT length(snapshot) FROM executions").fetchone()[0]
            largest = max(largest, size)
            time.sleep(0.2)
        commits = db.execute("SELECT version FROM executions").fetchone()[0]
        elapsed = time.time() - t0
        status = sfn.describe_execution(executionArn=ex)["status"]
        with open(f"/proc/{p.pid}/io") as f:
            wchar = int(re.search(r"wchar: (\d+)", f.read()).group(1))
        print(f"{n} iterations: {status} in {elapsed:.2f} s (timers span {3 * n / 1000:.1f} s); {commits} commits; "
              f"largest saved state {largest / 1e3:.0f} KB; server wrote {wchar / 1e6:.1f} MB", flush=True)
        assert status == "SUCCEEDED", status
    finally:
        p.terminate()
        p.wait()


if __name__ == "__main__":
    for count in sys.argv[2:] or ["500", "1000", "2000"]:
        run(sys.argv[1], int(count))
