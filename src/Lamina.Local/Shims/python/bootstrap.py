#!/usr/bin/env python3
"""Lamina's local Python runtime for AWS Lambda handlers (standard library only, Python 3.8+).

It speaks the Lambda Runtime API (version 2018-06-01) at AWS_LAMBDA_RUNTIME_API, as Lambda's Python runtime does:
it imports the module named by _HANDLER ("module.function", "package/module.function") from LAMBDA_TASK_ROOT,
then for each invocation calls function(event, context) and posts the JSON result, or the error document
{"errorMessage", "errorType", "requestId", "stackTrace"}. Import and handler-lookup failures are posted to
/runtime/init/error with Lambda's error types (Runtime.ImportModuleError, Runtime.HandlerNotFound, ...) and the
process exits with status 1.

After each invocation the shim writes an end marker line to standard output and standard error (see
INVOCATION_END_MARKER), so the Lamina host attributes every line to the right invocation.

Logging follows Lambda's formats: print() output is written as is; the root logger writes
"[LEVEL]\\ttimestamp\\trequestId\\tmessage" lines (text format, root level left at WARNING as in Lambda), or JSON
objects when AWS_LAMBDA_LOG_FORMAT is JSON (level from AWS_LAMBDA_LOG_LEVEL, default INFO).
"""
import datetime
import importlib
import json
import logging
import os
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

RUNTIME_API_VERSION = "2018-06-01"
_SHIM_FILE = os.path.abspath(__file__)
_current_request_id = None


