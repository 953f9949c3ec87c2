"""Reset clears the fixes' own state too.

POST /moto-api/reset (MotoAPIBackend.reset) clears moto's backends but knows nothing of
our state: sleeping-job timers, recorded violations, strict mode, opt-in transitions.
Fix: run the fixes' reset hooks (state.reset()) together with moto's reset. Recorded
execution definitions live on the executions, which moto's reset drops; running
executions are stopped by the Step Functions backend's own reset (sfn_executions.py).
"""

from typing import Any

from moto.moto_api._internal.models import MotoAPIBackend

from . import state

_original_reset = MotoAPIBackend.reset


def _reset(self: Any) -> None:
    state.reset()  # stop timers first so no job ends half-way through moto's reset
    _original_reset(self)


def apply() -> None:
    MotoAPIBackend.reset = _reset
