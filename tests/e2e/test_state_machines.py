"""State machines (create, describe, update, delete, list + pagination,
idempotency), tags, ValidateStateMachineDefinition, TestState and the map-run
operations, through boto3."""
import datetime
import json
import unittest

from common import (ROLE, ServerTestCase, fail_def, pass_def, start_module_server, stop_module_server, uid,
                    wait_def)


def setUpModule():
    start_module_server()


def tearDownModule():
    stop_module_server()


class CreateDescribe(ServerTestCase):
    def test_create_returns_arn_and_datetime(self):
        name = uid("create")
        r = self.create_sm(pass_def(), name=name)
        self.assertEqual(r["stateMachineArn"], f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}")
        self.assertIsInstance(r["creationDate"], datetime.datetime)
        self.assertNotIn("stateMachineVersionArn", r)

    def test_describe_has_aws_fields(self):
        name = uid("desc")
        d = json.dumps(pass_def({"a": 1}))
        r = self.create_sm(d, name=name)
        got = self.sfn.describe_state_machine(stateMachineArn=r["stateMachineArn"])
        self.assertEqual(got["stateMachineArn"], r["stateMachineArn"])
        self.assertEqual(got["name"], name)
        self.assertEqual(got["status"], "ACTIVE")
        self.assertEqual(got["definition"], d)
        self.assertEqual(got["roleArn"], ROLE)
        self.assertEqual(got["type"], "STANDARD")
        self.assertEqual(got["creationDate"], r["creationDate"])
        self.assertEqual(got["loggingConfiguration"], {"level": "OFF", "includeExecutionData": False})
        self.assertEqual(got["tracingConfiguration"], {"enabled": False})

    def test_no_revision_id_before_the_first_update(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.assertNotIn("revisionId", self.sfn.describe_state_machine(stateMachineArn=arn))
        u = self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"u": 1})))
        self.assertEqual(self.sfn.describe_state_machine(stateMachineArn=arn)["revisionId"], u["revisionId"])

    def test_express_type_and_logging_configuration_round_trip(self):
        log = {"level": "ALL", "includeExecutionData": True, "destinations": [
            {"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:g:*"}}]}
        r = self.create_sm(pass_def(), type_="EXPRESS", loggingConfiguration=log,
                           tracingConfiguration={"enabled": True})
        got = self.sfn.describe_state_machine(stateMachineArn=r["stateMachineArn"])
        self.assertEqual(got["type"], "EXPRESS")
        self.assertEqual(got["loggingConfiguration"], log)
        self.assertEqual(got["tracingConfiguration"], {"enabled": True})

    def test_create_with_publish_returns_version_1(self):
        r = self.create_sm(pass_def(), publish=True, versionDescription="first")
        self.assertEqual(r["stateMachineVersionArn"], r["stateMachineArn"] + ":1")
        v = self.sfn.describe_state_machine(stateMachineArn=r["stateMachineVersionArn"])
        self.assertEqual(v["description"], "first")

    def test_create_is_idempotent_for_the_same_configuration(self):
        name = uid("idem")
        a = self.create_sm(pass_def(), name=name)
        b = self.create_sm(pass_def(), name=name)
        self.assertEqual(a["stateMachineArn"], b["stateMachineArn"])
        self.assertEqual(a["creationDate"], b["creationDate"])

    def test_create_idempotency_ignores_role_and_tags(self):
        name = uid("idemrole")
        a = self.create_sm(pass_def(), name=name)
        b = self.sfn.create_state_machine(name=name, definition=json.dumps(pass_def()),
                                          roleArn="arn:aws:iam::123456789012:role/other",
                                          tags=[{"key": "k", "value": "v"}])
        self.assertEqual(a["stateMachineArn"], b["stateMachineArn"])
        self.assertEqual(self.sfn.describe_state_machine(stateMachineArn=a["stateMachineArn"])["roleArn"], ROLE)

    def test_create_same_name_other_definition_already_exists(self):
        name = uid("dup")
        self.create_sm(pass_def(), name=name)
        self.assertAwsError("StateMachineAlreadyExists", self.create_sm, pass_def({"other": True}), name=name)

    def test_create_errors(self):
        self.assertAwsError("InvalidName", self.create_sm, pass_def(), name="bad name")
        self.assertAwsError("InvalidName", self.create_sm, pass_def(), name="a:b")
        self.assertAwsError("InvalidDefinition", self.create_sm, {"StartAt": "Nope", "States": {}})
        self.assertAwsError("InvalidDefinition", self.create_sm, "{not json")
        self.assertAwsError("InvalidArn", self.sfn.create_state_machine, name=uid(),
                            definition=json.dumps(pass_def()), roleArn="not-an-arn")

    def test_create_validation_exceptions(self):
        # Required members missing / constraints broken (client-side validation off).
        err = self.assertAwsError("ValidationException", self.raw.create_state_machine,
                                  definition=json.dumps(pass_def()), roleArn=ROLE)
        self.assertIn("name", err["Error"]["Message"])
        err = self.assertAwsError("ValidationException", self.raw.create_state_machine, name="x" * 81,
                                  definition=json.dumps(pass_def()), roleArn=ROLE)
        self.assertIn("80", err["Error"]["Message"])
        self.assertAwsError("ValidationException", self.raw.create_state_machine, name=uid(),
                            definition=json.dumps(pass_def()), roleArn=ROLE, type="SOMETIMES")

    def test_express_rejects_activities(self):
        act = "arn:aws:states:us-east-1:123456789012:activity:" + uid("a")
        err = self.assertAwsError("InvalidDefinition", self.create_sm, {"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": act, "End": True}}}, type_="EXPRESS")
        self.assertIn("Activity", err["Error"]["Message"])

    def test_express_rejects_callbacks(self):
        err = self.assertAwsError("InvalidDefinition", self.create_sm, {"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {"FunctionName": "f", "Payload": {"t.$": "$$.Task.Token"}}, "End": True}}},
            type_="EXPRESS")
        self.assertIn("waitForTaskToken", err["Error"]["Message"])

    def test_invalid_definition_message_names_the_problem(self):
        err = self.assertAwsError("InvalidDefinition", self.create_sm, {"StartAt": "Nope", "States": {
            "A": {"Type": "Pass", "End": True}}})
        self.assertIn("Invalid State Machine Definition", err["Error"]["Message"])

    def test_describe_errors(self):
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.describe_state_machine,
                            stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:" + uid("none"))
        self.assertAwsError("InvalidArn", self.sfn.describe_state_machine, stateMachineArn="not-an-arn")
        self.assertAwsError("InvalidArn", self.sfn.describe_state_machine,
                            stateMachineArn="arn:aws:states:us-east-1:123456789012:activity:x")


class UpdateDelete(ServerTestCase):
    def test_update_changes_definition_and_revision(self):
        r = self.create_sm(pass_def({"v": 1}))
        arn = r["stateMachineArn"]
        before = self.sfn.describe_state_machine(stateMachineArn=arn)
        u = self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"v": 2})))
        self.assertIsInstance(u["updateDate"], datetime.datetime)
        self.assertIsInstance(u["revisionId"], str)
        self.assertNotEqual(u["revisionId"], before.get("revisionId"))
        after = self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(json.loads(after["definition"]), pass_def({"v": 2}))
        self.assertEqual(after["revisionId"], u["revisionId"])
        # A new execution runs the new definition.
        e = self.sfn.start_execution(stateMachineArn=arn)
        self.assertEqual(json.loads(self.wait_status(e["executionArn"], "SUCCEEDED")["output"]), {"v": 2})

    def test_update_role_and_publish(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        u = self.sfn.update_state_machine(stateMachineArn=arn, roleArn="arn:aws:iam::123456789012:role/r2",
                                          publish=True, versionDescription="v")
        self.assertEqual(u["stateMachineVersionArn"], arn + ":1")
        self.assertEqual(self.sfn.describe_state_machine(stateMachineArn=arn)["roleArn"],
                         "arn:aws:iam::123456789012:role/r2")

    def test_update_errors(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.assertAwsError("MissingRequiredParameter", self.sfn.update_state_machine, stateMachineArn=arn)
        self.assertAwsError("InvalidDefinition", self.sfn.update_state_machine, stateMachineArn=arn,
                            definition='{"StartAt": "X", "States": {}}')
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.update_state_machine,
                            stateMachineArn=arn + "-gone", definition=json.dumps(pass_def()))
        self.assertAwsError("InvalidArn", self.sfn.update_state_machine, stateMachineArn="nope",
                            definition=json.dumps(pass_def()))

    def test_delete(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.describe_state_machine, stateMachineArn=arn)
        names = [s["stateMachineArn"] for p in self.sfn.get_paginator("list_state_machines").paginate()
                 for s in p["stateMachines"]]
        self.assertNotIn(arn, names)
        # Deleting again is not an error (AWS); a bad ARN is.
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.assertAwsError("InvalidArn", self.sfn.delete_state_machine, stateMachineArn="bad")

    def test_delete_then_start_fails(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.start_execution, stateMachineArn=arn)


class ListPagination(ServerTestCase):
    def test_list_25_state_machines_in_pages_of_10(self):
        prefix = uid("page")
        created = {self.create_sm(pass_def(), name=f"{prefix}-{i:02d}")["stateMachineArn"] for i in range(25)}
        seen, pages, token = [], 0, None
        while True:
            kw = {"maxResults": 10}
            if token:
                kw["nextToken"] = token
            page = self.sfn.list_state_machines(**kw)
            pages += 1
            self.assertLessEqual(len(page["stateMachines"]), 10)
            for s in page["stateMachines"]:
                self.assertEqual(set(s), {"stateMachineArn", "name", "type", "creationDate"})
                self.assertIsInstance(s["creationDate"], datetime.datetime)
            seen += [s["stateMachineArn"] for s in page["stateMachines"]]
            token = page.get("nextToken")
            if not token:
                break
            self.assertEqual(len(page["stateMachines"]), 10)
        self.assertEqual(len(seen), len(set(seen)), "duplicates across pages")
        self.assertLessEqual(created, set(seen))
        self.assertGreaterEqual(pages, 3)

    def test_paginator(self):
        prefix = uid("pgn")
        created = {self.create_sm(pass_def(), name=f"{prefix}-{i:02d}")["stateMachineArn"] for i in range(12)}
        pages = list(self.sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 5}))
        arns = [s["stateMachineArn"] for p in pages for s in p["stateMachines"]]
        self.assertGreaterEqual(len(pages), 3)
        self.assertLessEqual(created, set(arns))
        self.assertEqual(len(arns), len(set(arns)))

    # STEPLINE GAP: ListStateMachines pages through state machines in name order (AWS, recorded: sm-0, sm-10,
    # sm-11, sm-12, sm-1, sm-2, ...); Stepline lists them in creation order.
    @unittest.expectedFailure
    def test_listed_in_name_order(self):
        prefix = uid("order")
        for i in (3, 11, 0, 2, 10, 1):
            self.create_sm(pass_def(), name=f"{prefix}-{i}")
        names = [s["name"] for p in self.sfn.get_paginator("list_state_machines").paginate(
            PaginationConfig={"PageSize": 4}) for s in p["stateMachines"] if s["name"].startswith(prefix)]
        self.assertEqual(names, sorted(names))
        self.assertEqual(len(names), 6)

    def test_bad_next_token(self):
        self.assertAwsError("InvalidToken", self.sfn.list_state_machines, nextToken="garbage-token-xyz")
        self.assertAwsError("ValidationException", self.raw.list_state_machines, nextToken="x" * 1025)

    def test_max_results_out_of_range(self):
        self.assertAwsError("ValidationException", self.raw.list_state_machines, maxResults=1001)


