"""Versions (publish, list, describe, delete) and aliases (create, describe,
update, list, delete, weighted routing), through boto3."""
import datetime
import json
import unittest
from concurrent.futures import ThreadPoolExecutor

from common import ServerTestCase, pass_def, start_module_server, stop_module_server, uid


def setUpModule():
    start_module_server()


def tearDownModule():
    stop_module_server()


class Versions(ServerTestCase):
    def test_publish_list_describe(self):
        arn = self.create_sm(pass_def({"v": 1}))["stateMachineArn"]
        rev1 = self.sfn.describe_state_machine(stateMachineArn=arn).get("revisionId")  # none before an update (AWS)
        p1 = self.sfn.publish_state_machine_version(stateMachineArn=arn, description="one")
        self.assertEqual(p1["stateMachineVersionArn"], arn + ":1")
        self.assertIsInstance(p1["creationDate"], datetime.datetime)
        # Publishing the same revision again returns the same version (idempotent).
        again = self.sfn.publish_state_machine_version(stateMachineArn=arn)
        self.assertEqual(again["stateMachineVersionArn"], arn + ":1")
        self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"v": 2})))
        p2 = self.sfn.publish_state_machine_version(stateMachineArn=arn, description="two")
        self.assertEqual(p2["stateMachineVersionArn"], arn + ":2")
        lst = self.sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
        self.assertEqual([v["stateMachineVersionArn"] for v in lst], [arn + ":2", arn + ":1"])  # newest first
        for v in lst:
            self.assertIsInstance(v["creationDate"], datetime.datetime)
        d1 = self.sfn.describe_state_machine(stateMachineArn=arn + ":1")
        self.assertEqual(d1["stateMachineArn"], arn + ":1")
        self.assertEqual(json.loads(d1["definition"]), pass_def({"v": 1}))
        self.assertEqual(d1["description"], "one")
        self.assertEqual(d1.get("revisionId"), rev1)
        # Executions of a version run that version's definition and name it.
        e = self.sfn.start_execution(stateMachineArn=arn + ":1")["executionArn"]
        d = self.wait_status(e, "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"v": 1})
        self.assertEqual(d["stateMachineVersionArn"], arn + ":1")
        self.assertEqual(self.sfn.describe_state_machine_for_execution(executionArn=e)["definition"],
                         json.dumps(pass_def({"v": 1})))

    def test_list_versions_pagination(self):
        arn = self.create_sm(pass_def({"i": 0}))["stateMachineArn"]
        for i in range(1, 6):
            self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"i": i})),
                                          publish=True)
        first = self.sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=2)
        self.assertEqual(len(first["stateMachineVersions"]), 2)
        self.assertIn("nextToken", first)
        arns, token = [], None
        while True:
            kw = {"nextToken": token} if token else {}
            page = self.sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=2, **kw)
            arns += [v["stateMachineVersionArn"] for v in page["stateMachineVersions"]]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual(arns, [f"{arn}:{i}" for i in range(5, 0, -1)])

    def test_publish_with_stale_revision_conflicts(self):
        arn = self.create_sm(pass_def())["stateMachineArn"]
        old = self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"n": 0})))[
            "revisionId"]
        self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"n": 1})))
        self.assertAwsError("ConflictException", self.sfn.publish_state_machine_version, stateMachineArn=arn,
                            revisionId=old)
        cur = self.sfn.describe_state_machine(stateMachineArn=arn)["revisionId"]
        self.assertEqual(self.sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=cur)
                         ["stateMachineVersionArn"], arn + ":1")

    def test_delete_version(self):
        arn = self.create_sm(pass_def(), publish=True)["stateMachineArn"]
        self.sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":1")
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.describe_state_machine, stateMachineArn=arn + ":1")
        self.assertEqual(self.sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"], [])
        self.assertAwsError("InvalidArn", self.sfn.delete_state_machine_version, stateMachineVersionArn=arn)

    def test_version_errors(self):
        gone = "arn:aws:states:us-east-1:123456789012:stateMachine:" + uid("gone")
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.publish_state_machine_version, stateMachineArn=gone)
        self.assertAwsError("InvalidArn", self.sfn.publish_state_machine_version, stateMachineArn="x")
        self.assertAwsError("InvalidArn", self.sfn.list_state_machine_versions, stateMachineArn="x")
        arn = self.create_sm(pass_def())["stateMachineArn"]
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.start_execution, stateMachineArn=arn + ":7")

    def test_delete_state_machine_deletes_versions(self):
        arn = self.create_sm(pass_def(), publish=True)["stateMachineArn"]
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.describe_state_machine, stateMachineArn=arn + ":1")


