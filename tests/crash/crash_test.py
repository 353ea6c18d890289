#!/usr/bin/env python3
"""Crash test: runs hundreds of Standard executions (Wait, Lambda tasks that
fail once then retry, activity tasks, Parallel, Map, Choice) through the real
`stepline serve`, SIGKILLs the server at seeded random moments and restarts it
on the same data directory, then checks that every execution SUCCEEDED with
its expected output and a consistent, duplicate-free history.

Usage: crash_test.py STEPLINE_BINARY [--executions 300] [--kills 30] [--seed N]
See README.md in this folder.
"""
import argparse
import collections
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.config
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/stepline-crash"
TERMINAL_EVENTS = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"}
RETRYABLE = {"InternalFailure", "InternalServerError", "ServiceUnavailable", "ThrottlingException"}
T0 = time.time()


def log(msg):
    print(f"[{time.time() - T0:7.2f}s] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the local Lambda function -------------------------------------------------

# Event {"id", "step", "n", "ff"}: logs the invocation; when ff is set, the one
# invocation that creates the marker of (execution, step) fails, all others succeed.
CALC = r'''import json, os, sys
ev = json.load(sys.stdin)
root = ROOT
key = ev["id"] + "." + ev["step"]
with open(os.path.join(root, "invocations.log"), "a") as f:
    f.write(key + "\n")
if ev.get("ff"):
    try:
        os.close(os.open(os.path.join(root, "markers", key), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        print(json.dumps({"errorType": "Flaky", "errorMessage": "first attempt of " + key, "stackTrace": []}))
        sys.exit(1)
    except FileExistsError:
        pass
print(json.dumps({"step": ev["step"], "r": ev["n"] * 3 + 7}))
'''


def calc(step, n):
    return {"step": step, "r": n * 3 + 7}


def activity_answer(inp):
    out = dict(inp)
    out["act"] = inp["x"] + 1000
    return out


# ---- state machines ----------------------------------------------------------------

RETRY = [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "BackoffRate": 1.5, "MaxAttempts": 3}]


def lambda_arn(name):
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def lambda_task(step, n_path, ff_path, **kw):
    step_field = {"step.$": step[2:]} if step.startswith("$:") else {"step": step}
    t = {"Type": "Task", "Resource": lambda_arn("calc"),
         "Parameters": {"id.$": "$$.Execution.Name", **step_field, "n.$": n_path, "ff.$": ff_path},
         "Retry": RETRY}
    t.update(kw)
    return t


def definitions(activity):
    act_task = {"Type": "Task", "Resource": activity, "Parameters": {"id.$": "$$.Execution.Name", "x.$": "$.x"}}
    seq = {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "L"},
        "L": lambda_task("L", "$.n", "$.ff", ResultPath="$.calc", Next="C"),
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.calc.r", "NumericGreaterThan": 150, "Next": "Big"}],
              "Default": "Small"},
        "Big": {"Type": "Pass", "Result": "big", "ResultPath": "$.size", "Next": "W2"},
        "W2": {"Type": "Wait", "Seconds": 1, "End": True},
        "Small": {"Type": "Pass", "Result": "small", "ResultPath": "$.size", "End": True}}}
    par = {"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "ResultPath": "$.par", "Next": "D", "Branches": [
            {"StartAt": "PA", "States": {"PA": dict(act_task, End=True)}},
            {"StartAt": "PW", "States": {"PW": {"Type": "Wait", "Seconds": 1, "Next": "PL"},
                                         "PL": lambda_task("P", "$.x", "$.ff", End=True)}},
            {"StartAt": "PQ", "States": {"PQ": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($.x, $.x)"},
                                                "End": True}}}]},
        "D": {"Type": "Choice", "Choices": [{"Variable": "$.par[0].act", "NumericLessThan": 1050, "Next": "Low"}],
              "Default": "HighW"},
        "Low": {"Type": "Pass", "Result": "low", "ResultPath": "$.band", "End": True},
        "HighW": {"Type": "Wait", "Seconds": 2, "Next": "HighP"},
        "HighP": {"Type": "Pass", "Result": "high", "ResultPath": "$.band", "End": True}}}
    mp = {"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0, "ResultPath": "$.results", "Next": "Done",
              "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "K", "States": {
                  "K": {"Type": "Choice", "Choices": [
                      {"Variable": "$.kind", "StringEquals": "lambda", "Next": "ML"},
                      {"Variable": "$.kind", "StringEquals": "act", "Next": "MA"}], "Default": "MW"},
                  "ML": lambda_task("$:$.key", "$.n", "$.ff", End=True),
                  "MA": dict(act_task, Parameters={"id.$": "$$.Execution.Name", "x.$": "$.n"}, End=True),
                  "MW": {"Type": "Wait", "Seconds": 1, "Next": "MP"},
                  "MP": {"Type": "Pass", "Parameters": {"waited.$": "$.n"}, "End": True}}}},
        "Done": {"Type": "Pass", "End": True, "Parameters": {
            "name.$": "$$.Execution.Name", "results.$": "$.results", "count.$": "States.ArrayLength($.results)"}}}}
    return {"seq": seq, "par": par, "map": mp}


