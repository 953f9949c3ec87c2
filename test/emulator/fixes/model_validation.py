"""Model validation: every request is checked against the service's official model before moto sees it.

moto accepts requests AWS rejects: a required structure sent empty (the EC2 query protocol drops
it, and EC2 answers MissingParameter), unknown members, values of the wrong type, enum values
that do not exist, strings too long, numbers out of range. Such a request "works" in tests and
fails on the first real account. This WSGI middleware reads each request as moto
receives it, checks it against the botocore model installed beside moto (model_wire.py,
model_rules.py), and answers a violation the way the service does:

  rest-json, json 1.0/1.1  HTTP 400, x-amzn-ErrorType and {"__type", "message"}; the code is the
                           service's: ClientException for Batch (its model's client error; AWS
                           Batch API reference, "Errors"), ValidationException otherwise (Step
                           Functions, SSM, EventBridge, Scheduler, Pipes, Lambda), message in
                           AWS's "1 validation error detected: Value 'x' at 'name' failed to
                           satisfy constraint: ..." form
  ec2                      HTTP 400, <Response><Errors><Error><Code>: MissingParameter,
                           UnknownParameter or InvalidParameterValue (EC2 API reference,
                           "Error codes")
  query (IAM, STS, CFN)    HTTP 400, <ErrorResponse><Error><Type>Sender</Type><Code>ValidationError
                           (the code these services use for a failed constraint)

Every rejection is recorded as a violation (state.record_violation). On by default; switched at
run time with POST /batchctl-emulator/validation {"on": bool}; a reset restores the launcher's setting (on unless --no-validation).
Requests the middleware cannot attribute to a modelled operation go to moto unchanged, and so
does every request while validation is off.
"""

import io
import sys
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

from . import model_wire, state
from .model_rules import INVALID, MISSING, UNKNOWN, Problem

# Texts AWS documents for a particular missing member, by (service, operation, member).
# CreateLaunchTemplate without data: "No launch template data was provided. Launch template data is
# required to create a launch template." (quoted in awsdocs/aws-cloudformation-user-guide PR #453).
_MISSING_TEXTS = {
    ("ec2", "CreateLaunchTemplate", "LaunchTemplateData"): (
        "No launch template data was provided. Launch template data is required to create a launch template."
    ),
}

_EC2_CODES = {MISSING: "MissingParameter", UNKNOWN: "UnknownParameter", INVALID: "InvalidParameterValue"}


def _read_body(environ: dict[str, Any]) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    try:
        size = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size > 0:
        return stream.read(size)
    if environ.get("wsgi.input_terminated"):
        return stream.read()  # chunked: the server marks the end of the stream
    return b""


def _coral_path(path: str) -> str:
    """A wire path as AWS's validators name it: members in lowerCamelCase ("Value 'x' at 'roleName'", also for
    services whose wire names are capitalised), list items as "tags.1.member" (the query wire says Tags.member.1)."""
    parts = path.split(".")
    out: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if part in ("member", "entry") and i + 1 < len(parts) and parts[i + 1].isdigit():
            out += [parts[i + 1], part]
            i += 2
            continue
        out.append(part[:1].lower() + part[1:])
        i += 1
    return ".".join(out)


def _coral_message(problems: list[Problem]) -> str:
    parts = []
    for p in problems:
        path = _coral_path(p.path)
        if p.kind == UNKNOWN:
            parts.append(f"Member '{path}' {p.constraint}")
        else:
            shown = "null" if p.kind == MISSING else (f"'{p.value}'" if p.value is not None else "")
            value = f"Value {shown} at" if shown else "Value at"
            parts.append(f"{value} '{path}' failed to satisfy constraint: {p.constraint}")
    count = len(problems)
    return f"{count} validation error{'s' if count > 1 else ''} detected: {'; '.join(parts)}"


def _ec2_error(service: str, operation: str, problem: Problem) -> tuple[str, str]:
    code = _EC2_CODES[problem.kind]
    if problem.kind == MISSING:
        text = _MISSING_TEXTS.get((service, operation, problem.path))
        return code, text or f"The request must contain the parameter {problem.path}"
    if problem.kind == UNKNOWN:
        return code, f"The parameter {problem.path} is not recognized"
    shown = f" ({problem.value})" if problem.value is not None else ""
    return code, f"Value{shown} for parameter {problem.path} is invalid. {problem.constraint}"


def _json_code(parsed: model_wire.Parsed) -> str:
    errors = {shape.name for shape in parsed.operation.error_shapes}
    if "ValidationException" not in errors and "ClientException" in errors:
        return "ClientException"  # AWS Batch: every client-side error is a ClientException
    return "ValidationException"


def _respond(
    start_response: Callable[..., Any], content_type: str, body: str, extra: list[tuple[str, str]]
) -> list[bytes]:
    data = body.encode("utf-8")
    start_response(
        "400 Bad Request",
        [("Content-Type", content_type), ("Content-Length", str(len(data)))] + extra,
    )
    return [data]


def _reject(parsed: model_wire.Parsed, start_response: Callable[..., Any]) -> list[bytes]:
    service, operation = parsed.service.service_name, parsed.operation.name
    request_id = str(uuid.uuid4())
    if parsed.protocol == "ec2":
        problem = next((p for p in parsed.problems if p.kind == UNKNOWN), None) or next(
            (p for p in parsed.problems if p.kind == MISSING), parsed.problems[0]
        )
        code, message = _ec2_error(service, operation, problem)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Response><Errors><Error><Code>{code}</Code><Message>{escape(message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
        reply = _respond(start_response, "text/xml;charset=UTF-8", body, [])
    elif parsed.protocol == "query":
        code, message = "ValidationError", _coral_message(parsed.problems)
        namespace = parsed.service.metadata.get("xmlNamespace", "")
        body = (
            f'<ErrorResponse xmlns="{escape(namespace)}"><Error><Type>Sender</Type><Code>{code}</Code>'
            f"<Message>{escape(message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        reply = _respond(start_response, "text/xml", body, [("x-amzn-RequestId", request_id)])
    else:
        import json

        code, message = _json_code(parsed), _coral_message(parsed.problems)
        content_type = "application/json" if parsed.protocol == "rest-json" else (
            f"application/x-amz-json-{parsed.service.metadata.get('jsonVersion', '1.0')}"
        )
        body = json.dumps({"__type": code, "message": message})
        reply = _respond(
            start_response, content_type, body, [("x-amzn-ErrorType", code), ("x-amzn-RequestId", request_id)]
        )
    state.record_violation(operation, f"{service} {code}: {message}")
    sys.stderr.write(f"batchctl emulator: model validation rejected {service} {operation}: {code}: {message}\n")
    return reply


def wrap(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not state.validation:
            return app(environ, start_response)
        body = _read_body(environ)
        environ["wsgi.input"] = io.BytesIO(body)  # moto reads the same bytes
        environ["CONTENT_LENGTH"] = str(len(body))
        parsed = model_wire.parse(environ, body)
        if parsed is None or not parsed.problems:
            return app(environ, start_response)
        return _reject(parsed, start_response)

    return middleware
