"""Fix 13: ValidateStateMachineDefinition.

moto bug: the API is not routed in moto's StepFunctionResponse (the HTTP layer answers with an
HTML error page), so a client that validates a definition before UpdateStateMachine, as
batchctl does (aws-facts §5.2), cannot run against the emulator.

Fix: a minimal validator that answers like AWS does for the cases tests need: `OK` for a JSON
object with `StartAt` naming a state in `States`, otherwise `FAIL` with one ERROR diagnostic.
It checks structure only, not every ASL rule.

Also per the model (ValidateStateMachineDefinitionInput): `type` (STANDARD by default)
- an EXPRESS definition whose Task uses the `.sync` or `.waitForTaskToken` integration
pattern FAILs, because Express workflows support neither ("Choosing workflow type in Step
Functions", AWS Step Functions developer guide: Express Workflows do not support the
Run a Job (.sync) or Wait for Callback (.waitForTaskToken) patterns); CreateStateMachine
refuses the same definitions (sfn_express.py). `maxResults` caps the diagnostics and sets
`truncated`; `severity` WARNING would add warnings, of which this checker has none.
"""

import json
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.responses import StepFunctionResponse


_UNSUPPORTED_BY_EXPRESS = (".sync", ".sync:2", ".waitForTaskToken")


def _tasks(states: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    """(location, state) of every Task, also inside Parallel branches and Map processors."""
    found: list[tuple[str, dict[str, Any]]] = []
    if not isinstance(states, dict):
        return found
    for name, st in states.items():
        if not isinstance(st, dict):
            continue
        here = f"{path}/{name}"
        if st.get("Type") == "Task":
            found.append((here, st))
        for i, branch in enumerate(st.get("Branches") or []):
            if isinstance(branch, dict):
                found += _tasks(branch.get("States"), f"{here}/Branches/{i}/States")
        for key in ("ItemProcessor", "Iterator"):
            inner = st.get(key)
            if isinstance(inner, dict):
                found += _tasks(inner.get("States"), f"{here}/{key}/States")
    return found


def express_diagnostics(parsed: dict[str, Any]) -> list[dict[str, str]]:
    """ERROR diagnostics for integration patterns an EXPRESS state machine cannot use."""
    out = []
    for location, task in _tasks(parsed.get("States"), "/States"):
        resource = task.get("Resource")
        if isinstance(resource, str) and resource.endswith(_UNSUPPORTED_BY_EXPRESS):
            pattern = "." + resource.rsplit(".", 1)[1]
            out.append(
                {
                    "severity": "ERROR",
                    "code": "SCHEMA_VALIDATION_FAILED",
                    "message": f"Express state machine does not support '{pattern}' service integration",
                    "location": f"{location}/Resource",
                }
            )
    return out


def _diagnose(definition: str, sm_type: str = "STANDARD") -> list[dict[str, str]]:
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
    return express_diagnostics(parsed) if sm_type == "EXPRESS" else []


def validate_state_machine_definition(self: Any) -> ActionResult:
    diagnostics = _diagnose(self._get_param("definition"), self._get_param("type") or "STANDARD")
    result = "FAIL" if any(d["severity"] == "ERROR" for d in diagnostics) else "OK"
    limit = self._get_int_param("maxResults") or 100  # model: 0..100; 0 or absent = the default, 100
    return ActionResult(
        {"result": result, "diagnostics": diagnostics[:limit], "truncated": len(diagnostics) > limit}
    )


def apply() -> None:
    StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition
