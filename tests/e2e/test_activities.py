"""Activities (CRUD, pagination), the activity worker round trip
(GetActivityTask, SendTaskSuccess/Failure/Heartbeat, heartbeat and task
timeouts, bad tokens) and the callback pattern (lambda:invoke.waitForTaskToken
with a local function that writes the token to a file)."""
import datetime
import json
import os
import threading
import time
import unittest

from common import (ServerTestCase, lambda_arn, start_module_server, stop_module_server, uid)


def setUpModule():
    start_module_server()


def tearDownModule():
    stop_module_server()


def activity_def(activity_arn, heartbeat=None, timeout=None, catch=False):
    t = {"Type": "Task", "Resource": activity_arn, "End": True}
    if heartbeat:
        t["HeartbeatSeconds"] = heartbeat
    if timeout:
        t["TimeoutSeconds"] = timeout
    states = {"Work": t}
    if catch:
        t["Catch"] = [{"ErrorEquals": ["MyError"], "ResultPath": "$.err", "Next": "Handled"}]
        states["Handled"] = {"Type": "Pass", "End": True}
    return {"StartAt": "Work", "States": states}


class Worker(threading.Thread):
    """Polls GetActivityTask once on its own client; result in .task, time taken in .elapsed."""

    def __init__(self, server, activity_arn, name="worker-1"):
        super().__init__(daemon=True)
        self.client = server.client(read_timeout=75)
        self.activity_arn, self.name = activity_arn, name
        self.task = self.error = None
        self.elapsed = None

    def run(self):
        t0 = time.time()
        try:
            self.task = self.client.get_activity_task(activityArn=self.activity_arn, workerName=self.name)
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.error = e
        self.elapsed = time.time() - t0


class ActivityCrud(ServerTestCase):
    def test_create_describe_delete(self):
        name = uid("act")
        r = self.sfn.create_activity(name=name)
        self.assertEqual(r["activityArn"], f"arn:aws:states:us-east-1:123456789012:activity:{name}")
        self.assertIsInstance(r["creationDate"], datetime.datetime)
        again = self.sfn.create_activity(name=name)  # idempotent
        self.assertEqual(again["activityArn"], r["activityArn"])
        self.assertEqual(again["creationDate"], r["creationDate"])
        d = self.sfn.describe_activity(activityArn=r["activityArn"])
        self.assertEqual((d["activityArn"], d["name"], d["creationDate"]), (r["activityArn"], name, r["creationDate"]))
        self.sfn.delete_activity(activityArn=r["activityArn"])
        self.assertAwsError("ActivityDoesNotExist", self.sfn.describe_activity, activityArn=r["activityArn"])
        self.assertAwsError("ActivityDoesNotExist", self.sfn.get_activity_task, activityArn=r["activityArn"])
        self.sfn.delete_activity(activityArn=r["activityArn"])  # deleting again is fine

    def test_errors(self):
        self.assertAwsError("InvalidName", self.sfn.create_activity, name="bad name")
        self.assertAwsError("ValidationException", self.raw.create_activity, name="a" * 81)
        self.assertAwsError("InvalidArn", self.sfn.describe_activity, activityArn="not-an-arn")
        self.assertAwsError("InvalidArn", self.sfn.delete_activity, activityArn="not-an-arn")
        self.assertAwsError("InvalidArn", self.sfn.get_activity_task, activityArn="not-an-arn")

    def test_list_pagination(self):
        prefix = uid("acts")
        made = {self.sfn.create_activity(name=f"{prefix}-{i:02d}")["activityArn"] for i in range(25)}
        seen, token, pages = [], None, 0
        while True:
            kw = {"nextToken": token} if token else {}
            page = self.sfn.list_activities(maxResults=10, **kw)
            pages += 1
            for a in page["activities"]:
                self.assertEqual(set(a), {"activityArn", "name", "creationDate"})
            seen += [a["activityArn"] for a in page["activities"]]
            token = page.get("nextToken")
            if not token:
                break
            self.assertEqual(len(page["activities"]), 10)
        self.assertGreaterEqual(pages, 3)
        self.assertLessEqual(made, set(seen))
        self.assertEqual(len(seen), len(set(seen)))
        via = [a["activityArn"] for p in self.sfn.get_paginator("list_activities").paginate(
            PaginationConfig={"PageSize": 10}) for a in p["activities"]]
        self.assertLessEqual(made, set(via))
        self.assertAwsError("InvalidToken", self.sfn.list_activities, nextToken="xyz-not-a-token")