class Tags(ServerTestCase):
    def tags(self, arn):
        return {t["key"]: t["value"] for t in self.sfn.list_tags_for_resource(resourceArn=arn)["tags"]}

    def test_tag_list_untag_state_machine(self):
        arn = self.create_sm(pass_def(), tags=[{"key": "team", "value": "a"}])["stateMachineArn"]
        self.assertEqual(self.tags(arn), {"team": "a"})
        self.sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "prod"}, {"key": "team", "value": "b"}])
        self.assertEqual(self.tags(arn), {"team": "b", "env": "prod"})
        self.sfn.untag_resource(resourceArn=arn, tagKeys=["team", "missing"])
        self.assertEqual(self.tags(arn), {"env": "prod"})
        r = self.sfn.list_tags_for_resource(resourceArn=arn)
        self.assertEqual(r["tags"], [{"key": "env", "value": "prod"}])

    def test_tag_activity(self):
        arn = self.sfn.create_activity(name=uid("act"), tags=[{"key": "k", "value": "v"}])["activityArn"]
        self.assertEqual(self.tags(arn), {"k": "v"})
        self.sfn.untag_resource(resourceArn=arn, tagKeys=["k"])
        self.assertEqual(self.tags(arn), {})

    def test_tag_errors(self):
        gone = "arn:aws:states:us-east-1:123456789012:stateMachine:" + uid("gone")
        self.assertAwsError("ResourceNotFound", self.sfn.tag_resource, resourceArn=gone,
                            tags=[{"key": "a", "value": "b"}])
        self.assertAwsError("ResourceNotFound", self.sfn.list_tags_for_resource, resourceArn=gone)
        self.assertAwsError("ResourceNotFound", self.sfn.untag_resource, resourceArn=gone, tagKeys=["a"])
        self.assertAwsError("InvalidArn", self.sfn.list_tags_for_resource, resourceArn="bad")

    def test_tag_constraints(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.assertAwsError("ValidationException", self.raw.tag_resource, resourceArn=arn,
                            tags=[{"key": "k" * 129, "value": "v"}])
        self.assertAwsError("ValidationException", self.raw.tag_resource, resourceArn=arn,
                            tags=[{"key": "k", "value": "v" * 257}])
        self.assertEqual(self.tags(arn), {})

    def test_too_many_tags(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.assertAwsError("TooManyTags", self.sfn.tag_resource, resourceArn=arn,
                            tags=[{"key": f"k{i}", "value": "v"} for i in range(51)])


class Validate(ServerTestCase):
    def test_ok(self):
        r = self.sfn.validate_state_machine_definition(definition=json.dumps(wait_def(1)))
        self.assertEqual(r["result"], "OK")
        self.assertEqual(r["diagnostics"], [])
        self.assertIs(r["truncated"], False)

    def test_fail_with_diagnostics(self):
        r = self.sfn.validate_state_machine_definition(
            definition=json.dumps({"StartAt": "Missing", "States": {"A": {"Type": "Pass", "End": True}}}))
        self.assertEqual(r["result"], "FAIL")
        self.assertGreaterEqual(len(r["diagnostics"]), 1)
        for d in r["diagnostics"]:
            self.assertEqual(d["severity"], "ERROR")
            self.assertTrue(d["code"])
            self.assertTrue(d["message"])

    def test_fail_on_malformed_json(self):
        r = self.sfn.validate_state_machine_definition(definition="{oops")
        self.assertEqual(r["result"], "FAIL")
        self.assertEqual(r["diagnostics"][0]["code"], "INVALID_JSON_DESCRIPTION")

    def test_max_results_truncates(self):
        bad = {"StartAt": "Missing", "States": {
            "A": {"Type": "Pass", "Next": "Nowhere1"}, "B": {"Type": "Pass", "Next": "Nowhere2"},
            "C": {"Type": "Task", "End": True}}}
        full = self.sfn.validate_state_machine_definition(definition=json.dumps(bad))
        self.assertGreater(len(full["diagnostics"]), 1, full)
        one = self.sfn.validate_state_machine_definition(definition=json.dumps(bad), maxResults=1)
        self.assertEqual(len(one["diagnostics"]), 1)
        self.assertIs(one["truncated"], True)


class TestStateOp(ServerTestCase):
    def test_pass_with_parameters(self):
        r = self.sfn.test_state(definition=json.dumps({"Type": "Pass", "Parameters": {"x.$": "$.a", "k": 1},
                                                       "Next": "Done"}),
                                roleArn=ROLE, input=json.dumps({"a": [1, 2]}))
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"x": [1, 2], "k": 1})
        self.assertEqual(r["nextState"], "Done")

    def test_choice_next_state(self):
        d = {"Type": "Choice", "Choices": [{"Variable": "$.v", "NumericGreaterThan": 10, "Next": "Big"}],
             "Default": "Small"}
        r = self.sfn.test_state(definition=json.dumps(d), roleArn=ROLE, input='{"v": 22}')
        self.assertEqual((r["status"], r["nextState"]), ("SUCCEEDED", "Big"))
        self.assertEqual(json.loads(r["output"]), {"v": 22})
        r = self.sfn.test_state(definition=json.dumps(d), roleArn=ROLE, input='{"v": 2}')
        self.assertEqual(r["nextState"], "Small")

    def test_task_with_mock_result(self):
        d = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Parameters": {"FunctionName": "nothing-real", "Payload.$": "$"}, "ResultSelector": {"r.$": "$.n"},
             "End": True}
        r = self.sfn.test_state(definition=json.dumps(d), roleArn=ROLE, input="{}",
                                mock={"result": json.dumps({"n": 7})})
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"r": 7})

    def test_task_with_mock_error_caught(self):
        d = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Parameters": {"FunctionName": "f", "Payload.$": "$"},
             "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}], "End": True}
        r = self.sfn.test_state(definition=json.dumps(d), roleArn=ROLE, input="{}",
                                mock={"errorOutput": {"error": "Oops", "cause": "mocked"}})
        self.assertEqual(r["status"], "CAUGHT_ERROR")
        self.assertEqual((r["error"], r["cause"]), ("Oops", "mocked"))
        self.assertEqual(r["nextState"], "Handler")

    def test_task_runs_local_function(self):
        d = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:echo", "End": True}
        r = self.sfn.test_state(definition=json.dumps(d), roleArn=ROLE, input='{"q": 1}')
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"echo": {"q": 1}})

    def test_fail_state(self):
        r = self.sfn.test_state(definition=json.dumps({"Type": "Fail", "Error": "E1", "Cause": "C1"}),
                                roleArn=ROLE, input="{}")
        self.assertEqual((r["status"], r["error"], r["cause"]), ("FAILED", "E1", "C1"))
        self.assertNotIn("output", r)

    def test_info_level_has_no_inspection_data(self):
        r = self.sfn.test_state(definition=json.dumps({"Type": "Pass", "End": True}), roleArn=ROLE, input="{}")
        self.assertNotIn("inspectionData", r)

    def test_debug_level_inspection_data(self):
        r = self.sfn.test_state(definition=json.dumps({"Type": "Pass", "Parameters": {"b.$": "$.a"}, "End": True}),
                                roleArn=ROLE, input='{"a": 1}', inspectionLevel="DEBUG")
        i = r["inspectionData"]
        self.assertEqual(json.loads(i["input"]), {"a": 1})
        self.assertEqual(json.loads(i["afterInputPath"]), {"a": 1})
        self.assertEqual(json.loads(i["afterParameters"]), {"b": 1})
        self.assertEqual(json.loads(i["afterResultPath"]), {"b": 1})

    def test_invalid_definition(self):
        self.assertAwsError("InvalidDefinition", self.sfn.test_state, definition='{"Type": "Bogus"}',
                            roleArn=ROLE)
        self.assertAwsError("InvalidDefinition", self.sfn.test_state, definition="{nope", roleArn=ROLE)

    def test_invalid_input(self):
        self.assertAwsError("InvalidExecutionInput", self.sfn.test_state,
                            definition=json.dumps({"Type": "Pass", "End": True}), roleArn=ROLE, input="{nope")


