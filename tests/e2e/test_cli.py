"""The aws cli against the server: one flow per resource family (state
machines, executions, activities, tasks, tags, versions/aliases, validate,
test-state) and error reporting. Each `aws` call costs a Python start-up, so
the flows are few and long."""
import json
import os
import time
import unittest

from common import ROLE, ServerTestCase, pass_def, start_module_server, stop_module_server, uid, wait_def


def setUpModule():
    start_module_server()


def tearDownModule():
    stop_module_server()


class Cli(ServerTestCase):
    def aws(self, *args):
        rc, out, err = self.server.cli(*args)
        self.assertEqual(rc, 0, err)
        return out

    def aws_error(self, code, *args):
        rc, out, err = self.server.cli(*args)
        self.assertNotEqual(rc, 0)
        self.assertIn(f"({code})", err)
        return err

    def test_state_machine_and_execution_flow(self):
        name = uid("cli")
        d = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "$.x"}, "End": True}}})
        c = self.aws("create-state-machine", "--name", name, "--definition", d, "--role-arn", ROLE)
        arn = c["stateMachineArn"]
        self.assertEqual(arn, f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}")
        desc = self.aws("describe-state-machine", "--state-machine-arn", arn)
        self.assertEqual((desc["name"], desc["definition"], desc["status"]), (name, d, "ACTIVE"))
        listed = self.aws("list-state-machines")["stateMachines"]
        self.assertIn(arn, [s["stateMachineArn"] for s in listed])
        e = self.aws("start-execution", "--state-machine-arn", arn, "--name", "r1", "--input", '{"x": 9}')
        ex = self.wait_status(e["executionArn"], "SUCCEEDED")
        self.assertEqual(json.loads(ex["output"]), {"v": 9})
        de = self.aws("describe-execution", "--execution-arn", e["executionArn"])
        self.assertEqual((de["status"], json.loads(de["output"])), ("SUCCEEDED", {"v": 9}))
        h = self.aws("get-execution-history", "--execution-arn", e["executionArn"], "--reverse-order")
        self.assertEqual(h["events"][0]["type"], "ExecutionSucceeded")
        self.assertEqual([x["id"] for x in h["events"]], list(range(len(h["events"]), 0, -1)))
        le = self.aws("list-executions", "--state-machine-arn", arn, "--status-filter", "SUCCEEDED")
        self.assertEqual([x["executionArn"] for x in le["executions"]], [e["executionArn"]])
        fe = self.aws("describe-state-machine-for-execution", "--execution-arn", e["executionArn"])
        self.assertEqual(fe["definition"], d)
        self.aws_error("ExecutionAlreadyExists", "start-execution", "--state-machine-arn", arn, "--name", "r1",
                       "--input", '{"x": 10}')
        self.aws("delete-state-machine", "--state-machine-arn", arn)
        self.aws_error("StateMachineDoesNotExist", "describe-state-machine", "--state-machine-arn", arn)

    def test_stop_execution(self):
        arn = self.create_sm(wait_def(60))["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        self.aws("stop-execution", "--execution-arn", e, "--error", "CliStop", "--cause", "from the cli")
        d = self.wait_status(e, "ABORTED")
        self.assertEqual((d["error"], d["cause"]), ("CliStop", "from the cli"))

    def test_activity_and_task_flow(self):
        a = self.aws("create-activity", "--name", uid("cliact"))["activityArn"]
        self.assertEqual(self.aws("describe-activity", "--activity-arn", a)["activityArn"], a)
        arn = self.create_sm({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": a, "End": True}}})[
            "stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn, input='{"n": 1}')["executionArn"]
        t0 = time.time()
        task = self.aws("get-activity-task", "--activity-arn", a, "--worker-name", "cli-worker")
        self.assertLess(time.time() - t0, 20)
        self.assertEqual(json.loads(task["input"]), {"n": 1})
        self.aws("send-task-heartbeat", "--task-token", task["taskToken"])
        self.aws("send-task-success", "--task-token", task["taskToken"], "--task-output", '{"from": "cli"}')
        self.assertEqual(json.loads(self.wait_status(e, "SUCCEEDED")["output"]), {"from": "cli"})
        self.aws_error("InvalidToken", "send-task-failure", "--task-token", "bogus", "--error", "E")
        self.aws("delete-activity", "--activity-arn", a)
        self.aws_error("ActivityDoesNotExist", "describe-activity", "--activity-arn", a)

    def test_tags(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.aws("tag-resource", "--resource-arn", arn, "--tags", "key=env,value=dev", "key=team,value=core")
        tags = self.aws("list-tags-for-resource", "--resource-arn", arn)["tags"]
        self.assertEqual(sorted((t["key"], t["value"]) for t in tags), [("env", "dev"), ("team", "core")])
        self.aws("untag-resource", "--resource-arn", arn, "--tag-keys", "env")
        self.assertEqual(self.aws("list-tags-for-resource", "--resource-arn", arn)["tags"],
                         [{"key": "team", "value": "core"}])

    def test_versions_and_aliases(self):
        arn = self.create_sm(pass_def({"v": 1}))["stateMachineArn"]
        v1 = self.aws("publish-state-machine-version", "--state-machine-arn", arn, "--description", "one")
        self.assertEqual(v1["stateMachineVersionArn"], arn + ":1")
        versions = self.aws("list-state-machine-versions", "--state-machine-arn", arn)["stateMachineVersions"]
        self.assertEqual([v["stateMachineVersionArn"] for v in versions], [arn + ":1"])
        al = self.aws("create-state-machine-alias", "--name", "blue", "--routing-configuration",
                      json.dumps([{"stateMachineVersionArn": arn + ":1", "weight": 100}]))
        self.assertEqual(al["stateMachineAliasArn"], arn + ":blue")
        da = self.aws("describe-state-machine-alias", "--state-machine-alias-arn", arn + ":blue")
        self.assertEqual(da["routingConfiguration"], [{"stateMachineVersionArn": arn + ":1", "weight": 100}])
        aliases = self.aws("list-state-machine-aliases", "--state-machine-arn", arn)["stateMachineAliases"]
        self.assertEqual([a["stateMachineAliasArn"] for a in aliases], [arn + ":blue"])
        self.aws_error("ConflictException", "delete-state-machine-version", "--state-machine-version-arn",
                       arn + ":1")

    def test_validate_and_test_state(self):
        ok = self.aws("validate-state-machine-definition", "--definition", json.dumps(pass_def()))
        self.assertEqual((ok["result"], ok["diagnostics"]), ("OK", []))
        bad = self.aws("validate-state-machine-definition", "--definition", '{"StartAt": "X", "States": {}}')
        self.assertEqual(bad["result"], "FAIL")
        self.assertEqual(bad["diagnostics"][0]["severity"], "ERROR")
        ts = self.aws("test-state", "--definition", json.dumps({"Type": "Pass", "Result": {"r": 1}, "Next": "N"}),
                      "--role-arn", ROLE, "--input", "{}")
        self.assertEqual((ts["status"], json.loads(ts["output"]), ts["nextState"]), ("SUCCEEDED", {"r": 1}, "N"))

    def test_start_sync_execution(self):
        arn = self.create_sm(pass_def({"sync": True}), type_="EXPRESS")["stateMachineArn"]
        r = self.aws("start-sync-execution", "--state-machine-arn", arn, "--input", "{}")
        self.assertEqual((r["status"], json.loads(r["output"])), ("SUCCEEDED", {"sync": True}))
        self.assertIn("billingDetails", r)

    def test_errors_are_reported_with_aws_codes(self):
        self.aws_error("InvalidArn", "describe-execution", "--execution-arn", "not-an-arn")
        self.aws_error("InvalidDefinition", "create-state-machine", "--name", uid(), "--definition", "{}",
                       "--role-arn", ROLE)


if __name__ == "__main__":
    unittest.main()