class Spec:
    """One execution: its input, expected output, states entered and Lambda tasks."""

    def __init__(self, i, rnd):
        self.kind = ("seq", "par", "map")[i % 3]
        self.name = f"{self.kind}-{i:04d}"
        self.arn = None
        self.start_error = None
        self.entered = collections.Counter()  # state name -> times entered
        self.lambda_tasks = {}  # invocation key -> first-attempt-fails flag
        self.activity_tasks = 0
        ff = rnd.random() < 0.4
        if self.kind == "seq":
            n = rnd.randrange(100)
            inp = {"seq": i, "n": n, "wait": rnd.randint(1, 3), "ff": ff}
            r = calc("L", n)
            big = r["r"] > 150
            self.expected = dict(inp, calc=r, size="big" if big else "small")
            self.entered.update(["W", "L", "C"] + (["Big", "W2"] if big else ["Small"]))
            self.lambda_tasks[f"{self.name}.L"] = ff
        elif self.kind == "par":
            x = rnd.randrange(100)
            inp = {"seq": i, "x": x, "ff": ff}
            act = activity_answer({"id": self.name, "x": x})
            low = act["act"] < 1050
            self.expected = dict(inp, par=[act, calc("P", x), {"twice": 2 * x}], band="low" if low else "high")
            self.entered.update(["P", "PA", "PW", "PL", "PQ", "D"] + (["Low"] if low else ["HighW", "HighP"]))
            self.lambda_tasks[f"{self.name}.P"] = ff
            self.activity_tasks = 1
        else:
            items, results = [], []
            for k in range(rnd.randint(3, 5)):
                it = {"key": f"m{k}", "kind": rnd.choice(("lambda", "act", "wait")), "n": rnd.randrange(100),
                      "ff": rnd.random() < 0.4}
                items.append(it)
                self.entered.update(["K"])
                if it["kind"] == "lambda":
                    results.append(calc(it["key"], it["n"]))
                    self.entered.update(["ML"])
                    self.lambda_tasks[f"{self.name}.{it['key']}"] = it["ff"]
                elif it["kind"] == "act":
                    results.append(activity_answer({"id": self.name, "x": it["n"]}))
                    self.entered.update(["MA"])
                    self.activity_tasks += 1
                else:
                    results.append({"waited": it["n"]})
                    self.entered.update(["MW", "MP"])
            inp = {"seq": i, "items": items}
            self.items = len(items)
            self.expected = {"name": self.name, "results": results, "count": len(results)}
            self.entered.update(["M", "Done"])
        self.input = inp
        self.input_text = json.dumps(inp, sort_keys=True)


# ---- the server and its clients ------------------------------------------------------

