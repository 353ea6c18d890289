"""Bad requests on the wire (raw http.client, no SDK): malformed JSON, unknown
or missing X-Amz-Target, bodies over 1 MiB, wrong parameter types, bad ARNs,
garbage bytes - AWS's error codes, and the server keeps serving afterwards."""
import http.client
import json
import socket
import unittest

from common import ServerTestCase, start_module_server, stop_module_server


def setUpModule():
    start_module_server()


def tearDownModule():
    stop_module_server()


def error_type(body):
    """The `__type` of an AWS JSON error body, without its namespace prefix."""
    t = json.loads(body)["__type"]
    return t.rsplit("#", 1)[-1]


class BadRequests(ServerTestCase):
    def post(self, target, body, headers=None, timeout=15):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        h = {"Content-Type": "application/x-amz-json-1.0"}
        if target is not None:
            h["X-Amz-Target"] = target
        h.update(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        try:
            conn.request("POST", "/", body=body.encode() if isinstance(body, str) else body, headers=h)
            r = conn.getresponse()
            return r.status, r.read().decode(errors="replace"), dict(r.getheaders())
        finally:
            conn.close()

    def assertServing(self):
        status, body, _ = self.post("AWSStepFunctions.ListStateMachines", {})
        self.assertEqual(status, 200, body)
        self.assertIn("stateMachines", json.loads(body))

    def assertError(self, status, body, code, http_status=400):
        self.assertEqual(status, http_status, body)
        self.assertEqual(error_type(body), code, body)

    def tearDown(self):
        self.assertServing()

    def test_valid_request_baseline(self):
        status, body, headers = self.post("AWSStepFunctions.ListActivities", {"maxResults": 5})
        self.assertEqual(status, 200)
        self.assertIn("activities", json.loads(body))
        self.assertTrue(headers.get("x-amzn-RequestId") or headers.get("x-amzn-requestid"))
        self.assertTrue(headers.get("Content-Type", headers.get("content-type", "")).startswith(
            "application/x-amz-json-1.0"))

    def test_malformed_json(self):
        for body in ("{not json", '{"a": ', "[1, 2", "\x00\x01"):
            status, text, _ = self.post("AWSStepFunctions.ListStateMachines", body)
            self.assertError(status, text, "SerializationException")

    def test_unknown_target(self):
        status, text, _ = self.post("AWSStepFunctions.LaunchRockets", {})
        self.assertError(status, text, "UnknownOperationException")
        status, text, _ = self.post("SomeOtherService.ListStateMachines", {})
        self.assertError(status, text, "UnknownOperationException")

    def test_missing_target(self):
        status, text, _ = self.post(None, {})
        self.assertError(status, text, "UnknownOperationException")

    def test_body_over_one_mib(self):
        big = json.dumps({"name": "x", "definition": "a" * (1024 * 1024 + 100), "roleArn": "arn:aws:iam::1:role/r"})
        status, text, _ = self.post("AWSStepFunctions.CreateStateMachine", big, timeout=30)
        self.assertIn(status, (400, 413), text)
        self.assertGreater(len(text), 0)

    def test_wrong_parameter_types(self):
        status, text, _ = self.post("AWSStepFunctions.ListStateMachines", {"maxResults": "ten"})
        self.assertError(status, text, "SerializationException")
        status, text, _ = self.post("AWSStepFunctions.CreateActivity", {"name": 42})
        self.assertError(status, text, "SerializationException")
        status, text, _ = self.post("AWSStepFunctions.TagResource",
                                    {"resourceArn": "arn:aws:states:us-east-1:123456789012:activity:a", "tags": "x"})
        self.assertError(status, text, "SerializationException")
        status, text, _ = self.post("AWSStepFunctions.GetExecutionHistory",
                                    {"executionArn": "arn:aws:states:us-east-1:123456789012:execution:a:b",
                                     "reverseOrder": "yes"})
        self.assertError(status, text, "SerializationException")

    def test_body_not_an_object(self):
        status, text, _ = self.post("AWSStepFunctions.ListStateMachines", "[]")
        self.assertEqual(status, 400, text)
        self.assertIn(error_type(text), ("SerializationException", "ValidationException"))

    def test_missing_required_and_constraints(self):
        status, text, _ = self.post("AWSStepFunctions.DescribeStateMachine", {})
        self.assertError(status, text, "ValidationException")
        self.assertIn("stateMachineArn", json.loads(text).get("message", json.loads(text).get("Message", "")))
        status, text, _ = self.post("AWSStepFunctions.ListStateMachines", {"maxResults": -1})
        self.assertError(status, text, "ValidationException")

    def test_bad_arns(self):
        for target, body in (
                ("AWSStepFunctions.DescribeStateMachine", {"stateMachineArn": "nope"}),
                ("AWSStepFunctions.DescribeExecution", {"executionArn": "arn:aws:states:us-east-1:1:nothing:x"}),
                ("AWSStepFunctions.DescribeActivity", {"activityArn": "arn:aws:sqs:us-east-1:1:q"}),
                ("AWSStepFunctions.StartExecution", {"stateMachineArn": "arn:aws:states:us-east-1:1:activity:a"})):
            status, text, _ = self.post(target, body)
            self.assertError(status, text, "InvalidArn")
            self.assertIn("Invalid Arn", json.loads(text).get("message", ""))

    def test_empty_body(self):
        status, text, _ = self.post("AWSStepFunctions.ListStateMachines", "")
        # AWS treats an empty body as an empty request for operations without required members.
        self.assertEqual(status, 200, text)

    def test_garbage_bytes_on_the_socket(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
            s.sendall(b"\x16\x03\x01 this is not http\r\n\r\n")
            try:
                data = s.recv(4096)
            except (ConnectionResetError, socket.timeout):
                data = b""
        self.assertTrue(data == b"" or data.startswith(b"HTTP/1.1 4"), data[:100])

    def test_get_is_not_an_api_call(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", "/")
        r = conn.getresponse()
        r.read()
        conn.close()
        self.assertLess(r.status, 500)

    def test_keep_alive_after_an_error(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        h = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions.ListStateMachines"}
        conn.request("POST", "/", body=b"{bad", headers=h)
        r = conn.getresponse()
        r.read()
        self.assertEqual(r.status, 400)
        conn.request("POST", "/", body=b"{}", headers=h)
        r = conn.getresponse()
        self.assertEqual(r.status, 200)
        r.read()
        conn.close()


if __name__ == "__main__":
    unittest.main()
