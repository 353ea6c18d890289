"""Durability smoke tests: SIGKILL the server while executions wait (Wait
states, an activity task, a callback token), restart it on the same data
directory, and check that everything finishes with the right output and a
consistent history; acknowledged StartExecution calls survive a crash; a
graceful stop exits cleanly."""
import json
import os
import signal
import time
import unittest

from common import ROLE, Server, ServerTestCase, check_history, lambda_arn, pass_def, uid

WAIT_THEN_ECHO = {"StartAt": "W", "States": {
    "W": {"Type": "Wait", "Seconds": 3, "Next": "P"},
    "P": {"Type": "Pass", "Parameters": {"i.$": "$.i", "done": True}, "End": True}}}


class Durability(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        pass  # each test runs its own server

    def setUp(self):
        self.server = Server().start()
        self.sfn = self.server.client()
        self.addCleanup(self.server.cleanup)

    def restart(self, kill=True):
        if kill:
            self.server.kill()
        else:
            self.server.stop()
        self.server.start()
        self.sfn = self.server.client()

    def create(self, d):
        return self.sfn.create_state_machine(name=uid("dur"), definition=json.dumps(d), roleArn=ROLE)[
            "stateMachineArn"]

    def test_kill_and_restart_resumes_waiting_executions(self):
        waiting = self.create(WAIT_THEN_ECHO)
        quick = self.create(pass_def({"quick": True}))
        activity = self.sfn.create_activity(name=uid("duract"))["activityArn"]
        act_sm = self.create({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity, "End": True}}})
        cb_sm = self.create({"StartAt": "Cb", "States": {"Cb": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": lambda_arn("token_writer"),
                           "Payload": {"token.$": "$$.Task.Token", "path.$": "$.path"}},
            "End": True}}})

        done_before = self.sfn.start_execution(stateMachineArn=quick, name="before")["executionArn"]
        self.wait_status(done_before, "SUCCEEDED")
        waits = [self.sfn.start_execution(stateMachineArn=waiting, name=f"w{i}", input=json.dumps({"i": i}))[
            "executionArn"] for i in range(5)]
        act_exec = self.sfn.start_execution(stateMachineArn=act_sm, input='{"work": 1}')["executionArn"]
        token_path = os.path.join(self.server.root, "cb-token")
        cb_exec = self.sfn.start_execution(stateMachineArn=cb_sm, input=json.dumps({"path": token_path}))[
            "executionArn"]
        deadline = time.time() + 15
        while not os.path.exists(token_path):
            self.assertLess(time.time(), deadline, "callback function never ran")
            time.sleep(0.05)
        with open(token_path) as f:
            token = f.read()
        for e in waits + [act_exec, cb_exec]:
            self.assertEqual(self.sfn.describe_execution(executionArn=e)["status"], "RUNNING")

        self.restart(kill=True)

        d = self.sfn.describe_execution(executionArn=done_before)
        self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", {"quick": True}))
        self.assertEqual(self.sfn.describe_activity(activityArn=activity)["activityArn"], activity)
        for i, e in enumerate(waits):
            d = self.wait_status(e, "SUCCEEDED", timeout=15)
            self.assertEqual(json.loads(d["output"]), {"i": i, "done": True})
            events = self.history(e)
            check_history(self, events)
            types = [x["type"] for x in events]
            self.assertEqual(types, ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered",
                                     "PassStateExited", "ExecutionSucceeded"])
            self.assertGreaterEqual((events[2]["timestamp"] - events[1]["timestamp"]).total_seconds(), 2.9)

        # The pending activity task is still there for a worker.
        task = self.server.client(read_timeout=75).get_activity_task(activityArn=activity, workerName="after")
        self.assertEqual(json.loads(task["input"]), {"work": 1})
        self.sfn.send_task_success(taskToken=task["taskToken"], output='{"worked": true}')
        d = self.wait_status(act_exec, "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"worked": True})
        check_history(self, self.history(act_exec))

        # The callback token issued before the crash still works.
        self.sfn.send_task_success(taskToken=token, output='{"called": "back"}')
        d = self.wait_status(cb_exec, "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"called": "back"})
        check_history(self, self.history(cb_exec))

        # And the server accepts new work.
        e = self.sfn.start_execution(stateMachineArn=quick, name="after")["executionArn"]
        self.wait_status(e, "SUCCEEDED")
        names = {x["name"] for x in self.sfn.list_executions(stateMachineArn=quick)["executions"]}
        self.assertEqual(names, {"before", "after"})

    def test_wait_that_expired_while_down_fires_after_restart(self):
        arn = self.create({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}})
        e = self.sfn.start_execution(stateMachineArn=arn, input='{"k": "v"}')["executionArn"]
        self.server.kill()
        time.sleep(2)
        self.server.start()
        self.sfn = self.server.client()
        d = self.wait_status(e, "SUCCEEDED", timeout=10)
        self.assertEqual(json.loads(d["output"]), {"k": "v"})
        check_history(self, self.history(e))

    def test_acknowledged_starts_survive_a_crash(self):
        arn = self.create({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}})
        started = [self.sfn.start_execution(stateMachineArn=arn, name=f"s{i:02d}", input=json.dumps({"n": i}))[
            "executionArn"] for i in range(20)]
        self.server.kill()  # right after the last acknowledgement
        self.server.start()
        self.sfn = self.server.client()
        for i, e in enumerate(started):
            d = self.wait_status(e, "SUCCEEDED", timeout=15)
            self.assertEqual(json.loads(d["output"]), {"n": i})
            check_history(self, self.history(e))
        listed = [x["executionArn"] for p in self.sfn.get_paginator("list_executions").paginate(stateMachineArn=arn)
                  for x in p["executions"]]
        self.assertEqual(sorted(listed), sorted(started))

    def test_graceful_stop(self):
        arn = self.create(pass_def({"x": 1}))
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        self.wait_status(e, "SUCCEEDED")
        proc = self.server.proc
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(15), 0)
        self.server.proc = None
        self.server.start()
        self.sfn = self.server.client()
        self.assertEqual(json.loads(self.sfn.describe_execution(executionArn=e)["output"]), {"x": 1})


if __name__ == "__main__":
    unittest.main()
