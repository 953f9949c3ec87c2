"""Which service and operation a request is for, and its input read as the model describes it.

The service comes from the SigV4 credential scope (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`,
in the Authorization header or a presigned query), as moto's own dispatcher finds it; unsigned
JSON requests are matched by their X-Amz-Target prefix. The operation: X-Amz-Target (json),
Action (query, ec2), or the model's requestUri and method (rest-json). Models are botocore's,
the ones installed beside moto (botocore/data/<service>/<version>/service-2.json.gz).
"""

import json
import re
import threading
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import parse_qsl, unquote, urlsplit

import botocore.session
from botocore.exceptions import UnknownServiceError
from botocore.model import OperationModel, ServiceModel, Shape

from .model_rules import Checker, JsonWire, Node, Problem, QueryWire

PROTOCOLS = ("json", "rest-json", "query", "ec2")

# SigV4 signing names that differ from botocore's service names. Every other signing name is
# tried as a service name and kept only if that model signs with it.
_SIGNING_ALIASES = {"states": "stepfunctions"}
# Services looked at for an unsigned JSON request's X-Amz-Target prefix.
_TARGET_SERVICES = ("stepfunctions", "ssm", "events")

_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request")
# Query parameters that carry the protocol or a signature, never a member.
_QUERY_PROTOCOL_PARAMS = frozenset(
    {
        "Action",
        "Version",
        "AWSAccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "Timestamp",
        "SecurityToken",
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
        "X-Amz-SignedHeaders",
    }
)

_session = botocore.session.get_session()
_lock = threading.Lock()
_models: dict[str, Optional[ServiceModel]] = {}
_routes: dict[str, list[tuple[re.Pattern[str], str, frozenset[str], int, OperationModel]]] = {}


@dataclass
class Parsed:
    service: ServiceModel
    operation: OperationModel
    protocol: str
    problems: list[Problem]


def model(name: str) -> Optional[ServiceModel]:
    with _lock:
        if name not in _models:
            try:
                found: Optional[ServiceModel] = _session.get_service_model(name)
            except UnknownServiceError:
                found = None
            _models[name] = found
        return _models[name]


def _service_for(environ: dict[str, Any]) -> Optional[ServiceModel]:
    scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", "")) or _SCOPE.search(
        unquote(environ.get("QUERY_STRING", ""))
    )
    if scope:
        signing = scope.group(1)
        found = model(_SIGNING_ALIASES.get(signing, signing))
        return found if found is not None and found.signing_name == signing else None
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    for name in _TARGET_SERVICES:
        found = model(name)
        if found is not None and target.startswith(f"{found.metadata.get('targetPrefix')}."):
            return found
    return None


def parse(environ: dict[str, Any], body: bytes) -> Optional[Parsed]:
    """The request's operation and the problems of its input, or None when it is not ours to judge."""
    service = _service_for(environ)
    if service is None or service.protocol not in PROTOCOLS:
        return None
    content_type = environ.get("CONTENT_TYPE", "")
    if "cbor" in content_type:
        return None  # smithy-rpc-v2-cbor is not modelled here
    if service.protocol == "json":
        return _parse_json(service, environ, body)
    if service.protocol == "rest-json":
        return _parse_rest_json(service, environ, body)
    return _parse_query(service, environ, body)


def _operation(service: ServiceModel, name: str) -> Optional[OperationModel]:
    return service.operation_model(name) if name in service.operation_names else None


def _decode_json(body: bytes) -> tuple[Any, Optional[Problem]]:
    if not body.strip():
        return {}, None
    try:
        return json.loads(body), None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return None, Problem("invalid", "", f"The request body is not valid JSON: {err}", None)


def _parse_json(service: ServiceModel, environ: dict[str, Any], body: bytes) -> Optional[Parsed]:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    prefix, _, name = target.partition(".")
    if prefix != service.metadata.get("targetPrefix"):
        return None
    operation = _operation(service, name)
    if operation is None:
        return None
    checker = Checker(JsonWire())
    value, problem = _decode_json(body)
    if problem is not None:
        checker.problems.append(problem)
    elif operation.input_shape is not None:
        checker.structure(operation.input_shape, value, "")
    return Parsed(service, operation, "json", checker.problems)


def _parse_query(service: ServiceModel, environ: dict[str, Any], body: bytes) -> Optional[Parsed]:
    params = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
        params += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    action = dict(params).get("Action", "")
    operation = _operation(service, action)
    if operation is None:
        return None
    members = [(k, v) for k, v in params if k not in _QUERY_PROTOCOL_PARAMS]
    input_shape = operation.input_shape
    checker = Checker(QueryWire(ec2=service.protocol == "ec2"))
    if input_shape is not None:
        checker.structure(input_shape, Node.tree(members), "")
    elif members:
        checker.structure(_EMPTY, Node.tree(members), "")
    return Parsed(service, operation, service.protocol, checker.problems)


