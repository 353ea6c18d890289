"""Executions: start (standard, express async and sync), describe, list +
pagination, history (+ reverseOrder, includeExecutionData, pagination), stop,
idempotency, DescribeStateMachineForExecution, redrive, through boto3."""
import datetime
import json
import os
import unittest

from common import (ROLE, ServerTestCase, fail_def, lambda_arn, pass_def, start_module_server, stop_module_server,
                    uid, wait_def)


def setUpModule():
    start_module_server()


def tearDownModule():
    stop_module_server()


THREE_PASSES = {"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.a", "Next": "B"},
    "B": {"Type": "Pass", "Result": {"b": 2}, "ResultPath": "$.b", "Next": "C"},
    "C": {"Type": "Pass", "End": True}}}


class StartDescribe(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pass_arn = cls.sfn.create_state_machine(name=uid("exec"), definition=json.dumps(THREE_PASSES),
                                                    roleArn=ROLE)["stateMachineArn"]

    def test_start_and_describe_succeeded(self):
        name = uid("run")
        r = self.sfn.start_execution(stateMachineArn=self.pass_arn, name=name, input='{"in": true}')
        sm_name = self.pass_arn.split(":")[-1]
        self.assertEqual(r["executionArn"], f"arn:aws:states:us-east-1:123456789012:execution:{sm_name}:{name}")
        self.assertIsInstance(r["startDate"], datetime.datetime)
        d = self.wait_status(r["executionArn"], "SUCCEEDED")
        self.assertEqual(d["executionArn"], r["executionArn"])
        self.assertEqual(d["stateMachineArn"], self.pass_arn)
        self.assertEqual(d["name"], name)
        self.assertEqual(d["startDate"], r["startDate"])
        self.assertIsInstance(d["stopDate"], datetime.datetime)
        self.assertGreaterEqual(d["stopDate"], d["startDate"])
        self.assertEqual(json.loads(d["input"]), {"in": True})
        self.assertEqual(json.loads(d["output"]), {"in": True, "a": {"a": 1}, "b": {"b": 2}})
        self.assertEqual(d["inputDetails"], {"included": True})
        self.assertEqual(d["outputDetails"], {"included": True})
        self.assertEqual(d["redriveCount"], 0)
        self.assertEqual(d["redriveStatus"], "NOT_REDRIVABLE")
        self.assertNotIn("error", d)

    def test_describe_metadata_only(self):
        e = self.sfn.start_execution(stateMachineArn=self.pass_arn, input='{"secret": 1}')["executionArn"]
        self.wait_status(e, "SUCCEEDED")
        d = self.sfn.describe_execution(executionArn=e, includedData="METADATA_ONLY")
        self.assertNotIn("input", d)
        self.assertNotIn("output", d)
        self.assertEqual(d["inputDetails"], {"included": False})

    def test_default_name_is_uuid_and_input_defaults_to_empty_object(self):
        e = self.sfn.start_execution(stateMachineArn=self.pass_arn)["executionArn"]
        d = self.wait_status(e, "SUCCEEDED")
        self.assertRegex(d["name"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertEqual(json.loads(d["input"]), {})

    def test_failed_execution_has_error_and_cause(self):
        arn = self.create_sm(fail_def("Bad", "really bad"))["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        d = self.wait_status(e, "FAILED")
        self.assertEqual((d["error"], d["cause"]), ("Bad", "really bad"))
        self.assertNotIn("output", d)
        self.assertEqual(d["redriveStatus"], "REDRIVABLE")

    def test_lambda_task_runs_local_function(self):
        d = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": lambda_arn("echo"), "End": True}}}
        arn = self.create_sm(d)["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input='{"n": 3}')["executionArn"]
        self.assertEqual(json.loads(self.wait_status(e, "SUCCEEDED")["output"]), {"echo": {"n": 3}})
        types = [ev["type"] for ev in self.history(e)]
        self.assertIn("LambdaFunctionScheduled", types)
        self.assertIn("LambdaFunctionSucceeded", types)

    def test_lambda_error_is_task_error(self):
        d = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                              "Parameters": {"FunctionName": lambda_arn("fail"), "Payload.$": "$"},
                                              "End": True}}}
        arn = self.create_sm(d)["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input='{"type": "Kaput", "message": "m1"}')["executionArn"]
        dd = self.wait_status(e, "FAILED")
        self.assertEqual(dd["error"], "Kaput")
        self.assertIn("m1", dd["cause"])

    def test_running_execution_description(self):
        arn = self.create_sm(wait_def(30))["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input='{"r": 1}')["executionArn"]
        d = self.sfn.describe_execution(executionArn=e)
        self.assertEqual(d["status"], "RUNNING")
        for k in ("stopDate", "output", "outputDetails", "error", "cause"):
            self.assertNotIn(k, d)
        self.assertEqual(d["redriveStatus"], "NOT_REDRIVABLE")
        self.assertEqual(d["redriveStatusReason"], "Execution is RUNNING and cannot be redriven")
        self.sfn.stop_execution(executionArn=e)

    def test_execution_timeout(self):
        d = {"TimeoutSeconds": 1, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": True}}}
        arn = self.create_sm(d)["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        dd = self.wait_status(e, "TIMED_OUT", timeout=10)
        self.assertEqual(dd["error"], "States.Timeout")
        events = self.history(e)
        self.assertConsistentHistory(events)
        self.assertEqual(events[-1]["type"], "ExecutionTimedOut")
        self.assertEqual(events[-1]["executionTimedOutEventDetails"]["error"], "States.Timeout")

    def test_map_and_parallel_with_lambda(self):
        d = {"StartAt": "M", "States": {
            "M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "E",
                "States": {"E": {"Type": "Task", "Resource": lambda_arn("echo"), "End": True}}},
                "ResultPath": "$.mapped", "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": True}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": True}}}],
                "ResultPath": "$.par", "End": True}}}
        arn = self.create_sm(d)["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input='{"items": [1, 2, 3]}')["executionArn"]
        out = json.loads(self.wait_status(e, "SUCCEEDED")["output"])
        self.assertEqual(out["mapped"], [{"echo": 1}, {"echo": 2}, {"echo": 3}])
        self.assertEqual(out["par"], ["a", "b"])
        events = self.history(e)
        self.assertConsistentHistory(events)
        types = [x["type"] for x in events]
        self.assertEqual(types.count("LambdaFunctionSucceeded"), 3)
        for t in ("MapStateStarted", "MapIterationSucceeded", "MapStateSucceeded", "ParallelStateStarted",
                  "ParallelStateSucceeded"):
            self.assertIn(t, types)

    def test_retry_then_success(self):
        marker = os.path.join(self.server.root, uid("retry"))
        d = {"StartAt": "T", "States": {"T": {
            "Type": "Task", "Resource": lambda_arn("flaky"), "End": True,
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}]}}}
        arn = self.create_sm(d)["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({"marker": marker}))["executionArn"]
        self.assertEqual(json.loads(self.wait_status(e, "SUCCEEDED")["output"]), {"ok": True})
        types = [x["type"] for x in self.history(e)]
        self.assertEqual(types.count("LambdaFunctionFailed"), 1)
        self.assertEqual(types.count("LambdaFunctionSucceeded"), 1)

    def test_name_of_80_characters_and_trace_header(self):
        name = "n" * 80
        e = self.sfn.start_execution(stateMachineArn=self.pass_arn, name=name, traceHeader="Root=1-abc")["executionArn"]
        d = self.wait_status(e, "SUCCEEDED")
        self.assertEqual(d["name"], name)
        self.assertEqual(d["traceHeader"], "Root=1-abc")

    def test_non_object_inputs(self):
        # Any JSON value is a valid input (AWS, recorded); an empty string is not.
        for text, value in (("5", 5), ('"s"', "s"), ("null", None), ("[1]", [1])):
            e = self.sfn.start_execution(stateMachineArn=self.pass_arn, input=text)
            d = self.wait_done(e["executionArn"])
            self.assertEqual(json.loads(d["input"]), value)
        self.assertAwsError("InvalidExecutionInput", self.sfn.start_execution, stateMachineArn=self.pass_arn,
                            input="")

    def test_start_errors(self):
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.start_execution,
                            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:" + uid("none"))
        self.assertAwsError("InvalidArn", self.sfn.start_execution, stateMachineArn="arn:nope")
        self.assertAwsError("InvalidName", self.sfn.start_execution, stateMachineArn=self.pass_arn, name="bad name")
        self.assertAwsError("InvalidExecutionInput", self.sfn.start_execution, stateMachineArn=self.pass_arn,
                            input="{not json")
        self.assertAwsError("ValidationException", self.raw.start_execution, stateMachineArn=self.pass_arn,
                            name="n" * 81)
        self.assertAwsError("ValidationException", self.raw.start_execution)

    def test_describe_errors(self):
        sm_name = self.pass_arn.split(":")[-1]
        self.assertAwsError("ExecutionDoesNotExist", self.sfn.describe_execution,
                            executionArn=f"arn:aws:states:us-east-1:123456789012:execution:{sm_name}:{uid('none')}")
        self.assertAwsError("InvalidArn", self.sfn.describe_execution, executionArn="garbage")
        self.assertAwsError("InvalidArn", self.sfn.describe_execution, executionArn=self.pass_arn)

    def test_describe_state_machine_for_execution_keeps_the_definition_it_ran(self):
        d1 = json.dumps(wait_def(0, {"r": 1}))
        arn = self.create_sm(d1)["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        self.wait_status(e, "SUCCEEDED")
        self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"r": 2})))
        r = self.sfn.describe_state_machine_for_execution(executionArn=e)
        self.assertEqual(r["stateMachineArn"], arn)
        self.assertEqual(r["name"], arn.split(":")[-1])
        self.assertEqual(r["definition"], d1)
        self.assertEqual(r["roleArn"], ROLE)
        self.assertIsInstance(r["updateDate"], datetime.datetime)
        self.assertEqual(r["loggingConfiguration"], {"level": "OFF", "includeExecutionData": False})
        self.assertEqual(r["tracingConfiguration"], {"enabled": False})
        self.assertAwsError("ExecutionDoesNotExist", self.sfn.describe_state_machine_for_execution,
                            executionArn=e + "zz")
        self.assertAwsError("InvalidArn", self.sfn.describe_state_machine_for_execution, executionArn="x")


