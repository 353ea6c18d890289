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
        self.failures_seen = self.scheduled_seen = 0  # Lambda events found in the history
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

    def kill_context(self, t):
        """'after kill k (at T), next kill at T2': where wall-clock time t sits among the kills."""
        k = self.kills_before(t)
        prev = f" at {self.kill_times[k - 1] - T0:.2f}s" if k else ""
        nxt = f", next at {self.kill_times[k] - T0:.2f}s" if k < len(self.kill_times) else ""
        return f"after kill {k}{prev}{nxt}"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.errors = collections.Counter()  # (operation, error class) -> count
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
                if type(e) is not BotoCoreError:  # not our own "server is down"
                    self.stats.errors[(op, type(e).__name__)] += 1
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


# ---- load: starters and activity workers ----------------------------------------------

class Run:
    def __init__(self, args, server, stats, specs, sm_arns, activity):
        self.args, self.server, self.stats, self.specs = args, server, stats, specs
        self.sm_arns, self.activity = sm_arns, activity
        self.next_start = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.tokens = collections.defaultdict(list)  # execution ARN -> what workers did with its tokens
        self.started = 0

    def expected_arn(self, spec):
        return f"arn:aws:states:{REGION}:{ACCOUNT}:execution:crash-{spec.kind}:{spec.name}"

    def starter(self, t_begin, span):
        api = Api(self.server, self.stats)
        gap = span / max(1, len(self.specs))
        while True:
            with self.lock:
                i = self.next_start
                self.next_start += 1
            if i >= len(self.specs):
                return
            spec = self.specs[i]
            delay = t_begin + i * gap - time.time()
            if delay > 0:
                time.sleep(delay)
            try:
                r, attempts = api.call("start_execution", stateMachineArn=self.sm_arns[spec.kind], name=spec.name,
                                       input=spec.input_text)
                spec.arn = r["executionArn"]
                if attempts > 1:
                    self.stats.inc("StartExecution retried")
            except ClientError as e:
                code = e.response["Error"]["Code"]
                # A retried start may find its own first attempt, already finished.
                if code == "ExecutionAlreadyExists" and getattr(e, "attempts", 1) > 1:
                    d, _ = api.call("describe_execution", executionArn=self.expected_arn(spec))
                    if d["input"] == spec.input_text:
                        spec.arn = d["executionArn"]
                        self.stats.inc("StartExecution retried, found finished")
                    else:
                        spec.start_error = f"ExecutionAlreadyExists with another input: {d['input']}"
                else:
                    spec.start_error = f"{code}: {e.response['Error'].get('Message')}"
            except Exception as e:  # noqa: BLE001 - reported as this execution's failure
                spec.start_error = f"{type(e).__name__}: {e}"
            if spec.arn and spec.arn != self.expected_arn(spec):
                spec.start_error = f"unexpected ARN {spec.arn}"
            with self.lock:
                self.started += 1

    def worker(self, idx):
        api = Api(self.server, self.stats, read_timeout=75)
        rnd = random.Random(self.args.seed * 1000 + idx)
        while not self.stop.is_set():
            try:
                r, _ = api.call("get_activity_task", activityArn=self.activity, workerName=f"w{idx}")
            except Exception as e:  # noqa: BLE001
                self.stats.problem(f"worker {idx}: GetActivityTask: {e}")
                time.sleep(0.5)
                continue
            token = r.get("taskToken")
            if not token:
                continue
            rec = {"worker": idx, "got": time.time(), "kills_at_get": self.server.kills, "token": token}
            self.tokens[token.split("#")[0]].append(rec)
            self.stats.inc("activity tasks received")
            time.sleep(rnd.uniform(0, self.args.hold))  # sometimes across a crash
            out = activity_answer(json.loads(r["input"]))
            try:
                _, attempts = api.call("send_task_success", taskToken=token, output=json.dumps(out))
                rec["answer"] = "ok"
            except ClientError as e:
                attempts = getattr(e, "attempts", 1)
                rec["answer"] = e.response["Error"]["Code"]
            except Exception as e:  # noqa: BLE001
                attempts, rec["answer"] = 0, f"{type(e).__name__}: {e}"
            rec["attempts"], rec["answered"], rec["kills_at_answer"] = attempts, time.time(), self.server.kills
            if rec["kills_at_answer"] != rec["kills_at_get"]:
                self.stats.inc("activity tokens held across a crash")
            if rec["answer"] != "ok":
                if rec["answer"] in ("TaskDoesNotExist", "TaskTimedOut") and attempts > 1:
                    self.stats.inc("SendTaskSuccess retried, first attempt had landed")
                else:
                    self.stats.problem(f"worker {idx}: SendTaskSuccess for {token} failed: {rec['answer']} "
                                       f"(attempt {attempts})")


