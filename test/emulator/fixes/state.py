"""Run-time state shared by the fixes: strict mode, recorded violations, opt-in
status transitions, and the hooks that clear it all on POST /moto-api/reset.

Nothing here patches moto; the other modules read and write this state.
"""

import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

_lock = threading.Lock()

# Strict mode: enforce the AWS Batch rules that moto skips (see batch_strict.py).
# `default_strict` is the launcher's --strict value; a reset returns to it.
default_strict = False
strict = False

# Model validation: every request checked against its botocore model (see model_validation.py).
# `default_validation` is the launcher's value (--no-validation turns it off); a reset returns to it.
default_validation = True
validation = True

# Every strict-mode rejection, oldest first: {"operation", "message", "time"}.
_violations: list[dict[str, str]] = []

# Opt-in CREATING/UPDATING phases for compute environments and job queues, in
# seconds (0 = off: everything is VALID at once, as in plain moto).
transition_seconds = 0.0
# How long a deleted CE or queue stays listed as DELETED (after DELETING), holding its name and its CEs.
deleted_seconds = 0.0

_reset_hooks: list[Callable[[], None]] = []


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def record_violation(operation: str, message: str) -> None:
    with _lock:
        _violations.append(
            {"operation": operation, "message": message, "time": now_iso()}
        )


def violations() -> list[dict[str, str]]:
    with _lock:
        return list(_violations)


def clear_violations() -> None:
    with _lock:
        _violations.clear()


def on_reset(hook: Callable[[], None]) -> None:
    """Register a function that clears a fix's own state on reset."""
    _reset_hooks.append(hook)


def reset() -> None:
    global strict, transition_seconds, deleted_seconds, validation
    strict = default_strict
    validation = default_validation
    transition_seconds = 0.0
    deleted_seconds = 0.0
    clear_violations()
    for hook in _reset_hooks:
        hook()


def describe() -> dict[str, Any]:
    from moto.core.config import default_user_config

    return {
        "strict": strict,
        "validation": validation,
        "transitionSeconds": transition_seconds,
        "deletedSeconds": deleted_seconds,
        "config": {
            "batch": dict(default_user_config.get("batch", {})),
            "stepfunctions": dict(default_user_config.get("stepfunctions", {})),
        },
    }