class _NoMembers:
    """The input of an operation that takes none: every parameter is unknown."""

    type_name = "structure"
    name = "Input"
    members: dict[str, Shape] = {}
    required_members: list[str] = []
    is_tagged_union = False
    is_document_type = False
    metadata: dict[str, Any] = {}
    serialization: dict[str, Any] = {}


_EMPTY: Any = _NoMembers()


# --- rest-json -----------------------------------------------------------------------------------------


def _compile(uri: str) -> tuple[re.Pattern[str], frozenset[str], int]:
    path, _, query = uri.partition("?")
    pattern, literal = "", 0
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{"):
            name = part[1:-1]
            greedy = name.endswith("+")
            pattern += f"(?P<{_group(name.rstrip('+'))}>{'.+' if greedy else '[^/]+'})"
        else:
            pattern += re.escape(part)
            literal += len(part)
    static = frozenset(k for k, _ in parse_qsl(query, keep_blank_values=True)) if query else frozenset()
    return re.compile(f"^{pattern}/?$"), static, literal


def _group(name: str) -> str:
    return "g_" + re.sub(r"\W", "_", name)


def _rest_routes(service: ServiceModel) -> list[tuple[re.Pattern[str], str, frozenset[str], int, OperationModel]]:
    with _lock:
        if service.service_name not in _routes:
            routes = []
            for name in service.operation_names:
                operation = service.operation_model(name)
                pattern, static, literal = _compile(operation.http.get("requestUri", "/"))
                routes.append((pattern, operation.http.get("method", "POST"), static, literal, operation))
            _routes[service.service_name] = routes
        return _routes[service.service_name]


def _parse_rest_json(service: ServiceModel, environ: dict[str, Any], body: bytes) -> Optional[Parsed]:
    method = environ.get("REQUEST_METHOD", "GET")
    # The raw path keeps an encoded "/" inside a label (an ARN in /v1/tags/{resourceArn}) apart from the separators.
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    path = urlsplit(raw).path if raw else environ.get("PATH_INFO", "/")
    query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    query_keys = {k for k, _ in query}
    best: Optional[tuple[int, int, OperationModel, re.Match[str]]] = None
    for pattern, verb, static, literal, operation in _rest_routes(service):
        if verb != method or not static <= query_keys:
            continue
        match = pattern.match(path)
        if match and (best is None or (len(static), literal) > best[:2]):
            best = (len(static), literal, operation, match)
    if best is None:
        return None
    operation, match = best[2], best[3]
    checker = Checker(JsonWire())
    shape = operation.input_shape
    if shape is None:
        return Parsed(service, operation, "rest-json", [])
    located = _check_locations(checker, shape, match, query, environ)
    payload = shape.serialization.get("payload")
    if payload:
        member = shape.members[payload]
        if member.type_name == "structure" and body.strip():
            value, problem = _decode_json(body)
            if problem is not None:
                checker.problems.append(problem)
            else:
                checker.value(member, value, payload)
        elif member.type_name == "structure" and payload in shape.required_members:
            checker.problems.append(Problem("missing", payload, "Member must not be null", None))
    else:
        value, problem = _decode_json(body)
        if problem is not None:
            checker.problems.append(problem)
        else:
            checker.structure(shape, value, "", skip=located)
    return Parsed(service, operation, "rest-json", checker.problems)


def _check_locations(
    checker: Checker, shape: Shape, match: re.Match[str], query: list[tuple[str, str]], environ: dict[str, Any]
) -> frozenset[str]:
    """Members carried in the URI, query string or headers; returns their names."""
    located = set()
    strings = Checker(QueryWire(ec2=False))
    strings.problems = checker.problems
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        if not location:
            continue
        located.add(name)
        wire = member.serialization.get("name", name)
        values: list[str] = []
        if location == "uri":
            text = match.groupdict().get(_group(wire))
            values = [unquote(text)] if text is not None else []
        elif location == "querystring":
            if member.type_name == "map":
                continue  # takes every other parameter; nothing to check
            values = [v for k, v in query if k == wire]
        elif location == "header":
            text = environ.get("HTTP_" + wire.upper().replace("-", "_"))
            values = [text] if text is not None else []
        else:
            continue  # "headers" (a prefix map), "statusCode": nothing to check
        if not values:
            if name in shape.required_members:
                checker.problems.append(Problem("missing", wire, "Member must not be null", None))
            continue
        if member.type_name == "list":
            strings._size(member, len(values), wire, "length")
            for i, text in enumerate(values, 1):
                strings.scalar(member.member, text, f"{wire}.{i}.member")
        else:
            strings.scalar(member, values[0], wire)
    return frozenset(located)