# ---- checks ------------------------------------------------------------------------------

WAIT_SECONDS = {"W2": 1, "PW": 1, "HighW": 2, "MW": 1}


def ts(e):
    return e["timestamp"].timestamp()


def details(e):
    for k, v in e.items():
        if k.endswith("EventDetails"):
            return v
    return {}


def describe_event(e, server):
    d = details(e)
    what = d.get("name") or d.get("index")
    return (f"#{e['id']} {e['type']}{'(' + str(what) + ')' if what is not None else ''} prev={e.get('previousEventId', 0)}"
            f" at {ts(e) - T0:.2f}s ({server.kill_context(ts(e))})")


def check_history(spec, events, invocations, server):
    """Returns the problems of one finished execution's history (empty: consistent)."""
    bad = []
    n = len(events)
    if [e["id"] for e in events] != list(range(1, n + 1)):
        return [f"event ids are not 1..{n}: {[e['id'] for e in events][:50]}"]
    by_id = {e["id"]: e for e in events}
    for e in events:
        prev = e.get("previousEventId", 0)
        if (e["id"] == 1 and prev != 0) or (e["id"] > 1 and not 1 <= prev < e["id"]):
            bad.append(f"bad previousEventId: {describe_event(e, server)}")
    if bad:
        return bad
    for a, b in zip(events, events[1:]):
        if ts(b) < ts(a):
            bad.append(f"timestamps go back: {describe_event(a, server)} then {describe_event(b, server)}")
    types = collections.Counter(e["type"] for e in events)
    if events[0]["type"] != "ExecutionStarted" or types["ExecutionStarted"] != 1:
        bad.append(f"{types['ExecutionStarted']} ExecutionStarted events (first is {events[0]['type']})")
    terminal = [e for e in events if e["type"] in TERMINAL_EVENTS]
    if len(terminal) != 1 or events[-1]["type"] != "ExecutionSucceeded":
        bad.append(f"terminal events {[describe_event(e, server) for e in terminal]}, last {events[-1]['type']}")
    seen = {}
    for e in events:
        key = (e["type"], json.dumps(details(e), sort_keys=True, default=str), e.get("previousEventId", 0))
        if key in seen:
            bad.append(f"duplicate event: {describe_event(seen[key], server)} and {describe_event(e, server)}")
        seen[key] = e

    def ancestor(e, pred):
        p = e.get("previousEventId", 0)
        while p:
            a = by_id[p]
            if pred(a):
                return a
            p = a.get("previousEventId", 0)
        return None

    # Each state entered exits exactly once; the exit's chain leads back to its entry.
    exits = collections.defaultdict(list)
    entered = collections.Counter()
    for e in events:
        t = e["type"]
        if t.endswith("StateEntered"):
            entered[details(e)["name"]] += 1
        elif t.endswith("StateExited"):
            name = details(e)["name"]
            ent = ancestor(e, lambda a, name=name: a["type"].endswith("StateEntered") and details(a)["name"] == name)
            if ent is None:
                bad.append(f"exit without entry: {describe_event(e, server)}")
                continue
            exits[ent["id"]].append(e)
            if name in WAIT_SECONDS or name == "W":
                want = spec.input["wait"] if name == "W" else WAIT_SECONDS[name]
                if ts(e) - ts(ent) < want - 0.01:
                    bad.append(f"wait {name} lasted {ts(e) - ts(ent):.3f}s < {want}s: {describe_event(e, server)}")
    for e in events:
        if e["type"].endswith("StateEntered") and len(exits[e["id"]]) != 1:
            bad.append(f"{len(exits[e['id']])} exits for {describe_event(e, server)}: "
                       + ", ".join(describe_event(x, server) for x in exits[e["id"]]))
    if entered != spec.entered:
        bad.append(f"states entered {dict(entered)}, expected {dict(spec.entered)}")

    # Task events, grouped by the TaskStateEntered their chain leads back to.
    tasks = collections.defaultdict(list)
    for e in events:
        if e["type"].startswith(("Lambda", "Activity")):
            owner = ancestor(e, lambda a: a["type"] == "TaskStateEntered")
            if owner is None:
                bad.append(f"task event outside a task state: {describe_event(e, server)}")
            else:
                tasks[owner["id"]].append(e)
    lambda_keys = collections.Counter()
    for owner_id, evs in tasks.items():
        c = collections.Counter(e["type"] for e in evs)
        where = describe_event(by_id[owner_id], server)
        listing = ", ".join(describe_event(e, server) for e in evs)
        if c["LambdaFunctionScheduled"]:
            key = None
            for e in evs:
                if e["type"] == "LambdaFunctionScheduled":
                    ev = json.loads(details(e)["input"])
                    k = f"{ev['id']}.{ev['step']}"
                    if key not in (None, k):
                        bad.append(f"one task state, two Lambda keys {key} {k}: {where}")
                    key = k
            lambda_keys[key] += 1
            ok = (c["LambdaFunctionSucceeded"] == 1 and c["LambdaFunctionStarted"] == c["LambdaFunctionScheduled"]
                  and c["LambdaFunctionFailed"] == c["LambdaFunctionScheduled"] - 1 and c["LambdaFunctionFailed"] <= 1)
            if not ok:
                bad.append(f"Lambda task events {dict(c)} for {where}: {listing}")
            if c["LambdaFunctionFailed"] and not spec.lambda_tasks.get(key):
                bad.append(f"{key} failed but was not meant to: {listing}")
            if invocations.get(key, 0) < c["LambdaFunctionScheduled"]:
                bad.append(f"{key}: {c['LambdaFunctionScheduled']} scheduled but {invocations.get(key, 0)} invocations")
            order = [e for e in evs if e["type"] in ("LambdaFunctionFailed", "LambdaFunctionScheduled")]
            for a, b in zip(order, order[1:]):
                if a["type"] == "LambdaFunctionFailed" and ts(b) - ts(a) < 0.99:
                    bad.append(f"retry after {ts(b) - ts(a):.3f}s < IntervalSeconds 1: {describe_event(b, server)}")
            spec.failures_seen += c["LambdaFunctionFailed"]
            spec.scheduled_seen += c["LambdaFunctionScheduled"]
        elif c["ActivityScheduled"]:
            if (c["ActivityScheduled"], c["ActivityStarted"], c["ActivitySucceeded"]) != (1, 1, 1) or len(c) != 3:
                bad.append(f"activity task events {dict(c)} for {where}: {listing}")
        else:
            bad.append(f"task events {dict(c)} for {where}")
    if lambda_keys != collections.Counter(spec.lambda_tasks.keys()):
        bad.append(f"Lambda tasks {dict(lambda_keys)}, expected one each of {sorted(spec.lambda_tasks)}")
    acts = sum(1 for evs in tasks.values() if any(e["type"] == "ActivityScheduled" for e in evs))
    if acts != spec.activity_tasks:
        bad.append(f"{acts} activity tasks, expected {spec.activity_tasks}")

    # Parallel and Map bookkeeping: once each, every iteration once.
    once = {"seq": {}, "par": {"ParallelStateStarted": 1, "ParallelStateSucceeded": 1},
            "map": {"MapStateStarted": 1, "MapStateSucceeded": 1}}[spec.kind]
    for t, want in once.items():
        if types[t] != want:
            bad.append(f"{types[t]} {t} events, expected {want}")
    if spec.kind == "map":
        for t in ("MapIterationStarted", "MapIterationSucceeded"):
            idx = sorted(details(e)["index"] for e in events if e["type"] == t)
            if idx != list(range(spec.items)):
                bad.append(f"{t} indexes {idx}, expected 0..{spec.items - 1}")
    return bad



