"""Execution logs (loggingConfiguration): an Express state machine's events as
AWS's CloudWatch Logs records, in <data dir>/logs/<log group>.log, through boto3."""
import json
import os
import time

from common import ROLE, ServerTestCase, fail_def, start_module_server, stop_module_server, uid


def setUpModule():
    start_module_server()


def tearDownModule():
    stop_module_server()


TWO_PASSES = {"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Result": {"a": 1}, "Next": "B"},
    "B": {"Type": "Pass", "End": True}}}
RECORD_KEYS = ["id", "type", "details", "previous_event_id", "event_timestamp", "execution_arn", "redrive_count"]


def logging(level, group, data=True):
    return {"level": level, "includeExecutionData": data, "destinations": [
        {"cloudWatchLogsLogGroup": {"logGroupArn": f"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*"}}]}


class ExpressLogs(ServerTestCase):
    def log_path(self, group):
        return os.path.join(self.server.data, "logs", group.lstrip("/") + ".log")

    def records(self, group):
        with open(self.log_path(group)) as f:
            text = f.read()
        self.assertTrue(text.endswith("\n"), "a batch ends with its newline")
        return [json.loads(line) for line in text.splitlines()]

    def test_start_sync_execution_logs_every_event_in_aws_shape(self):
        group = f"/aws/vendedlogs/states/{uid('e2e')}-Logs"
        sm = self.create_sm(TWO_PASSES, type_="EXPRESS", loggingConfiguration=logging("ALL", group))
        before = int(time.time() * 1000)
        out = self.sfn.start_sync_execution(stateMachineArn=sm["stateMachineArn"], input='{"in": 1}')
        self.assertEqual(out["status"], "SUCCEEDED")
        recs = self.records(group)  # written before the answer
        self.assertEqual([r["type"] for r in recs], ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                                                     "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
        for i, r in enumerate(recs, 1):
            self.assertEqual(list(r), RECORD_KEYS)
            self.assertEqual(r["id"], str(i))
            self.assertEqual(r["execution_arn"], out["executionArn"])
            self.assertEqual(r["redrive_count"], "0")
            self.assertIsInstance(r["event_timestamp"], str)
            self.assertLessEqual(abs(int(r["event_timestamp"]) - before), 60_000)
        self.assertIn(":express:", out["executionArn"])
        started = recs[0]["details"]
        self.assertEqual(json.loads(started["input"]), {"in": 1})
        self.assertEqual(started["inputDetails"], {"truncated": False})
        self.assertEqual(started["roleArn"], ROLE)
        self.assertEqual(recs[1]["details"]["name"], "A")
        self.assertEqual(recs[2]["previous_event_id"], "2")
        self.assertEqual(json.loads(recs[-1]["details"]["output"]), {"a": 1})

    def test_error_level_without_execution_data(self):
        group = uid("errors")
        sm = self.create_sm(fail_def("Oops", "bad input"), type_="EXPRESS",
                            loggingConfiguration=logging("ERROR", group, data=False))
        ok = self.create_sm(TWO_PASSES, type_="EXPRESS", loggingConfiguration=logging("ERROR", group, data=False))
        self.sfn.start_sync_execution(stateMachineArn=ok["stateMachineArn"])  # nothing at ERROR
        out = self.sfn.start_sync_execution(stateMachineArn=sm["stateMachineArn"], input='{"secret": 1}')
        self.assertEqual(out["status"], "FAILED")
        recs = self.records(group)
        self.assertEqual([r["type"] for r in recs], ["FailStateEntered", "ExecutionFailed"])
        self.assertEqual(recs[0]["details"], {"name": "F"})
        self.assertEqual(recs[1]["details"], {"error": "Oops", "cause": "bad input"})
        self.assertNotIn("secret", json.dumps(recs))

    def test_off_writes_nothing_and_update_turns_logging_on(self):
        group = uid("later")
        sm = self.create_sm(TWO_PASSES, type_="EXPRESS", loggingConfiguration=logging("OFF", group))
        self.sfn.start_sync_execution(stateMachineArn=sm["stateMachineArn"])
        self.assertFalse(os.path.exists(self.log_path(group)))
        self.sfn.update_state_machine(stateMachineArn=sm["stateMachineArn"],
                                      loggingConfiguration=logging("FATAL", group))
        self.sfn.start_sync_execution(stateMachineArn=sm["stateMachineArn"])
        self.assertFalse(os.path.exists(self.log_path(group)), "FATAL logs no success")
        self.sfn.update_state_machine(stateMachineArn=sm["stateMachineArn"],
                                      loggingConfiguration=logging("ALL", group))
        out = self.sfn.start_sync_execution(stateMachineArn=sm["stateMachineArn"])
        self.assertEqual({r["execution_arn"] for r in self.records(group)}, {out["executionArn"]})

    def test_invalid_logging_configuration(self):
        err = self.assertAwsError("InvalidLoggingConfiguration", self.create_sm, TWO_PASSES, type_="EXPRESS",
                                  loggingConfiguration={"level": "ALL"})
        self.assertEqual(err["Error"]["Message"],
                         "Invalid Logging Configuration: Must specify exactly one Log Destination.")
        bad_arn = logging("ALL", "g")
        bad_arn["destinations"][0]["cloudWatchLogsLogGroup"]["logGroupArn"] = \
            "arn:aws:logs:us-east-1:123456789012:log-group:g"
        err = self.assertAwsError("InvalidLoggingConfiguration", self.create_sm, TWO_PASSES,
                                  loggingConfiguration=bad_arn)
        self.assertEqual(err["Error"]["Message"],
                         "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.")
        sm = self.create_sm(TWO_PASSES, loggingConfiguration={"level": "OFF"})
        d = self.sfn.describe_state_machine(stateMachineArn=sm["stateMachineArn"])
        self.assertEqual(d["loggingConfiguration"], {"level": "OFF", "includeExecutionData": False})
        self.assertAwsError("InvalidLoggingConfiguration", self.sfn.update_state_machine,
                            stateMachineArn=sm["stateMachineArn"], loggingConfiguration={"level": "ERROR"})
