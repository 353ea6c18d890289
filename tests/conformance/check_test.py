#!/usr/bin/env python3
"""Tests check.py's skip-path handling: a difference under a skip path is
forgiven, one anywhere else is not."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "shared", "conformance", "sfn"))
import check  # noqa: E402
from sfnx_compare import Matcher  # noqa: E402


def case(expected_output, skip):
    return {"source": {"skip_snapshot_verify_paths": skip},
            "expected": {"status": "SUCCEEDED", "output": expected_output, "placeholders": {}}}


class SkipPaths(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(check.parse_skip_path("$..events[8].previousEventId"),
                         [("..", "events"), ("[]", 8), (".", "previousEventId")])
        self.assertIsNone(check.parse_skip_path("<all>"))

    def test_delete_descendant(self):
        d = {"SdkHttpMetadata": 0, "a": {"b": [{"SdkHttpMetadata": 2, "c": 3}]}}
        check.delete_path(d, check.parse_skip_path("$..SdkHttpMetadata"))
        self.assertEqual(d, {"a": {"b": [{"c": 3}]}})

    def test_difference_under_skip_path_is_forgiven(self):
        c = case({"Payload": 1, "SdkHttpMetadata": {"H": "H"}}, ["$..SdkHttpMetadata"])
        actual = {"status": "SUCCEEDED", "output": '{"Payload": 1, "SdkHttpMetadata": {"H": ["v"]}}'}
        self.assertTrue(check.passes_with_skip_paths(c, actual, Matcher))

    def test_difference_elsewhere_is_not(self):
        c = case({"Payload": 1, "SdkHttpMetadata": {"H": "H"}}, ["$..SdkHttpMetadata"])
        actual = {"status": "SUCCEEDED", "output": '{"Payload": 2, "SdkHttpMetadata": {"H": ["v"]}}'}
        self.assertFalse(check.passes_with_skip_paths(c, actual, Matcher))

    def test_status_must_match(self):
        c = case({"Payload": 1}, ["$..SdkHttpMetadata"])
        self.assertFalse(check.passes_with_skip_paths(c, {"status": "FAILED"}, Matcher))


if __name__ == "__main__":
    unittest.main()