def mutations(events):
    """Corrupted copies of a good history, each of which check_history must reject."""
    import copy

    def renumber(evs):
        new = {id(e): i + 1 for i, e in enumerate(evs)}
        old_to_obj = {}
        for e in evs:
            old_to_obj.setdefault(e["id"], e)
        out = []
        for e in evs:
            c = dict(e)
            c["id"] = new[id(e)]
            p = e.get("previousEventId", 0)
            c["previousEventId"] = new[id(old_to_obj[p])] if p else 0
            out.append(c)
        return out

    def dup(pred, chain=False):
        evs = list(events)
        idx = [i for i, e in enumerate(evs) if pred(e)]
        if not idx:
            return None
        i = idx[0]
        c = copy.deepcopy(evs[i])
        c["id"] = -1  # placeholder, renumbered
        if chain:  # a replayed transition: follows the original
            c["previousEventId"] = evs[i]["id"]
        evs.insert(i + 1, c)
        return renumber(evs)

    def drop(pred):
        evs = list(events)
        idx = [i for i, e in enumerate(evs) if pred(e)]
        if not idx:
            return None
        victim = evs.pop(idx[0])
        # Whoever followed the dropped event now follows its predecessor.
        evs = [dict(e, previousEventId=victim.get("previousEventId", 0))
               if e.get("previousEventId") == victim["id"] else e for e in evs]
        return renumber(evs)

    is_type = lambda t: (lambda e: e["type"] == t)  # noqa: E731
    out = {f"replayed {t}": dup(is_type(t), chain=True) for t in (
        "TaskStateExited", "WaitStateExited", "ChoiceStateExited", "PassStateEntered", "LambdaFunctionSucceeded",
        "LambdaFunctionScheduled", "ActivitySucceeded", "MapIterationSucceeded", "MapIterationStarted",
        "ParallelStateSucceeded", "MapStateSucceeded", "ActivityStarted")}
    out.update({
        "duplicated TaskStateExited": dup(is_type("TaskStateExited")),
        "duplicated WaitStateExited": dup(is_type("WaitStateExited")),
        "duplicated ExecutionSucceeded": dup(is_type("ExecutionSucceeded")),
        "duplicated LambdaFunctionSucceeded": dup(is_type("LambdaFunctionSucceeded")),
        "duplicated ActivitySucceeded": dup(is_type("ActivitySucceeded")),
        "duplicated MapIterationSucceeded": dup(is_type("MapIterationSucceeded")),
        "duplicated ParallelStateSucceeded": dup(is_type("ParallelStateSucceeded")),
        "duplicated ChoiceStateEntered": dup(is_type("ChoiceStateEntered")),
        "missing ActivityStarted": drop(is_type("ActivityStarted")),
        "missing LambdaFunctionStarted": drop(is_type("LambdaFunctionStarted")),
        "missing PassStateExited": drop(is_type("PassStateExited")),
        "id gap": [dict(e, id=e["id"] + (1 if e is events[-1] else 0)) for e in events],
        "previousEventId forward": [dict(e, previousEventId=e["id"] + 1) if e["id"] == 3 else e for e in events],
        "previousEventId to itself": [dict(e, previousEventId=e["id"]) if e["id"] == 4 else e for e in events],
        "first event not ExecutionStarted": [dict(events[1], id=1, previousEventId=0)] + events[1:],
        "last event not terminal": events[:-1],
    })
    return {k: v for k, v in out.items() if v is not None}


def self_check(samples, invocations, server):
    """Every corruption of a good history must be caught: the checks can fail."""
    missed, tried = [], 0
    for spec, events in samples:
        counts = (spec.failures_seen, spec.scheduled_seen)
        for what, evs in mutations(events).items():
            tried += 1
            if not check_history(spec, evs, invocations, server):
                missed.append(f"{spec.name}: {what}")
        spec.failures_seen, spec.scheduled_seen = counts
    return tried, missed


def lost_activity_delivery(spec, events, run):
    """True when the execution waits only on activity tasks whose ActivityStarted
    is recorded but whose token no worker ever received: the GetActivityTask
    reply died with the server after the start was committed. AWS delivers an
    activity task at most once, so such a task waits for its timeout (these
    states set none); nothing was lost or duplicated."""
    followed = {e.get("previousEventId") for e in events}
    # A Map iteration's or a Parallel branch's last event ends its own chain
    # and waits on nothing: an iteration ends with MapIteration*, a branch
    # with its last state's *StateExited (a state that moves on is followed,
    # in the same commit, by the next state's Entered).
    ends = {"ExecutionStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted"}
    waiting = [e for e in events if e["id"] not in followed and e["type"] not in ends
               and not e["type"].endswith("StateExited")]
    started = [e for e in waiting if e["type"] == "ActivityStarted"]
    if not started or len(started) != len(waiting):
        return False
    tokens = {r["token"].split("#")[1] for r in run.tokens.get(spec.arn, [])}
    # Task ids are the runtime's; a worker record for the same execution and task id means it got the token.
    return len(run.tokens.get(spec.arn, [])) < spec.activity_tasks and len(tokens) + len(started) <= spec.activity_tasks