def _iso(epoch_seconds=None):
    moment = datetime.datetime.fromtimestamp(time.time() if epoch_seconds is None else epoch_seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


class FaultException(Exception):
    """An init failure reported with one of Lambda's Runtime.* error types."""

    def __init__(self, error_type, message, stack_trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace or []


class RuntimeApiClient:
    def __init__(self, address):
        self._base = "http://%s/%s/runtime" % (address, RUNTIME_API_VERSION)
        # Never go through a proxy: the Runtime API is local.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _send(self, method, path, body=None, headers=None):
        request = urllib.request.Request(self._base + path, data=body, method=method, headers=headers or {})
        return self._opener.open(request, timeout=None)

    def next_invocation(self):
        with self._send("GET", "/invocation/next") as response:
            return response.read(), response.headers

    def post_response(self, request_id, body):
        path = "/invocation/%s/response" % urllib.parse.quote(request_id, safe="")
        self._post(path, body, {"Content-Type": "application/json"})

    def post_error(self, request_id, error):
        path = "/invocation/%s/error" % urllib.parse.quote(request_id, safe="")
        self._post(path, json.dumps(error).encode("utf-8"),
                   {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error.get("errorType", "Unhandled")})

    def post_init_error(self, error):
        self._post("/init/error", json.dumps(error).encode("utf-8"),
                   {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error.get("errorType", "Unhandled")})

    def _post(self, path, body, headers):
        try:
            with self._send("POST", path, body, headers) as response:
                response.read()
        except urllib.error.HTTPError as error:
            # For example 413 (response too large) or 400 (the invocation already timed out): Lambda has settled it.
            _write_line("[WARN]\t%s\t%s\tThe Runtime API rejected %s: %s %s"
                        % (_iso(), _current_request_id or "", path, error.code, error.read().decode("utf-8", "replace")))


class CognitoIdentity:
    def __init__(self, data):
        self.cognito_identity_id = data.get("cognitoIdentityId") if data else None
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId") if data else None


class Client:
    def __init__(self, data):
        self.installation_id = data.get("installation_id")
        self.app_title = data.get("app_title")
        self.app_version_name = data.get("app_version_name")
        self.app_version_code = data.get("app_version_code")
        self.app_package_name = data.get("app_package_name")


class ClientContext:
    def __init__(self, data):
        self.client = Client(data["client"]) if data.get("client") else None
        self.custom = data.get("custom")
        self.env = data.get("env")


def _parse_json_header(value):
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


class LambdaContext:
    """The context object of Lambda's Python runtime."""

    def __init__(self, request_id, deadline_ms, invoked_function_arn, trace_id, client_context, cognito_identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        # A string, as in Lambda's Python runtime.
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.tenant_id = None
        self._trace_id = trace_id
        self._deadline_ms = deadline_ms
        identity = _parse_json_header(cognito_identity)
        self.identity = CognitoIdentity(identity) if identity else None
        context = _parse_json_header(client_context)
        self.client_context = ClientContext(context) if context else None

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, message):
        sys.stdout.write(str(message))
        sys.stdout.flush()

    def __repr__(self):
        return "LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s])" % (
            self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
            self.memory_limit_in_mb, self.function_version, self.invoked_function_arn)


def _write_line(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# Written to both streams after each invocation, before its result is posted: the Lamina host then knows it has read
# every line of the invocation. The host does not record it.
INVOCATION_END_MARKER = "\x1eLAMINA_INVOCATION_END "


def _end_invocation(request_id):
    for stream in (sys.stdout, sys.stderr):
        stream.write(INVOCATION_END_MARKER + request_id + "\n")
        stream.flush()


class LambdaLoggerHandler(logging.Handler):
    def __init__(self, json_format):
        super().__init__()
        self._json = json_format

    def emit(self, record):
        try:
            message = record.getMessage()
            if record.exc_info:
                message = message + "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            if self._json:
                line = json.dumps({
                    "timestamp": _iso(record.created),
                    "level": record.levelname,
                    "message": message,
                    "logger": record.name,
                    "requestId": _current_request_id,
                })
            else:
                # One log event per record: line breaks become carriage returns, as in Lambda.
                line = "[%s]\t%s\t%s\t%s" % (record.levelname, _iso(record.created), _current_request_id or "",
                                             message.replace("\n", "\r"))
            _write_line(line)
        except Exception:  # pragma: no cover - logging must never break the handler
            self.handleError(record)


def _configure_logging():
    json_format = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(LambdaLoggerHandler(json_format))
    if json_format:
        level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO").upper()
        root.setLevel({"TRACE": logging.DEBUG, "WARN": logging.WARNING, "FATAL": logging.CRITICAL}.get(level, level))
    return json_format


def _user_frames(tb):
    frames = [frame for frame in traceback.extract_tb(tb) if os.path.abspath(frame.filename) != _SHIM_FILE]
    return traceback.format_list(frames)


def _error_document(exc_type, exc_value, tb, request_id):
    return {
        "errorMessage": str(exc_value),
        "errorType": exc_type.__name__,
        "requestId": request_id or "",
        "stackTrace": _user_frames(tb),
    }


def _log_error(document, json_format):
    if json_format:
        _write_line(json.dumps({
            "timestamp": _iso(), "level": "ERROR", "message": document["errorMessage"], "logger": "root",
            "requestId": _current_request_id, "errorType": document["errorType"],
            "errorMessage": document["errorMessage"], "stackTrace": document.get("stackTrace", []),
        }))
    else:
        text = "[ERROR] %s: %s" % (document["errorType"], document["errorMessage"])
        if document.get("stackTrace"):
            text += "\rTraceback (most recent call last):\r" + "".join(document["stackTrace"]).rstrip("\n").replace("\n", "\r")
        _write_line(text)


def _load_handler(handler):
    try:
        module_path, function_name = handler.rsplit(".", 1)
    except ValueError as error:
        raise FaultException("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, error))
    module_name = module_path.replace("/", ".")
    if not module_name or module_name.startswith("."):
        raise FaultException("Runtime.BadFunctionCode", "Cannot use relative path for module '%s'." % module_path)
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise FaultException("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, error))
    except SyntaxError as error:
        raise FaultException("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, error),
                             traceback.format_exception_only(type(error), error))
    function = getattr(module, function_name, None)
    if function is None:
        raise FaultException("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return function


def main():
    global _current_request_id
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        sys.stderr.write("AWS_LAMBDA_RUNTIME_API is not set: this runtime must run inside Lambda or the Lamina local host.\n")
        return 3
    client = RuntimeApiClient(address)
    json_format = _configure_logging()

    # The handler's modules come from the task root, not from this shim's directory.
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(_SHIM_FILE):
        sys.path[0] = task_root
    else:
        sys.path.insert(0, task_root)

    try:
        handler = _load_handler(os.environ.get("_HANDLER", ""))
    except FaultException as fault:
        document = {"errorMessage": fault.message, "errorType": fault.error_type, "requestId": "", "stackTrace": fault.stack_trace}
        _log_error(document, json_format)
        client.post_init_error(document)
        return 1
    except Exception:
        document = _error_document(*sys.exc_info(), None)
        _log_error(document, json_format)
        client.post_init_error(document)
        return 1

    while True:
        body, headers = client.next_invocation()
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        _current_request_id = request_id
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        context = LambdaContext(
            request_id,
            int(headers.get("Lambda-Runtime-Deadline-Ms", "0") or 0),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
            trace_id,
            headers.get("Lambda-Runtime-Client-Context"),
            headers.get("Lambda-Runtime-Cognito-Identity"))
        try:
            event = json.loads(body) if body else {}
        except ValueError as error:
            document = {"errorMessage": "Unable to unmarshal input: %s" % error, "errorType": "Runtime.UnmarshalError",
                        "requestId": request_id, "stackTrace": []}
            _log_error(document, json_format)
            _end_invocation(request_id)
            client.post_error(request_id, document)
            continue
        try:
            result = handler(event, context)
        except Exception:
            document = _error_document(*sys.exc_info(), request_id)
            _log_error(document, json_format)
            _end_invocation(request_id)
            client.post_error(request_id, document)
            continue
        try:
            payload = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError) as error:
            document = {"errorMessage": "Unable to marshal response: %s" % error, "errorType": "Runtime.MarshalError",
                        "requestId": request_id, "stackTrace": []}
            _log_error(document, json_format)
            _end_invocation(request_id)
            client.post_error(request_id, document)
            continue
        _end_invocation(request_id)
        client.post_response(request_id, payload)


if __name__ == "__main__":
    sys.exit(main())
