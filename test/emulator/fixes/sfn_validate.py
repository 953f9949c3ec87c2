"""Fix 13: ValidateStateMachineDefinition.

moto bug: the API is not routed in moto's StepFunctionResponse (the HTTP layer answers with an
HTML error page), so a client that validates a definition before UpdateStateMachine, as
batchctl does (aws-facts §5.2), cannot run against the emulator.

Fix: a minimal validator that answers like AWS does for the cases tests need: `OK` for a JSON
object with `StartAt` naming a state in `States`, otherwise `FAIL` with one ERROR diagnostic.
It checks structure only, not every ASL rule.
"""

import json
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.responses import StepFunctionResponse


def _diagnose(definition: str) -> list[dict[str, str]]:
    try:
        parsed = json.loads(definition)
    except (TypeError, ValueError) as error:
        return [{"severity": "ERROR", "code": "INVALID_JSON_DESCRIPTION", "message": str(error), "location": "/"}]
    if not isinstance(parsed, dict) or not isinstance(parsed.get("States"), dict):
        return [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": "States is required", "location": "/States"}]
    if parsed.get("StartAt") not in parsed["States"]:
        return [
            {
                "severity": "ERROR",
                "code": "MISSING_TRANSITION_TARGET",
                "message": f"StartAt {parsed.get('StartAt')!r} is not a state",
                "location": "/StartAt",
            }
        ]
    return []


def validate_state_machine_definition(self: Any) -> ActionResult:
    diagnostics = _diagnose(self._get_param("definition"))
    return ActionResult({"result": "FAIL" if diagnostics else "OK", "diagnostics": diagnostics, "truncated": False})


def apply() -> None:
    StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition
