"""Shared fixture of the end-to-end suite: the real `stepline serve` on a free
port with a temporary data directory and a functions file, boto3 and aws cli
clients pointed at it, and helpers (waiting for executions, checking
histories, asserting AWS error codes).

The binary comes from the STEPLINE_BIN environment variable (run.py sets it).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

import boto3
import botocore.config
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/stepline-e2e"
HERE = os.path.dirname(os.path.abspath(__file__))
# Errors any AWS JSON operation can answer (request validation, protocol), declared or not.
GENERIC_ERRORS = {"ValidationException", "SerializationException", "UnknownOperationException", "InternalFailure",
                  "ThrottlingException"}
TERMINAL = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")


def stepline_bin():
    b = os.environ.get("STEPLINE_BIN")
    if not b:
        raise unittest.SkipTest("STEPLINE_BIN is not set (run tests/e2e/run.py BINARY)")
    return b


def uid(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# ---- local Lambda functions the tests use -------------------------------------

FUNCTIONS = {
    # Returns {"echo": event}.
    "echo": "import json,sys\nev=json.load(sys.stdin)\nprint(json.dumps({'echo': ev}))\n",
    # Fails with the error type and message in the event.
    "fail": (
        "import json,sys\nev=json.load(sys.stdin)\n"
        "print(json.dumps({'errorType': ev.get('type','Boom'), 'errorMessage': ev.get('message','it broke'),"
        " 'stackTrace': []}))\nsys.exit(1)\n"
    ),
    # Writes the task token in the payload to the file the payload names (callback pattern).
    "token_writer": (
        "import json,os,sys\nev=json.load(sys.stdin)\np=ev['path']\n"
        "open(p+'.tmp','w').write(ev['token'])\nos.replace(p+'.tmp',p)\n"
        "print(json.dumps({'written': True}))\n"
    ),
    # Fails until the marker file in the event exists (creates it on the first call): for redrive.
    "flaky": (
        "import json,os,sys\nev=json.load(sys.stdin)\nm=ev['marker']\n"
        "if not os.path.exists(m):\n"
        "  open(m,'w').write('1')\n"
        "  print(json.dumps({'errorType':'Flaky','errorMessage':'first call fails','stackTrace':[]}))\n"
        "  sys.exit(1)\n"
        "print(json.dumps({'ok': True}))\n"
    ),
}


def lambda_arn(name):
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


class Server:
    """One `stepline serve` process: start, stop (SIGTERM), kill (SIGKILL), restart on the same data dir."""

    def __init__(self, root=None):
        self.root = root or tempfile.mkdtemp(prefix="stepline-e2e-")
        self.data = os.path.join(self.root, "data")
        self.fn_dir = os.path.join(self.root, "functions")
        os.makedirs(self.fn_dir, exist_ok=True)
        fns = {}
        for name, code in FUNCTIONS.items():
            path = os.path.join(self.fn_dir, name + ".py")
            with open(path, "w") as f:
                f.write(code)
            fns[name] = {"command": [sys.executable, path]}
        self.functions_file = os.path.join(self.root, "functions.json")
        with open(self.functions_file, "w") as f:
            json.dump({"functions": fns}, f)
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.root, "server.log")
        self.starts = 0

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=20):
        self.starts += 1
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [stepline_bin(), "serve", "--port", "0", "--data", self.data, "--functions", self.functions_file],
            stdout=subprocess.PIPE, stderr=log, text=True)
        log.close()
        line = [None]

        def read():
            line[0] = self.proc.stdout.readline()

        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(timeout)
        text = line[0] or ""
        prefix = "Stepline listening on http://127.0.0.1:"
        if not text.startswith(prefix):
            self.kill()
            raise RuntimeError(f"server did not start: {text!r}; log: {self.log()}")
        self.port = int(text[len(prefix):].split()[0])
        # Keep draining stdout so the server never blocks on a full pipe.
        threading.Thread(target=lambda p=self.proc: [None for _ in p.stdout], daemon=True).start()
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    # ---- clients ----

    def client(self, validate=True, read_timeout=30):
        cfg = botocore.config.Config(
            retries={"total_max_attempts": 1, "mode": "standard"},
            inject_host_prefix=False,
            parameter_validation=validate,
            read_timeout=read_timeout,
            connect_timeout=5,
        )
        return boto3.session.Session().client(
            "stepfunctions", endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", config=cfg)

    def cli(self, *args, timeout=60):
        """Runs `aws stepfunctions ARGS --output json`; returns (returncode, parsed stdout or None, stderr)."""
        env = dict(os.environ)
        env.update({
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "AWS_PAGER": "",
            "AWS_CONFIG_FILE": os.path.join(self.root, "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.root, "no-aws-credentials"),
        })
        env.pop("AWS_PROFILE", None)
        p = subprocess.run(["aws", "--endpoint-url", self.endpoint, "stepfunctions", *args, "--output", "json"],
                           capture_output=True, text=True, env=env, timeout=timeout)
        out = None
        if p.stdout.strip():
            out = json.loads(p.stdout)
        return p.returncode, out, p.stderr


# ---- one server per test module --------------------------------------------------

class ServerTestCase(unittest.TestCase):
    """Base class: a server shared by the module's tests (started in setUpModule via start_module_server)."""
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = module_server()
        cls.sfn = cls.server.client()
        cls.raw = cls.server.client(validate=False)

    # ---- helpers ----

    def create_sm(self, definition, name=None, type_=None, **kw):
        args = dict(name=name or uid("sm"), definition=definition if isinstance(definition, str) else json.dumps(definition),
                    roleArn=ROLE)
        if type_:
            args["type"] = type_
        args.update(kw)
        return self.sfn.create_state_machine(**args)

    def assertAwsError(self, code, fn, *args, **kw):
        """Calls fn, expecting AWS error `code` (HTTP 400) that the service model declares for the operation."""
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kw)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err["Error"].get("Message"))
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400, err)
        self.assertTrue(err["Error"].get("Message"), f"{code} without a message")
        op = self.sfn.meta.service_model.operation_model(cm.exception.operation_name)
        declared = {s.name for s in op.error_shapes} | GENERIC_ERRORS
        self.assertIn(code, declared, f"{code} is not an error of {op.name} in the service model")
        return err

    def wait_done(self, arn, timeout=20, client=None):
        c = client or self.sfn
        deadline = time.time() + timeout
        while True:
            d = c.describe_execution(executionArn=arn)
            if d["status"] != "RUNNING":
                return d
            if time.time() > deadline:
                self.fail(f"execution still RUNNING after {timeout}s: {arn}")
            time.sleep(0.05)

    def wait_status(self, arn, status, timeout=20):
        d = self.wait_done(arn, timeout)
        self.assertEqual(d["status"], status, d)
        return d

    def history(self, arn, client=None, **kw):
        c = client or self.sfn
        events = []
        for page in c.get_paginator("get_execution_history").paginate(executionArn=arn, **kw):
            events.extend(page["events"])
        return events

    def assertConsistentHistory(self, events):
        check_history(self, events)


