"""The emulator's own HTTP routes, served in front of moto (a WSGI middleware).

  GET  /batchctl-emulator/             -> {"strict", "transitionSeconds", "config"}
  GET  /batchctl-emulator/strict       -> {"strict": bool}
  POST /batchctl-emulator/strict       {"on": bool} -> {"strict": bool}
  GET  /batchctl-emulator/validation   -> {"validation": bool}
  POST /batchctl-emulator/validation   {"on": bool} -> {"validation": bool}
  GET  /batchctl-emulator/violations   -> [{"operation", "message", "time"}, ...]
  DELETE /batchctl-emulator/violations -> []
  POST /batchctl-emulator/transitions  {"seconds": S, "deletedSeconds"?: D}
                                       -> {"transitionSeconds": S, "deletedSeconds": D}
  POST /batchctl-emulator/reset        -> same as POST /moto-api/reset

Every other request goes to moto, through model validation (model_validation.py).
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

from . import model_validation, state

PREFIX = "/batchctl-emulator"


def _body(environ: dict[str, Any]) -> dict[str, Any]:
    try:
        size = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    body = json.loads(environ["wsgi.input"].read(size)) if size else {}
    return body if isinstance(body, dict) else {}


def _handle(method: str, route: str, environ: dict[str, Any]) -> tuple[int, Any]:
    if route == "" and method == "GET":
        return 200, state.describe()
    if route == "strict":
        if method == "POST":
            on = _body(environ).get("on")
            if not isinstance(on, bool):
                return 400, {"message": 'Body must be {"on": true|false}'}
            state.strict = on
        return 200, {"strict": state.strict}
    if route == "validation":
        if method == "POST":
            on = _body(environ).get("on")
            if not isinstance(on, bool):
                return 400, {"message": 'Body must be {"on": true|false}'}
            state.validation = on
        return 200, {"validation": state.validation}
    if route == "violations":
        if method == "DELETE":
            state.clear_violations()
        return 200, state.violations()
    if route == "transitions" and method == "POST":
        body = _body(environ)
        seconds, deleted = body.get("seconds"), body.get("deletedSeconds", body.get("seconds"))
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in (seconds, deleted)):
            return 400, {"message": 'Body must be {"seconds": number >= 0, "deletedSeconds"?: number >= 0}'}
        state.transition_seconds = float(seconds)
        state.deleted_seconds = float(deleted)
        return 200, {"transitionSeconds": state.transition_seconds, "deletedSeconds": state.deleted_seconds}
    if route == "reset" and method == "POST":
        from moto.moto_api._internal.models import moto_api_backend

        moto_api_backend.reset()  # the patched reset also clears the fixes' state
        return 200, {"status": "ok"}
    return 404, {"message": f"No route {method} {PREFIX}/{route}"}


def wrap(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    app = model_validation.wrap(app)

    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return app(environ, start_response)  # everything else is moto's
        route = path[len(PREFIX) :].strip("/")
        try:
            status, payload = _handle(environ.get("REQUEST_METHOD", "GET"), route, environ)
        except json.JSONDecodeError as err:
            status, payload = 400, {"message": f"Invalid JSON body: {err}"}
        body = json.dumps(payload).encode("utf-8")
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
        start_response(
            f"{status} {reason}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]

    return middleware