class ActivityRoundTrip(ServerTestCase):
    def setUp(self):
        self.activity = self.sfn.create_activity(name=uid("work"))["activityArn"]

    def start(self, **kw):
        arn = self.create_sm(activity_def(self.activity, **kw))["stateMachineArn"]
        return self.sfn.start_execution(stateMachineArn=arn, input='{"job": 7}')["executionArn"]

    def poll(self, name="worker-1", timeout=10):
        w = Worker(self.server, self.activity, name)
        w.start()
        w.join(timeout)
        self.assertFalse(w.is_alive(), "GetActivityTask did not return")
        self.assertIsNone(w.error)
        return w

    def test_poll_returns_promptly_when_a_task_is_scheduled(self):
        w = Worker(self.server, self.activity, "early-bird")
        w.start()
        time.sleep(0.5)  # the worker is waiting in its long poll
        t0 = time.time()
        e = self.start()
        w.join(10)
        self.assertFalse(w.is_alive(), "the long poll did not return when a task was scheduled")
        self.assertLess(time.time() - t0, 5)
        self.assertIsNone(w.error)
        self.assertTrue(w.task["taskToken"])
        self.assertEqual(json.loads(w.task["input"]), {"job": 7})
        self.sfn.send_task_success(taskToken=w.task["taskToken"], output='{"done": 1}')
        self.wait_status(e, "SUCCEEDED")

    def test_send_task_success(self):
        e = self.start()
        w = self.poll("worker-A")
        r = self.sfn.send_task_success(taskToken=w.task["taskToken"], output='{"result": "ok"}')
        self.assertEqual({k: v for k, v in r.items() if k != "ResponseMetadata"}, {})
        d = self.wait_status(e, "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"result": "ok"})
        events = self.history(e)
        self.assertConsistentHistory(events)
        types = [x["type"] for x in events]
        for t in ("ActivityScheduled", "ActivityStarted", "ActivitySucceeded"):
            self.assertIn(t, types)
        sched = next(x for x in events if x["type"] == "ActivityScheduled")["activityScheduledEventDetails"]
        self.assertEqual(sched["resource"], self.activity)
        self.assertEqual(json.loads(sched["input"]), {"job": 7})
        started = next(x for x in events if x["type"] == "ActivityStarted")["activityStartedEventDetails"]
        self.assertEqual(started["workerName"], "worker-A")
        # The task is closed: answering again is refused.
        with self.assertRaises(Exception) as cm:
            self.sfn.send_task_success(taskToken=w.task["taskToken"], output="{}")
        self.assertIn(cm.exception.response["Error"]["Code"], ("TaskTimedOut", "TaskDoesNotExist"))

    def test_send_task_failure_uncaught(self):
        e = self.start()
        w = self.poll()
        self.sfn.send_task_failure(taskToken=w.task["taskToken"], error="WorkerErr", cause="disk full")
        d = self.wait_status(e, "FAILED")
        self.assertEqual((d["error"], d["cause"]), ("WorkerErr", "disk full"))
        failed = [x for x in self.history(e) if x["type"] == "ActivityFailed"]
        self.assertEqual(failed[0]["activityFailedEventDetails"], {"error": "WorkerErr", "cause": "disk full"})

    def test_send_task_failure_caught(self):
        e = self.start(catch=True)
        w = self.poll()
        self.sfn.send_task_failure(taskToken=w.task["taskToken"], error="MyError", cause="handled it")
        d = self.wait_status(e, "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"job": 7, "err": {"Error": "MyError", "Cause": "handled it"}})

    def test_heartbeats_keep_the_task_alive(self):
        e = self.start(heartbeat=2, timeout=30)
        w = self.poll()
        token = w.task["taskToken"]
        t0 = time.time()
        while time.time() - t0 < 4.5:  # more than twice HeartbeatSeconds
            r = self.sfn.send_task_heartbeat(taskToken=token)
            self.assertEqual({k: v for k, v in r.items() if k != "ResponseMetadata"}, {})
            self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "RUNNING")
            time.sleep(0.8)
        self.sfn.send_task_success(taskToken=token, output='{"alive": true}')
        d = self.wait_status(e, "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"alive": True})
        self.assertNotIn("ActivityTimedOut", [x["type"] for x in self.history(e)])

    def test_missed_heartbeat_times_out(self):
        e = self.start(heartbeat=1, timeout=30)
        w = self.poll()
        t0 = time.time()
        d = self.wait_status(e, "FAILED", timeout=10)
        self.assertLess(time.time() - t0, 8)
        self.assertEqual(d["error"], "States.HeartbeatTimeout")
        events = self.history(e)
        self.assertConsistentHistory(events)
        timed_out = [x for x in events if x["type"] == "ActivityTimedOut"]
        self.assertEqual(len(timed_out), 1)
        self.assertEqual(timed_out[0]["activityTimedOutEventDetails"]["error"], "States.HeartbeatTimeout")
        with self.assertRaises(Exception) as cm:
            self.sfn.send_task_heartbeat(taskToken=w.task["taskToken"])
        self.assertEqual(cm.exception.response["Error"]["Code"], "TaskTimedOut")

    def test_task_timeout(self):
        e = self.start(timeout=1)
        d = self.wait_status(e, "FAILED", timeout=10)
        self.assertEqual(d["error"], "States.Timeout")
        self.assertIn("ActivityTimedOut", [x["type"] for x in self.history(e)])

    def test_bad_tokens(self):
        for fn, kw in ((self.sfn.send_task_success, {"output": "{}"}),
                       (self.sfn.send_task_failure, {"error": "E"}),
                       (self.sfn.send_task_heartbeat, {})):
            self.assertAwsError("InvalidToken", fn, taskToken="definitely-not-a-token", **kw)
        self.assertAwsError("ValidationException", self.raw.send_task_success, taskToken="x" * 2049, output="{}")

    def test_invalid_output(self):
        e = self.start()
        w = self.poll()
        self.assertAwsError("InvalidOutput", self.sfn.send_task_success, taskToken=w.task["taskToken"],
                            output="{nope")
        self.sfn.send_task_success(taskToken=w.task["taskToken"], output="[1]")
        self.assertEqual(json.loads(self.wait_status(e, "SUCCEEDED")["output"]), [1])

    def test_two_tasks_two_workers(self):
        e1, e2 = self.start(), self.start()
        w1, w2 = self.poll("w1"), self.poll("w2")
        self.assertNotEqual(w1.task["taskToken"], w2.task["taskToken"])
        self.sfn.send_task_success(taskToken=w2.task["taskToken"], output='{"w": 2}')
        self.sfn.send_task_success(taskToken=w1.task["taskToken"], output='{"w": 1}')
        outs = {json.loads(self.wait_status(x, "SUCCEEDED")["output"])["w"] for x in (e1, e2)}
        self.assertEqual(outs, {1, 2})


class Callback(ServerTestCase):
    def start(self, heartbeat=None):
        task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": lambda_arn("token_writer"),
                               "Payload": {"token.$": "$$.Task.Token", "path.$": "$.path"}},
                "End": True}
        if heartbeat:
            task["HeartbeatSeconds"] = heartbeat
        arn = self.create_sm({"StartAt": "Cb", "States": {"Cb": task}})["stateMachineArn"]
        path = os.path.join(self.server.root, uid("token"))
        e = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({"path": path}))["executionArn"]
        deadline = time.time() + 15
        while not os.path.exists(path):
            self.assertLess(time.time(), deadline, "the function never wrote the token")
            time.sleep(0.05)
        with open(path) as f:
            token = f.read()
        self.assertTrue(token)
        return e, token

    def test_callback_success(self):
        e, token = self.start()
        time.sleep(0.3)
        self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "RUNNING")
        self.sfn.send_task_success(taskToken=token, output='{"approved": true}')
        d = self.wait_status(e, "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"approved": True})
        events = self.history(e)
        self.assertConsistentHistory(events)
        types = [x["type"] for x in events]
        self.assertIn("TaskScheduled", types)
        self.assertIn("TaskSucceeded", types)
        sched = next(x for x in events if x["type"] == "TaskScheduled")["taskScheduledEventDetails"]
        self.assertEqual((sched["resourceType"], sched["resource"]), ("lambda", "invoke.waitForTaskToken"))

    def test_callback_failure(self):
        e, token = self.start()
        self.sfn.send_task_failure(taskToken=token, error="Rejected", cause="no budget")
        d = self.wait_status(e, "FAILED")
        self.assertEqual((d["error"], d["cause"]), ("Rejected", "no budget"))
        self.assertIn("TaskFailed", [x["type"] for x in self.history(e)])

    def test_callback_heartbeat(self):
        e, token = self.start(heartbeat=2)
        for _ in range(4):
            time.sleep(0.8)
            self.sfn.send_task_heartbeat(taskToken=token)
        self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "RUNNING")
        self.sfn.send_task_success(taskToken=token, output='{"late": "but alive"}')
        self.assertEqual(json.loads(self.wait_status(e, "SUCCEEDED")["output"]), {"late": "but alive"})


if __name__ == "__main__":
    unittest.main()