class MapRuns(ServerTestCase):
    MAP_RUN = "arn:aws:states:us-east-1:123456789012:mapRun:sm/m:3a1ecc9f-1c4b-3e44-9e3f-2b2bd3eb0b64"

    def test_describe_map_run_not_found(self):
        self.assertAwsError("ResourceNotFound", self.sfn.describe_map_run, mapRunArn=self.MAP_RUN)

    def test_update_map_run_not_found(self):
        self.assertAwsError("ResourceNotFound", self.sfn.update_map_run, mapRunArn=self.MAP_RUN, maxConcurrency=2)

    def test_map_run_invalid_arn(self):
        self.assertAwsError("InvalidArn", self.sfn.describe_map_run, mapRunArn="not-an-arn")
        self.assertAwsError("InvalidArn", self.sfn.update_map_run, mapRunArn="not-an-arn", maxConcurrency=1)

    def test_list_map_runs(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        e = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        self.wait_status(e, "SUCCEEDED")
        self.assertEqual(self.sfn.list_map_runs(executionArn=e)["mapRuns"], [])
        self.assertAwsError("ExecutionDoesNotExist", self.sfn.list_map_runs, executionArn=e + "x")
        self.assertAwsError("InvalidArn", self.sfn.list_map_runs, executionArn="bad")


if __name__ == "__main__":
    unittest.main()
