#!/usr/bin/env python3
"""Runs one Python Lambda handler the way the AWS Lambda Python 3.12 runtime
(awslambdaric) does, for one invocation, as a Stepline functions-file command:

    lambda_runtime.py HANDLER.py [FUNCTION]    # FUNCTION: the handler's name, default "handler"

- The handler file is loaded as the module `handler` from /var/task/handler.py
  (the path AWS shows in its stack traces); its lines are registered in
  linecache so tracebacks quote them.
- The event is the JSON text on stdin; the handler gets a small LambdaContext.
  The request id comes from STEPLINE_LAMBDA_REQUEST_ID (set by Stepline).
- Success: stdout gets the result as the runtime marshals it (json.dumps
  spacing, non-ASCII kept as UTF-8 in Python 3.12); a `bytes` result is the
  payload as-is. Exit 0.
- An exception: stdout gets the runtime's error document
  {"errorMessage", "errorType", "requestId", "stackTrace"}, the stack trace
  being traceback.format_list of the traceback without the runtime's own
  leading frames. Exit 1. Loading errors get the runtime's Runtime.* errors.
- What the handler prints goes to stderr (Lambda sends it to the logs, never
  into the payload).
"""
import decimal
import json
import linecache
import math
import os
import sys
import time
import traceback
import types

TASK_ROOT = "/var/task"
REQUEST_ID_ENV = "STEPLINE_LAMBDA_REQUEST_ID"
TIMEOUT_MS = 3000  # Lambda's default function timeout, for get_remaining_time_in_millis


class FaultError(Exception):
    """A runtime fault (awslambdaric's FaultException): its own errorType, no user frames."""

    def __init__(self, error_type, msg, trace=None):
        super().__init__(msg)
        self.error_type = error_type
        self.msg = msg
        self.trace = trace


class Encoder(json.JSONEncoder):
    """The runtime's marshaller for Python 3.12 (simplejson there, the standard
    json module here): default separators ", " and ": ", non-ASCII kept as
    UTF-8. A Decimal, which simplejson writes as its exact number text, is
    written here as the nearest float."""

    def __init__(self):
        super().__init__(ensure_ascii=False)

    def default(self, o):
        if isinstance(o, decimal.Decimal):
            return math.nan if o.is_nan() else float(o)
        return super().default(o)


def to_json(obj):
    return Encoder().encode(obj)


class LambdaContext:
    def __init__(self, request_id, function_name):
        self.aws_request_id = request_id
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}"
        self.memory_limit_in_mb = "128"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline_ms = int(time.time() * 1000) + TIMEOUT_MS

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def make_error(message, error_type, stack_trace, request_id):
    # The runtime's member order: errorMessage, errorType, requestId, stackTrace.
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def load_handler(path, function):
    """Imports the handler file as module `handler` from /var/task/handler.py."""
    filename = os.path.join(TASK_ROOT, "handler.py")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    # mtime None: linecache.checkcache never drops the entry (there is no such file here).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = types.ModuleType("handler")
    module.__file__ = filename
    sys.modules["handler"] = module
    try:
        code = compile(source, filename, "exec")
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultError("Runtime.UserCodeSyntaxError", "Syntax error in module 'handler': {}".format(e), trace)
    try:
        exec(code, module.__dict__)
    except ImportError as e:
        raise FaultError("Runtime.ImportModuleError", "Unable to import module 'handler': {}".format(e))
    try:
        return getattr(module, function)
    except AttributeError:
        raise FaultError("Runtime.HandlerNotFound", "Handler '{}' missing on module 'handler'".format(function))


def user_frames(tb):
    """The traceback as (file, line, name, text) tuples without the runtime's own
    leading frames, as awslambdaric drops its bootstrap.py frames. Plain tuples:
    format_list then prints no column carets, as on AWS."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    here = os.path.abspath(__file__)
    for i, fr in enumerate(frames):
        if os.path.abspath(fr[0]) != here:
            return frames[i:]
    return frames


def fault_from_exception(exc, request_id):
    if isinstance(exc, FaultError):
        return make_error(exc.msg, exc.error_type, exc.trace, request_id)
    return make_error(str(exc), type(exc).__name__, traceback.format_list(user_frames(exc.__traceback__)), request_id)


def main():
    if len(sys.argv) < 2:
        print("usage: lambda_runtime.py HANDLER.py [FUNCTION]", file=sys.stderr)
        return 2
    path = sys.argv[1]
    function = sys.argv[2] if len(sys.argv) > 2 else "handler"
    request_id = os.environ.get(REQUEST_ID_ENV, "")
    event_text = sys.stdin.buffer.read()

    # The payload channel is the original stdout; the handler's own output goes to stderr.
    payload_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def finish(body, code):
        payload_out.write(body if isinstance(body, bytes) else body.encode("utf-8"))
        payload_out.flush()
        return code

    try:
        handler = load_handler(path, function)
    except Exception as e:  # an init error: the runtime reports it without a request id
        return finish(to_json(fault_from_exception(e, None)), 1)
    try:
        try:
            event = json.loads(event_text) if event_text.strip() else None
        except ValueError as e:
            raise FaultError("Runtime.UnmarshalError", "Unable to unmarshal input: {}".format(e))
        context = LambdaContext(request_id, os.path.splitext(os.path.basename(path))[0])
        result = handler(event, context)
        if isinstance(result, bytes):
            return finish(result, 0)  # the runtime sends bytes as the payload as-is
        try:
            body = to_json(result)
        except Exception as e:
            raise FaultError("Runtime.MarshalError", "Unable to marshal response: {}".format(e))
        return finish(body, 0)
    except Exception as e:
        return finish(to_json(fault_from_exception(e, request_id)), 1)


if __name__ == "__main__":
    sys.exit(main())
