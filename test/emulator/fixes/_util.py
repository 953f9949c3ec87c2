"""Small helpers shared by the fixes (no moto patches here)."""

import inspect
from collections.abc import Callable
from typing import Any


def bind(original: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> inspect.BoundArguments:
    """Bind a call to `original`'s signature so a wrapper can read or change any
    argument by name, whether the caller passed it by position or by keyword.
    Call `original(*bound.args, **bound.kwargs)` afterwards."""
    bound = inspect.signature(original).bind(*args, **kwargs)
    return bound