def check_lost_rule():
    """The lost-delivery rule on hand-made Map histories: an iteration's end waits on
    nothing, a pending timer does. Returns the cases it judged wrongly."""
    class S: arn, activity_tasks = "x", 3
    class R: tokens = {"x": [{"token": "x#3"}, {"token": "x#5"}]}
    def h(*tail):
        base = [(1, 0, "ExecutionStarted"), (2, 1, "MapStateEntered"), (3, 2, "MapStateStarted"),
                (4, 3, "MapIterationStarted"), (5, 4, "ActivityScheduled"), (6, 5, "ActivityStarted"),
                (7, 3, "MapIterationStarted"), (8, 7, "PassStateEntered"), (9, 8, "PassStateExited"),
                (10, 9, "MapIterationSucceeded")]
        return [{"id": i, "previousEventId": p, "type": t} for i, p, t in base + list(tail)]
    wrong = []
    if not lost_activity_delivery(S, h(), R):
        wrong.append("Map waiting only on an unreceived ActivityStarted judged not lost")
    if lost_activity_delivery(S, h((11, 3, "MapIterationStarted"), (12, 11, "WaitStateEntered")), R):
        wrong.append("Map with a pending Wait judged lost")
    R.tokens = {"x": [{"token": "x#3"}, {"token": "x#5"}, {"token": "x#6"}]}
    if lost_activity_delivery(S, h(), R):
        wrong.append("every token received yet judged lost")
    # A Parallel whose Lambda branch finished (its last event TaskStateExited)
    # while the activity branch's token was lost (the CI case of par-0172).
    par = [{"id": i, "previousEventId": p, "type": t} for i, p, t in [
        (1, 0, "ExecutionStarted"), (2, 1, "ParallelStateEntered"), (3, 2, "ParallelStateStarted"),
        (4, 3, "TaskStateEntered"), (5, 4, "ActivityScheduled"), (6, 3, "TaskStateEntered"),
        (7, 6, "LambdaFunctionScheduled"), (8, 7, "LambdaFunctionStarted"), (9, 8, "LambdaFunctionSucceeded"),
        (10, 9, "TaskStateExited"), (11, 5, "ActivityStarted")]]
    S.activity_tasks = 1
    R.tokens = {}
    if not lost_activity_delivery(S, par, R):
        wrong.append("Parallel waiting only on an unreceived ActivityStarted judged not lost")
    if lost_activity_delivery(S, par[:-1] + [dict(par[-1], type="ActivityScheduled", id=11, previousEventId=4)], R):
        wrong.append("Parallel with an activity not yet started judged lost")
    return wrong


def diagnose(spec, events, run, server, stuck):
    """What a failed execution waits for, and what the workers did with its activity tokens."""
    lines = []
    if stuck:
        lines.append("  last events: " + "; ".join(describe_event(e, server) for e in events[-5:]))
        followed = {e.get("previousEventId") for e in events}
        for e in events:
            if e["type"] in ("ActivityScheduled", "LambdaFunctionStarted", "ActivityStarted") and e["id"] not in followed:
                lines.append(f"  unanswered: {describe_event(e, server)}")
    if spec.activity_tasks:
        recs = run.tokens.get(spec.arn, [])
        lines.append(f"  workers received {len(recs)} activity token(s) of this execution, "
                     f"{spec.activity_tasks} activity task(s) expected")
        for r in recs:
            lines.append(f"  worker {r['worker']} got task {r['token'].split('#')[1]} at {r['got'] - T0:.2f}s "
                         f"({server.kill_context(r['got'])}); SendTaskSuccess {r.get('answer')} after "
                         f"{r.get('attempts')} attempt(s) at {r.get('answered', 0) - T0:.2f}s")
    return lines


def list_names(api, sm_arn, status=None):
    names, token = [], None
    while True:
        kw = {"stateMachineArn": sm_arn, "maxResults": 100}
        if status:
            kw["statusFilter"] = status
        if token:
            kw["nextToken"] = token
        page, _ = api.call("list_executions", **kw)
        names += [x["name"] for x in page["executions"]]
        token = page.get("nextToken")
        if not token:
            return names