_module_server = {}


def start_module_server():
    s = Server().start()
    _module_server["s"] = s
    return s


def stop_module_server():
    s = _module_server.pop("s", None)
    if s:
        alive = s.alive()
        s.cleanup()
        if not alive:
            raise RuntimeError("the server died during the tests")


def module_server():
    s = _module_server.get("s")
    if s is None:
        s = start_module_server()
    return s


def check_history(tc, events):
    """AWS's history invariants: ids 1..n by one, previousEventId < id, no duplicates, timestamps ordered."""
    ids = [e["id"] for e in events]
    tc.assertEqual(ids, list(range(1, len(events) + 1)), [(e["id"], e["type"]) for e in events])
    for e in events:
        tc.assertLess(e.get("previousEventId", 0), e["id"], e)
    tc.assertEqual(events[0]["type"], "ExecutionStarted")
    for a, b in zip(events, events[1:]):
        tc.assertLessEqual(a["timestamp"], b["timestamp"])
    seen = set()
    for e in events:
        key = json.dumps({k: v for k, v in e.items() if k not in ("id", "previousEventId", "timestamp")},
                         sort_keys=True, default=str)
        key = (key, e["previousEventId"] if "previousEventId" in e else None)
        tc.assertNotIn(key, seen, f"duplicate event {e}")
        seen.add(key)


# ---- definitions ------------------------------------------------------------------

def pass_def(result=None):
    s = {"Type": "Pass", "End": True}
    if result is not None:
        s["Result"] = result
    return {"StartAt": "P", "States": {"P": s}}


def wait_def(seconds, result=None):
    d = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "Next": "P"},
                                    "P": {"Type": "Pass", "End": True}}}
    if result is not None:
        d["States"]["P"]["Result"] = result
    return d


def fail_def(error="MyError", cause="my cause"):
    return {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": error, "Cause": cause}}}
