#!/usr/bin/env python3
"""End-to-end tests of the `stepline` command: exit codes, the --json shape,
local Lambda functions, and bad input (malformed, oversized, deeply nested).

    python3 tests/cli/cli_test.py build/src/stepline
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

STEPLINE = None


def run(*args, stdin=None, timeout=60):
    p = subprocess.run([STEPLINE, *args], input=stdin, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


class Files:
    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="stepline-cli-")

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(text if isinstance(text, str) else json.dumps(text))
        return path




class RunCommand(unittest.TestCase):
    def setUp(self):
        self.f = Files()

    def tearDown(self):
        self.f.dir.cleanup()

    def definition(self, d):
        return self.f.write("def.json", d)

    def test_success_prints_output_and_exits_0(self):
        d = self.definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"v.$": "$.x"}, "End": True}}})
        rc, out, _ = run("run", d, "--input", '{"x": 5}')
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out), {"v": 5})

    def test_json_mode_prints_one_object_with_history(self):
        d = self.definition({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}})
        rc, out, _ = run("run", d, "--json")
        self.assertEqual(rc, 1)
        o = json.loads(out)
        self.assertEqual(o["status"], "FAILED")
        self.assertEqual((o["error"], o["cause"]), ("E", "C"))
        self.assertIsNone(o["output"])
        self.assertEqual([e["type"] for e in o["events"]], ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"])
        self.assertEqual([e["id"] for e in o["events"]], [1, 2, 3])
        self.assertEqual([e["previousEventId"] for e in o["events"]], [0, 1, 2])

    def test_input_from_file(self):
        d = self.definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
        i = self.f.write("in.json", {"a": [1, 2]})
        rc, out, _ = run("run", d, "--input", "@" + i)
        self.assertEqual((rc, json.loads(out)), (0, {"a": [1, 2]}))

    def test_wait_scale_zero_skips_waits(self):
        d = self.definition({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})
        t0 = time.time()
        rc, _, _ = run("run", d, "--wait-scale", "0", timeout=20)
        self.assertEqual(rc, 0)
        self.assertLess(time.time() - t0, 10)

    def test_local_lambda_success_and_error(self):
        fn = self.f.write("fn.py", "import json,sys\nev=json.load(sys.stdin)\n"
                          "if ev.get('fail'):\n print(json.dumps({'errorType':'Boom','errorMessage':'no','stackTrace':[]}));sys.exit(1)\n"
                          "print(json.dumps({'got': ev}))\n")
        fns = self.f.write("fns.json", {"functions": {"f": {"command": [sys.executable, fn]}}})
        d = self.definition({"StartAt": "T", "States": {"T": {
            "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": "$.err", "Next": "H"}], "End": True},
            "H": {"Type": "Pass", "End": True}}})
        rc, out, _ = run("run", d, "--functions", fns, "--input", '{"k":1}', "--json")
        o = json.loads(out)
        self.assertEqual((rc, o["output"]), (0, {"got": {"k": 1}}))
        self.assertIn("LambdaFunctionSucceeded", [e["type"] for e in o["events"]])
        rc, out, _ = run("run", d, "--functions", fns, "--input", '{"fail":true}', "--json")
        o = json.loads(out)
        self.assertEqual(rc, 0)
        self.assertEqual(o["output"]["err"]["Error"], "Boom")
        self.assertEqual(json.loads(o["output"]["err"]["Cause"])["errorMessage"], "no")

    def test_unserved_resource_fails_the_task_clearly(self):
        d = self.definition({"StartAt": "T", "States": {"T": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True}}})
        rc, out, _ = run("run", d, "--json")
        o = json.loads(out)
        self.assertEqual(rc, 1)
        self.assertEqual(o["error"], "States.TaskFailed")
        self.assertIn("arn:aws:states:::sqs:sendMessage", o["cause"])

    # ---- bad input: clear errors and exit 2, never a crash ----

    def assertUsageError(self, rc, err, needle):
        self.assertEqual(rc, 2, err)
        self.assertIn(needle.lower(), err.lower())
        self.assertNotIn("Segmentation", err)

    def test_malformed_definition(self):
        d = self.f.write("bad.json", '{"StartAt": "A", "States": {')
        rc, _, err = run("run", d)
        self.assertUsageError(rc, err, "invalid")

    def test_missing_definition_file(self):
        rc, _, err = run("run", "/nonexistent/def.json")
        self.assertUsageError(rc, err, "cannot read")

    def test_definition_over_one_megabyte(self):
        big = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "x" * (1024 * 1024), "End": True}}}
        rc, _, err = run("run", self.definition(big))
        self.assertUsageError(rc, err, "larger than")

    def test_input_over_256_kib(self):
        d = self.definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
        i = self.f.write("big.json", json.dumps({"s": "x" * (256 * 1024)}))
        rc, _, err = run("run", d, "--input", "@" + i)
        self.assertUsageError(rc, err, "larger than")

    def test_malformed_input(self):
        d = self.definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
        rc, _, err = run("run", d, "--input", "{nope")
        self.assertUsageError(rc, err, "not valid JSON")

    def test_deeply_nested_input(self):
        d = self.definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
        rc, _, err = run("run", d, "--input", "[" * 60000 + "]" * 60000)
        self.assertUsageError(rc, err, "not valid JSON")

    def test_deeply_nested_definition(self):
        inner = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
        for i in range(60):
            inner = {"StartAt": f"P{i}", "States": {f"P{i}": {"Type": "Parallel", "Branches": [inner], "End": True}}}
        rc, _, err = run("run", self.definition(inner))
        self.assertEqual(rc, 2, err)
        text = "[" * 100000 + "]" * 100000
        rc, _, err = run("run", self.f.write("deep.json", text))
        self.assertEqual(rc, 2, err)

    def test_invalid_path_is_reported_with_its_location(self):
        d = self.definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.a[", "End": True}}})
        rc, _, err = run("run", d)
        self.assertUsageError(rc, err, "/States/A/InputPath")

    def test_missing_transition_target(self):
        d = self.definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})
        rc, _, err = run("run", d)
        self.assertUsageError(rc, err, "Nowhere")

    def test_unknown_subcommand_and_missing_argument(self):
        self.assertEqual(run("frobnicate")[0], 2)
        self.assertEqual(run("run")[0], 2)


class ValidateCommand(unittest.TestCase):
    def setUp(self):
        self.f = Files()

    def tearDown(self):
        self.f.dir.cleanup()

    def test_valid_and_invalid(self):
        ok = self.f.write("ok.json", {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
        self.assertEqual(run("validate", ok)[0], 0)
        bad = self.f.write("bad.json", {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": True}}})
        rc, out, err = run("validate", bad, "--json")
        self.assertEqual(rc, 1)
        o = json.loads(out)
        self.assertEqual(o["result"], "FAIL")
        self.assertTrue(all({"severity", "code", "message"} <= set(d) for d in o["diagnostics"]))


if __name__ == "__main__":
    STEPLINE = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