# ---- main ------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", help="the stepline executable")
    ap.add_argument("--executions", type=int, default=300)
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--seed", type=int, default=None, help="default: from the clock (printed)")
    ap.add_argument("--kill-every", type=float, nargs=2, default=(0.05, 2.0), metavar=("MIN", "MAX"),
                    help="seconds between a restart and the next SIGKILL (uniform)")
    ap.add_argument("--down", type=float, default=0.6, help="longest time the server stays down (uniform from 0)")
    ap.add_argument("--hold", type=float, default=1.5, help="longest time a worker holds an activity token")
    ap.add_argument("--workers", type=int, default=6, help="activity worker threads")
    ap.add_argument("--settle-timeout", type=float, default=60, help="seconds after the final restart")
    ap.add_argument("--page-size", type=int, default=20, help="GetExecutionHistory maxResults")
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = int(time.time() * 1000) % 1_000_000_007
    log(f"seed {args.seed} (reproduce: crash_test.py BINARY --seed {args.seed} --executions {args.executions} "
        f"--kills {args.kills})")
    rnd = random.Random(args.seed)
    kill_rnd = random.Random(rnd.getrandbits(64))

    root = tempfile.mkdtemp(prefix="stepline-crash-")
    os.makedirs(os.path.join(root, "markers"))
    calc_path = os.path.join(root, "calc.py")
    with open(calc_path, "w") as f:
        f.write(CALC.replace("ROOT", repr(root), 1))
    functions_file = os.path.join(root, "functions.json")
    with open(functions_file, "w") as f:
        json.dump({"functions": {"calc": {"command": [sys.executable, "-S", calc_path]}}}, f)
    stats = Stats()
    server = Server(os.path.abspath(args.binary), root, functions_file)
    server.start()
    api = Api(server, stats)
    activity = api.call("create_activity", name="crash-act")[0]["activityArn"]
    sm_arns = {kind: api.call("create_state_machine", name=f"crash-{kind}", definition=json.dumps(d),
                              roleArn=ROLE)[0]["stateMachineArn"]
               for kind, d in definitions(activity).items()}
    specs = [Spec(i, rnd) for i in range(args.executions)]
    run = Run(args, server, stats, specs, sm_arns, activity)

    # Kill phase: executions start over ~3/4 of it, so kills hit every stage.
    mean_cycle = (sum(args.kill_every) / 2) + args.down / 2 + 0.15
    span = max(1.0, 0.7 * args.kills * mean_cycle)
    t_begin = time.time() + 0.5
    log(f"{args.executions} executions over {span:.0f}s, {args.kills} SIGKILLs; data in {root}")
    threads = [threading.Thread(target=run.worker, args=(i,), daemon=True) for i in range(args.workers)]
    starters = [threading.Thread(target=run.starter, args=(t_begin, span), daemon=True) for _ in range(2)]
    for t in threads + starters:
        t.start()
    for k in range(1, args.kills + 1):
        time.sleep(kill_rnd.uniform(*args.kill_every))
        if not server.alive():
            stats.problem(f"the server exited by itself before kill {k}; log tail:\n{server.log_tail()}")
            server.proc = None
        else:
            server.kill()
        down = kill_rnd.uniform(0, args.down)
        log(f"kill {k}/{args.kills} ({run.started} started), down {down:.2f}s")
        time.sleep(down)
        server.start()
    log(f"final restart done (port {server.port}); waiting for starts")
    for t in starters:
        t.join(300)

    # Settle: every execution terminal.
    t_settle = time.time()
    running = None
    while time.time() - t_settle < args.settle_timeout:
        running = [n for arn in sm_arns.values() for n in list_names(api, arn, "RUNNING")]
        if not running:
            break
        time.sleep(1)
    log(f"settled in {time.time() - t_settle:.1f}s; {len(running or [])} still RUNNING")
    if not server.alive():
        stats.problem(f"the server exited by itself after the final restart; log tail:\n{server.log_tail()}")
        server.start()
        api = Api(server, stats)

    # Nothing lost, nothing extra.
    listed = {n for arn in sm_arns.values() for n in list_names(api, arn)}
    wanted = {s.name for s in specs}
    if listed - wanted:
        stats.problem(f"executions nobody started: {sorted(listed - wanted)[:20]}")

    invocations = collections.Counter()
    with open(os.path.join(root, "invocations.log")) as f:
        for line in f:
            invocations[line.strip()] += 1
    passed, failed, lost_deliveries = 0, 0, 0
    samples = {}  # kind -> (spec, events) of a passing execution, for the self-check
    for spec in specs:
        bad, extra = [], []
        if spec.start_error or not spec.arn:
            bad.append(f"StartExecution failed: {spec.start_error}")
        else:
            if spec.name not in listed:
                bad.append("missing from ListExecutions")
            try:
                d, _ = api.call("describe_execution", executionArn=spec.arn)
            except ClientError as e:
                d = None
                bad.append(f"DescribeExecution: {e.response['Error']['Code']} (lost execution)")
            if d is not None:
                events = api.history(spec.arn, args.page_size)
                if d["status"] == "RUNNING" and lost_activity_delivery(spec, events, run):
                    lost_deliveries += 1
                    print(f"NOTE {spec.name}: an activity token was lost with its GetActivityTask reply "
                          f"(at-most-once delivery, as on AWS); the execution waits for the task's timeout", flush=True)
                    for x in diagnose(spec, events, run, server, stuck=True):
                        print(x)
                    api.call("stop_execution", executionArn=spec.arn)
                    continue
                if d["status"] != "SUCCEEDED":
                    bad.append(f"status {d['status']} {d.get('error', '')} {d.get('cause', '')[:300]}")
                    extra = diagnose(spec, events, run, server, stuck=True)
                else:
                    out = json.loads(d["output"])
                    if out != spec.expected:
                        bad.append(f"output {json.dumps(out, sort_keys=True)} != expected "
                                   f"{json.dumps(spec.expected, sort_keys=True)}")
                    bad += check_history(spec, events, invocations, server)
                    if not bad:
                        samples.setdefault(spec.kind, (spec, events))
                    else:
                        extra = diagnose(spec, events, run, server, stuck=False)
        if bad:
            failed += 1
            print(f"FAIL {spec.name} ({spec.arn}):", flush=True)
            for b in bad:
                print(f"  {b}")
            for x in extra:
                print(x)
        else:
            passed += 1

    for w in check_lost_rule():
        stats.problem(f"the lost-delivery rule is wrong: {w}")
    tried, missed = self_check(samples.values(), invocations, server)
    log(f"self-check: {tried} corrupted histories, {len(missed)} not detected")
    for m in missed:
        stats.problem(f"the history check missed a corruption: {m}")
    if len(samples) < 3:
        stats.problem(f"self-check had samples of only {sorted(samples)}")
    c = stats.counts
    tasks = sum(len(s.lambda_tasks) for s in specs)
    planned = sum(sum(s.lambda_tasks.values()) for s in specs)
    markers = len(os.listdir(os.path.join(root, "markers")))
    scheduled = sum(s.scheduled_seen for s in specs)
    seen_fail = sum(s.failures_seen for s in specs)
    total_inv = sum(invocations.values())
    log(f"kills {server.kills}, server starts {server.starts}, request retries {c['request retries']}")
    log(f"StartExecution retried {c['StartExecution retried']} (found finished: "
        f"{c['StartExecution retried, found finished']})")
    log(f"Lambda: {tasks} tasks, {planned} meant to fail once, {markers} first attempts failed, "
        f"{seen_fail} failures in histories, {scheduled} LambdaFunctionScheduled, {total_inv} invocations "
        f"({total_inv - scheduled} extra: re-dispatched after a crash)")
    log(f"activities: {sum(s.activity_tasks for s in specs)} tasks, {c['activity tasks received']} tokens received, "
        f"{c['activity tokens held across a crash']} held across a crash, "
        f"{c['SendTaskSuccess retried, first attempt had landed']} answers whose first attempt had landed")
    log("connection errors: " + ", ".join(f"{op} {err} {n}" for (op, err), n in sorted(stats.errors.items())))
    for p in stats.problems:
        print(f"PROBLEM: {p}")
    run.stop.set()
    server.stop()
    if failed or stats.problems or args.keep:
        log(f"data kept in {root} (server log: {server.log_path})")
    else:
        shutil.rmtree(root, ignore_errors=True)
    log(f"activity tokens lost with their GetActivityTask reply (at-most-once delivery, allowed): {lost_deliveries}")
    print(f"crash: {passed} passed, {failed} failed", flush=True)
    return 1 if failed or stats.problems else 0


if __name__ == "__main__":
    sys.exit(main())