class Aliases(ServerTestCase):
    def two_versions(self):
        arn = self.create_sm(pass_def({"v": 1}), publish=True)["stateMachineArn"]
        self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"v": 2})), publish=True)
        return arn, arn + ":1", arn + ":2"

    def test_alias_lifecycle(self):
        arn, v1, v2 = self.two_versions()
        c = self.sfn.create_state_machine_alias(name="prod", description="live",
                                                routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])
        alias = c["stateMachineAliasArn"]
        self.assertEqual(alias, arn + ":prod")
        self.assertIsInstance(c["creationDate"], datetime.datetime)
        d = self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        self.assertEqual(d["name"], "prod")
        self.assertEqual(d["description"], "live")
        self.assertEqual(d["routingConfiguration"], [{"stateMachineVersionArn": v1, "weight": 100}])
        self.assertIsInstance(d["updateDate"], datetime.datetime)
        self.assertEqual(d["stateMachineAliasArn"], alias)
        # Idempotent create with the same configuration.
        same = self.sfn.create_state_machine_alias(name="prod", description="live",
                                                   routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])
        self.assertEqual(same["stateMachineAliasArn"], alias)
        # Executions through the alias run v1 and record the alias.
        e = self.sfn.start_execution(stateMachineArn=alias)["executionArn"]
        ex = self.wait_status(e, "SUCCEEDED")
        self.assertEqual(json.loads(ex["output"]), {"v": 1})
        self.assertEqual(ex["stateMachineAliasArn"], alias)
        self.assertEqual(ex["stateMachineVersionArn"], v1)
        u = self.sfn.update_state_machine_alias(stateMachineAliasArn=alias,
                                                routingConfiguration=[{"stateMachineVersionArn": v2, "weight": 100}])
        self.assertIsInstance(u["updateDate"], datetime.datetime)
        e = self.sfn.start_execution(stateMachineArn=alias)["executionArn"]
        self.assertEqual(json.loads(self.wait_status(e, "SUCCEEDED")["output"]), {"v": 2})
        lst = self.sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]
        self.assertEqual([a["stateMachineAliasArn"] for a in lst], [alias])
        self.assertIsInstance(lst[0]["creationDate"], datetime.datetime)
        # Listing by version: only aliases routing to it.
        self.assertEqual(self.sfn.list_state_machine_aliases(stateMachineArn=v1)["stateMachineAliases"], [])
        self.assertEqual(len(self.sfn.list_state_machine_aliases(stateMachineArn=v2)["stateMachineAliases"]), 1)
        self.sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
        self.assertAwsError("ResourceNotFound", self.sfn.describe_state_machine_alias, stateMachineAliasArn=alias)
        self.assertEqual(self.sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"], [])

    def test_alias_conflicts_and_validation(self):
        arn, v1, v2 = self.two_versions()
        alias = self.sfn.create_state_machine_alias(
            name="live", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
        self.assertAwsError("ConflictException", self.sfn.create_state_machine_alias, name="live",
                            routingConfiguration=[{"stateMachineVersionArn": v2, "weight": 100}])
        # A version an alias routes to cannot be deleted.
        self.assertAwsError("ConflictException", self.sfn.delete_state_machine_version, stateMachineVersionArn=v1)
        self.assertAwsError("ValidationException", self.sfn.create_state_machine_alias, name="bad",
                            routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 50},
                                                  {"stateMachineVersionArn": v2, "weight": 20}])
        self.assertAwsError("ValidationException", self.sfn.create_state_machine_alias, name="dup",
                            routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 50},
                                                  {"stateMachineVersionArn": v1, "weight": 50}])
        self.assertAwsError("ResourceNotFound", self.sfn.create_state_machine_alias, name="nov",
                            routingConfiguration=[{"stateMachineVersionArn": arn + ":99", "weight": 100}])
        self.assertAwsError("ResourceNotFound", self.sfn.describe_state_machine_alias,
                            stateMachineAliasArn=arn + ":nosuch")
        self.assertAwsError("InvalidArn", self.sfn.describe_state_machine_alias, stateMachineAliasArn="bad")
        self.assertAwsError("ResourceNotFound", self.sfn.update_state_machine_alias,
                            stateMachineAliasArn=arn + ":nosuch", description="d")
        self.assertAwsError("StateMachineDoesNotExist", self.sfn.start_execution, stateMachineArn=arn + ":nosuch")
        self.sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
        self.sfn.delete_state_machine_version(stateMachineVersionArn=v1)

    def test_alias_name_validation(self):
        arn, v1, _ = self.two_versions()
        # Too long (model: 80) and invalid characters.
        self.assertAwsError("ValidationException", self.raw.create_state_machine_alias, name="a" * 81,
                            routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])
        self.assertAwsError("ValidationException", self.raw.create_state_machine_alias, name="bad name",
                            routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])

    def test_alias_routing_validation_like_aws(self):
        arn, v1, v2 = self.two_versions()
        one = [{"stateMachineVersionArn": v1, "weight": 100}]
        self.assertAwsError("ValidationException", self.raw.create_state_machine_alias, name="123",
                            routingConfiguration=one)
        self.assertAwsError("ValidationException", self.sfn.create_state_machine_alias, name="unversioned",
                            routingConfiguration=[{"stateMachineVersionArn": arn, "weight": 100}])
        self.assertAwsError("ValidationException", self.raw.create_state_machine_alias, name="weight101",
                            routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 101}])
        v3 = self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(pass_def({"v": 3})),
                                           publish=True)["stateMachineVersionArn"]
        self.assertAwsError("ValidationException", self.raw.create_state_machine_alias, name="three",
                            routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 50},
                                                  {"stateMachineVersionArn": v2, "weight": 30},
                                                  {"stateMachineVersionArn": v3, "weight": 20}])
        self.sfn.create_state_machine_alias(name="described", description="a", routingConfiguration=one)
        self.assertAwsError("ConflictException", self.sfn.create_state_machine_alias, name="described",
                            description="b", routingConfiguration=one)

    def test_update_alias_description(self):
        arn, v1, v2 = self.two_versions()
        alias = self.sfn.create_state_machine_alias(
            name="desc", description="old",
            routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
        created = self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        self.sfn.update_state_machine_alias(stateMachineAliasArn=alias, description="new")
        d = self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        self.assertEqual(d["description"], "new")
        self.assertEqual(d["routingConfiguration"], [{"stateMachineVersionArn": v1, "weight": 100}])
        self.assertEqual(d["creationDate"], created["creationDate"])
        self.assertGreaterEqual(d["updateDate"], created["updateDate"])
        self.sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[
            {"stateMachineVersionArn": v1, "weight": 50}, {"stateMachineVersionArn": v2, "weight": 50}])
        self.assertEqual(self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)["description"], "new")

    def test_update_alias_without_changes(self):
        arn, v1, _ = self.two_versions()
        alias = self.sfn.create_state_machine_alias(
            name="nochange", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
        self.assertAwsError("ValidationException", self.sfn.update_state_machine_alias, stateMachineAliasArn=alias)

    def test_delete_routed_version_message_names_the_alias(self):
        arn, v1, _ = self.two_versions()
        self.sfn.create_state_machine_alias(name="refname", routingConfiguration=[
            {"stateMachineVersionArn": v1, "weight": 100}])
        err = self.assertAwsError("ConflictException", self.sfn.delete_state_machine_version,
                                  stateMachineVersionArn=v1)
        self.assertIn("[refname]", err["Error"]["Message"])

    def test_list_executions_by_version_and_alias(self):
        arn, v1, v2 = self.two_versions()
        alias = self.sfn.create_state_machine_alias(
            name="lst", routingConfiguration=[{"stateMachineVersionArn": v2, "weight": 100}])["stateMachineAliasArn"]
        by_v1 = self.sfn.start_execution(stateMachineArn=v1)["executionArn"]
        by_alias = self.sfn.start_execution(stateMachineArn=alias)["executionArn"]
        plain = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        for e in (by_v1, by_alias, plain):
            self.wait_done(e)

        def listed(a):
            return {x["executionArn"]: x for x in self.sfn.list_executions(stateMachineArn=a)["executions"]}
        self.assertEqual(set(listed(arn)), {by_v1, by_alias, plain})
        self.assertEqual(set(listed(v1)), {by_v1})
        self.assertEqual(set(listed(alias)), {by_alias})
        items = listed(arn)
        self.assertEqual(items[by_v1]["stateMachineVersionArn"], v1)
        self.assertNotIn("stateMachineAliasArn", items[by_v1])
        self.assertEqual(items[by_alias]["stateMachineAliasArn"], alias)
        self.assertNotIn("stateMachineVersionArn", items[plain])
        self.assertEqual(items[plain]["stateMachineArn"], arn)

    def test_delete_state_machine_with_alias(self):
        arn, v1, _ = self.two_versions()
        alias = self.sfn.create_state_machine_alias(
            name="gone", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
        self.sfn.delete_state_machine(stateMachineArn=arn)
        self.assertAwsError("ResourceNotFound", self.sfn.describe_state_machine_alias, stateMachineAliasArn=alias)

    def test_weighted_routing_80_20(self):
        arn, v1, v2 = self.two_versions()
        alias = self.sfn.create_state_machine_alias(
            name="split", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 80},
                                                {"stateMachineVersionArn": v2, "weight": 20}])["stateMachineAliasArn"]
        d = self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        self.assertEqual(sorted(r["weight"] for r in d["routingConfiguration"]), [20, 80])

        clients = [self.server.client() for _ in range(4)]

        def run(i):
            return clients[i % 4].start_execution(stateMachineArn=alias, name=f"r{i:03d}")["executionArn"]

        with ThreadPoolExecutor(4) as pool:
            arns = list(pool.map(run, range(200)))
        self.assertEqual(len(set(arns)), 200)
        counts = {v1: 0, v2: 0}
        for p in self.sfn.get_paginator("list_executions").paginate(stateMachineArn=arn):
            for e in p["executions"]:
                if e["executionArn"] in arns:
                    self.assertEqual(e["stateMachineAliasArn"], alias)
                    counts[e["stateMachineVersionArn"]] += 1
        self.assertEqual(sum(counts.values()), 200)
        # 200 Bernoulli(0.2) draws: mean 40, sd 5.7; accept 3.5 sd.
        self.assertGreaterEqual(counts[v2], 20, counts)
        self.assertLessEqual(counts[v2], 60, counts)
        # Outputs follow the version picked.
        for a in arns[:10]:
            d = self.wait_status(a, "SUCCEEDED")
            want = 1 if d["stateMachineVersionArn"] == v1 else 2
            self.assertEqual(json.loads(d["output"]), {"v": want})


if __name__ == "__main__":
    unittest.main()