class Idempotency(ServerTestCase):
    def test_same_name_same_input_while_running_returns_same_arn(self):
        arn = self.create_sm(wait_def(30))["stateMachineArn"]
        a = self.sfn.start_execution(stateMachineArn=arn, name="once", input='{"x": 1}')
        b = self.sfn.start_execution(stateMachineArn=arn, name="once", input='{"x": 1}')
        self.assertEqual(a["executionArn"], b["executionArn"])
        self.assertEqual(a["startDate"], b["startDate"])
        self.assertAwsError("ExecutionAlreadyExists", self.sfn.start_execution, stateMachineArn=arn, name="once",
                            input='{"x": 2}')
        runs = self.sfn.list_executions(stateMachineArn=arn)["executions"]
        self.assertEqual(len(runs), 1)
        self.sfn.stop_execution(executionArn=a["executionArn"])
        self.wait_status(a["executionArn"], "ABORTED")
        # Closed: the same name is taken whatever the input.
        self.assertAwsError("ExecutionAlreadyExists", self.sfn.start_execution, stateMachineArn=arn, name="once",
                            input='{"x": 1}')


class ListExecutions(ServerTestCase):
    def test_pagination_and_status_filter(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        started = [self.sfn.start_execution(stateMachineArn=arn, name=f"e{i:02d}")["executionArn"] for i in range(25)]
        for e in started:
            self.wait_status(e, "SUCCEEDED")
        seen, token, pages = [], None, 0
        while True:
            kw = {"nextToken": token} if token else {}
            page = self.sfn.list_executions(stateMachineArn=arn, maxResults=10, **kw)
            pages += 1
            for e in page["executions"]:
                self.assertEqual(e["stateMachineArn"], arn)
                self.assertEqual(e["status"], "SUCCEEDED")
                self.assertIsInstance(e["startDate"], datetime.datetime)
                self.assertIsInstance(e["stopDate"], datetime.datetime)
                self.assertIn("name", e)
            seen += [e["executionArn"] for e in page["executions"]]
            token = page.get("nextToken")
            if not token:
                break
            self.assertEqual(len(page["executions"]), 10)
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(seen), sorted(started))
        # Newest first (AWS lists executions by start date, descending).
        dates = [e["startDate"] for e in self.sfn.list_executions(stateMachineArn=arn)["executions"]]
        self.assertEqual(dates, sorted(dates, reverse=True))
        via_paginator = [e["executionArn"] for p in self.sfn.get_paginator("list_executions").paginate(
            stateMachineArn=arn, PaginationConfig={"PageSize": 7}) for e in p["executions"]]
        self.assertEqual(sorted(via_paginator), sorted(started))
        self.assertEqual(self.sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"], [])
        self.assertEqual(len(self.sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED")["executions"]),
                         25)

    def test_status_filter_running(self):
        arn = self.create_sm(wait_def(30))["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        running = self.sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
        self.assertEqual([x["executionArn"] for x in running], [e])
        self.assertNotIn("stopDate", running[0])
        self.sfn.stop_execution(executionArn=e)

    def test_list_errors(self):
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.list_executions,
                            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:" + uid("none"))
        self.assertAwsError("InvalidArn", self.sfn.list_executions, stateMachineArn="nope")
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.assertAwsError("InvalidToken", self.sfn.list_executions, stateMachineArn=arn, nextToken="bogus-token")
        self.assertAwsError("ValidationException", self.raw.list_executions, stateMachineArn=arn,
                            statusFilter="SOMETIMES")
        self.assertAwsError("ValidationException", self.raw.list_executions, stateMachineArn=arn, maxResults=1001)
        self.assertAwsError("ValidationException", self.raw.list_executions, stateMachineArn=arn,
                            nextToken="x" * 3097)


class History(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        arn = cls.sfn.create_state_machine(name=uid("hist"), definition=json.dumps(THREE_PASSES),
                                           roleArn=ROLE)["stateMachineArn"]
        cls.exec_arn = cls.sfn.start_execution(stateMachineArn=arn, input='{"h": 1}')["executionArn"]

    def setUp(self):
        self.wait_status(self.exec_arn, "SUCCEEDED")

    def test_full_history_shape(self):
        events = self.sfn.get_execution_history(executionArn=self.exec_arn)["events"]
        self.assertEqual([e["type"] for e in events],
                         ["ExecutionStarted"] + ["PassStateEntered", "PassStateExited"] * 3 + ["ExecutionSucceeded"])
        self.assertConsistentHistory(events)
        for e in events:
            self.assertIsInstance(e["timestamp"], datetime.datetime)
        started = events[0]["executionStartedEventDetails"]
        self.assertEqual(json.loads(started["input"]), {"h": 1})
        self.assertEqual(started["roleArn"], ROLE)
        self.assertEqual(started["inputDetails"], {"truncated": False})
        self.assertEqual(events[1]["stateEnteredEventDetails"]["name"], "A")
        self.assertEqual(events[0]["previousEventId"], 0)
        self.assertEqual(json.loads(events[-1]["executionSucceededEventDetails"]["output"]),
                         {"h": 1, "a": {"a": 1}, "b": {"b": 2}})

    def test_reverse_order(self):
        fwd = self.sfn.get_execution_history(executionArn=self.exec_arn)["events"]
        rev = self.sfn.get_execution_history(executionArn=self.exec_arn, reverseOrder=True)["events"]
        self.assertEqual([e["id"] for e in rev], [e["id"] for e in reversed(fwd)])
        self.assertEqual(rev[0]["type"], "ExecutionSucceeded")

    def test_without_execution_data(self):
        events = self.sfn.get_execution_history(executionArn=self.exec_arn, includeExecutionData=False)["events"]
        self.assertEqual(len(events), 8)
        for e in events:
            for k, v in e.items():
                if k.endswith("EventDetails"):
                    self.assertNotIn("input", v, e)
                    self.assertNotIn("output", v, e)
        self.assertEqual(events[0]["executionStartedEventDetails"]["roleArn"], ROLE)
        self.assertEqual(events[1]["stateEnteredEventDetails"]["name"], "A")

    def test_pagination_forward_and_reverse(self):
        for reverse in (False, True):
            ids, token, pages = [], None, 0
            while True:
                kw = {"nextToken": token} if token else {}
                page = self.sfn.get_execution_history(executionArn=self.exec_arn, maxResults=3,
                                                      reverseOrder=reverse, **kw)
                pages += 1
                self.assertLessEqual(len(page["events"]), 3)
                ids += [e["id"] for e in page["events"]]
                token = page.get("nextToken")
                if not token:
                    break
            want = list(range(1, 9))
            self.assertEqual(ids, want[::-1] if reverse else want)
            self.assertEqual(pages, 3)
        events = self.history(self.exec_arn, PaginationConfig={"PageSize": 2})
        self.assertEqual([e["id"] for e in events], list(range(1, 9)))

    def test_history_errors(self):
        self.assertAwsError("ExecutionDoesNotExist", self.sfn.get_execution_history,
                            executionArn=self.exec_arn + "-none")
        self.assertAwsError("InvalidArn", self.sfn.get_execution_history, executionArn="bad")
        self.assertAwsError("InvalidToken", self.sfn.get_execution_history, executionArn=self.exec_arn,
                            nextToken="not-a-token")
        self.assertAwsError("ValidationException", self.raw.get_execution_history, executionArn=self.exec_arn,
                            maxResults=1001)


class Stop(ServerTestCase):
    def test_stop_running_execution(self):
        arn = self.create_sm(wait_def(60))["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        r = self.sfn.stop_execution(executionArn=e, error="Halt", cause="operator said so")
        self.assertIsInstance(r["stopDate"], datetime.datetime)
        d = self.wait_status(e, "ABORTED")
        self.assertEqual((d["error"], d["cause"]), ("Halt", "operator said so"))
        self.assertEqual(d["stopDate"], r["stopDate"])
        self.assertEqual(d["redriveStatus"], "REDRIVABLE")
        events = self.history(e)
        self.assertConsistentHistory(events)
        self.assertEqual(events[-1]["type"], "ExecutionAborted")
        self.assertEqual(events[-1]["executionAbortedEventDetails"], {"error": "Halt", "cause": "operator said so"})
        self.assertIn("WaitStateEntered", [x["type"] for x in events])

    def test_stop_without_error_and_cause(self):
        arn = self.create_sm(wait_def(60))["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        self.sfn.stop_execution(executionArn=e)
        d = self.wait_status(e, "ABORTED")
        self.assertNotIn("error", d)
        self.assertNotIn("cause", d)
        self.assertEqual(self.history(e)[-1]["executionAbortedEventDetails"], {})  # present and empty (AWS)

    def test_stop_errors(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        sm_name = arn.split(":")[-1]
        self.assertAwsError("ExecutionDoesNotExist", self.sfn.stop_execution,
                            executionArn=f"arn:aws:states:us-east-1:123456789012:execution:{sm_name}:none")
        self.assertAwsError("InvalidArn", self.sfn.stop_execution, executionArn="bad")


class Express(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.arn = cls.sfn.create_state_machine(
            name=uid("express"), type="EXPRESS", roleArn=ROLE,
            definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"got.$": "$.x"},
                                                                        "End": True}}}))["stateMachineArn"]

    def test_start_sync_execution(self):
        r = self.sfn.start_sync_execution(stateMachineArn=self.arn, name="sync1", input='{"x": 42}')
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"got": 42})
        self.assertEqual(json.loads(r["input"]), {"x": 42})
        self.assertEqual(r["name"], "sync1")
        sm_name = self.arn.split(":")[-1]
        self.assertTrue(r["executionArn"].startswith(f"arn:aws:states:us-east-1:123456789012:express:{sm_name}:sync1:"),
                        r["executionArn"])
        self.assertEqual(r["stateMachineArn"], self.arn)
        self.assertIsInstance(r["startDate"], datetime.datetime)
        self.assertIsInstance(r["stopDate"], datetime.datetime)
        self.assertEqual(r["inputDetails"], {"included": True})
        self.assertEqual(r["outputDetails"], {"included": True})
        b = r["billingDetails"]
        self.assertEqual(b["billedMemoryUsedInMB"], 64)
        self.assertIsInstance(b["billedDurationInMilliseconds"], int)
        self.assertGreaterEqual(b["billedDurationInMilliseconds"], 100)
        self.assertEqual(b["billedDurationInMilliseconds"] % 100, 0)

    def test_start_sync_execution_failure(self):
        arn = self.create_sm(fail_def("ExpressErr", "went wrong"), type_="EXPRESS")["stateMachineArn"]
        r = self.sfn.start_sync_execution(stateMachineArn=arn)
        self.assertEqual((r["status"], r["error"], r["cause"]), ("FAILED", "ExpressErr", "went wrong"))
        self.assertNotIn("output", r)

    def test_start_sync_execution_waits(self):
        arn = self.create_sm(wait_def(1, {"waited": True}), type_="EXPRESS")["stateMachineArn"]
        r = self.sfn.start_sync_execution(stateMachineArn=arn)
        self.assertEqual(json.loads(r["output"]), {"waited": True})
        self.assertGreaterEqual((r["stopDate"] - r["startDate"]).total_seconds(), 0.9)
        self.assertGreaterEqual(r["billingDetails"]["billedDurationInMilliseconds"], 1000)

    def test_start_sync_metadata_only(self):
        r = self.sfn.start_sync_execution(stateMachineArn=self.arn, input='{"x": 1}', includedData="METADATA_ONLY")
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertNotIn("input", r)
        self.assertNotIn("output", r)
        self.assertEqual(r["inputDetails"], {"included": False})

    def test_start_sync_on_standard_not_supported(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.assertAwsError("StateMachineTypeNotSupported", self.sfn.start_sync_execution, stateMachineArn=arn)

    def test_start_sync_errors(self):
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.start_sync_execution,
                            stateMachineArn=self.arn + "-none")
        self.assertAwsError("InvalidExecutionInput", self.sfn.start_sync_execution, stateMachineArn=self.arn,
                            input="[")

    def test_async_express_start(self):
        r = self.sfn.start_execution(stateMachineArn=self.arn, input='{"x": 1}')
        self.assertIn(":express:", r["executionArn"])
        self.assertIsInstance(r["startDate"], datetime.datetime)
        self.assertAwsError("StateMachineTypeNotSupported", self.sfn.list_executions, stateMachineArn=self.arn)

    def express_arn(self):
        return self.sfn.start_execution(stateMachineArn=self.arn, input='{"x": 1}')["executionArn"]

    def test_express_execution_not_describable(self):
        err = self.assertAwsError("InvalidArn", self.sfn.describe_execution, executionArn=self.express_arn())
        self.assertIn("express", err["Error"]["Message"])

    def test_express_execution_not_stoppable(self):
        err = self.assertAwsError("InvalidArn", self.sfn.stop_execution, executionArn=self.express_arn())
        self.assertIn("express", err["Error"]["Message"])

    def test_express_execution_has_no_history(self):
        err = self.assertAwsError("InvalidArn", self.sfn.get_execution_history, executionArn=self.express_arn())
        self.assertIn("express", err["Error"]["Message"])


class Redrive(ServerTestCase):
    def test_redrive_not_redrivable(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        self.wait_status(e, "SUCCEEDED")
        self.assertAwsError("ExecutionNotRedrivable", self.sfn.redrive_execution, executionArn=e)
        self.assertAwsError("ExecutionDoesNotExist", self.sfn.redrive_execution, executionArn=e + "-none")
        self.assertAwsError("InvalidArn", self.sfn.redrive_execution, executionArn="bad")

    def test_redrive_failed_execution(self):
        marker = os.path.join(self.server.root, uid("marker"))
        d = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": lambda_arn("flaky"), "End": True}}}
        arn = self.create_sm(d)["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps({"marker": marker}))["executionArn"]
        self.wait_status(e, "FAILED")
        r = self.sfn.redrive_execution(executionArn=e)
        self.assertIsInstance(r["redriveDate"], datetime.datetime)
        d = self.wait_status(e, "SUCCEEDED")
        self.assertEqual(d["redriveCount"], 1)
        self.assertEqual(json.loads(d["output"]), {"ok": True})
        self.assertIn("ExecutionRedriven", [x["type"] for x in self.history(e)])

    def test_history_limit_fails_the_execution_and_forbids_redrive(self):
        # A Choice that loops forever: AWS fails it with event 25,000.
        d = {"StartAt": "Spin", "States": {
            "Spin": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "BooleanEquals": True, "Next": "Done"}],
                     "Default": "Spin"},
            "Done": {"Type": "Succeed"}}}
        arn = self.create_sm(d)["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input='{"stop": false}')["executionArn"]
        d = self.wait_status(e, "FAILED")
        self.assertEqual(d["error"], "States.Runtime")
        self.assertEqual(d["cause"], "The execution reached the maximum number of history events (25000).")
        self.assertEqual(d["redriveStatus"], "NOT_REDRIVABLE")
        self.assertEqual(d["redriveStatusReason"], "Execution history event limit exceeded")
        last = self.sfn.get_execution_history(executionArn=e, reverseOrder=True, maxResults=2)["events"]
        self.assertEqual([(x["id"], x["type"]) for x in last],
                         [(25000, "ExecutionFailed"), (24999, "ChoiceStateExited")])
        self.assertEqual(last[0]["previousEventId"], 24999)
        self.assertAwsError("ExecutionNotRedrivable", self.sfn.redrive_execution, executionArn=e)


if __name__ == "__main__":
    unittest.main()