class Server:
    """`stepline serve` on one data directory: start, SIGKILL, restart (same port when possible)."""

    def __init__(self, binary, root, functions_file):
        self.binary = binary
        self.data = os.path.join(root, "data")
        self.functions_file = functions_file
        self.log_path = os.path.join(root, "server.log")
        self.proc = None
        self.port = free_port()
        self.url = None
        self.kills = 0
        self.starts = 0
        self.kill_times = []  # wall-clock time of each SIGKILL

    def start(self, timeout=30):
        for attempt in range(8):
            port = self.port if attempt < 5 else 0  # the old port may still be held; then any port
            with open(self.log_path, "a") as lf:
                lf.write(f"---- start {self.starts + 1} (port {port})\n")
                lf.flush()
                proc = subprocess.Popen([self.binary, "serve", "--port", str(port), "--data", self.data,
                                         "--functions", self.functions_file],
                                        stdout=subprocess.PIPE, stderr=lf, text=True)
            line = [""]
            t = threading.Thread(target=lambda: line.__setitem__(0, proc.stdout.readline()), daemon=True)
            t.start()
            t.join(timeout)
            prefix = "Stepline listening on http://127.0.0.1:"
            if line[0].startswith(prefix):
                self.proc = proc
                self.port = int(line[0][len(prefix):].split()[0])
                self.url = f"http://127.0.0.1:{self.port}"
                self.starts += 1
                threading.Thread(target=lambda p=proc: [None for _ in p.stdout], daemon=True).start()
                return
            proc.kill()
            proc.wait()
            time.sleep(0.2)
        raise RuntimeError(f"server did not start; log tail:\n{self.log_tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        self.url = None
        self.proc.send_signal(signal.SIGKILL)
        self.kill_times.append(time.time())
        self.kills += 1
        self.proc.wait()
        self.proc = None

    def stop(self):
        if self.proc is None:
            return
        self.url = None
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def log_tail(self, n=3000):
        try:
            with open(self.log_path) as f:
                return f.read()[-n:]
        except OSError:
            return ""

    def kills_before(self, t):
        return sum(1 for k in self.kill_times if k < t)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.problems = []  # failures not tied to one execution's final check

    def inc(self, key, n=1):
        with self.lock:
            self.counts[key] += n

    def problem(self, msg):
        with self.lock:
            self.problems.append(msg)
        log("PROBLEM: " + msg)


class Api:
    """One thread's client: follows the server across restarts and retries what a crash interrupts."""

    def __init__(self, server, stats, read_timeout=20):
        self.server, self.stats, self.read_timeout = server, stats, read_timeout
        self.client, self.url = None, None

    def _client(self):
        url = self.server.url
        if url is None:
            raise BotoCoreError()  # down: retried below
        if url != self.url:
            cfg = botocore.config.Config(retries={"max_attempts": 0}, read_timeout=self.read_timeout,
                                         connect_timeout=3, inject_host_prefix=False)
            self.client = boto3.session.Session().client(
                "stepfunctions", endpoint_url=url, region_name=REGION, aws_access_key_id="AKIDCRASH",
                aws_secret_access_key="secret", config=cfg)
            self.url = url
        return self.client

    def call(self, op, give_up_after=240, **kw):
        """Returns (response, attempts). Retries connection errors and 5xx answers; a 4xx
        ClientError is raised with .attempts set (a retried call may see its own first effect)."""
        attempts, end = 0, time.time() + give_up_after
        while True:
            attempts += 1
            try:
                return getattr(self._client(), op)(**kw), attempts
            except ClientError as e:
                code = e.response.get("Error", {}).get("Code", "")
                status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
                if code not in RETRYABLE and status < 500:
                    e.attempts = attempts
                    raise
                err = f"{code}: {e}"
            except ParamValidationError:
                raise
            except BotoCoreError as e:
                err = f"{type(e).__name__}: {e}"
            self.stats.inc("request retries")
            if time.time() > end:
                raise RuntimeError(f"{op} kept failing for {give_up_after}s: {err}")
            time.sleep(0.05 + random.random() * 0.1)

    def history(self, arn, page_size):
        events, token = [], None
        while True:
            kw = {"executionArn": arn, "maxResults": page_size}
            if token:
                kw["nextToken"] = token
            page, _ = self.call("get_execution_history", **kw)
            events.extend(page["events"])
            token = page.get("nextToken")
            if not token:
                return events
