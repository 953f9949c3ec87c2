"""Fix 17: EXPRESS state machines.

moto gaps: CreateStateMachine ignores `type`, so every state machine is STANDARD
(DescribeStateMachine says so) and the APIs AWS refuses for Express workflows answer:
  - ListExecutions on an EXPRESS state machine (or one of its versions). AWS:
    StateMachineTypeNotSupported, HTTP 400 (botocore model: ListExecutions.errors;
    API_ListExecutions: "This API action is not supported by EXPRESS state machines.").
  - DescribeExecution, GetExecutionHistory and StopExecution of an Express execution. The
    API pages say "not supported by EXPRESS state machines"; the botocore model lists no
    StateMachineTypeNotSupported for these three, and LocalStack's provider (the
    interpreter moto ships, kept at parity with AWS) answers InvalidArn
    "Invalid Arn: 'Resource type not valid in this context: express'" - we do the same.

Fix: CreateStateMachine records `type` (STANDARD by default, as AWS) on the state machine
and on every version published from it; executions carry it (sfn_executions.py passes
sm_type to the interpreter), so StartExecution still runs an Express workflow. The refused
calls answer as above. CreateStateMachine type=EXPRESS with a `.sync` or
`.waitForTaskToken` Task is InvalidDefinition (Express supports neither pattern; see
sfn_validate.py for the source).

Not modelled: Express execution ARNs keep moto's `execution:` form (AWS uses `express:`),
StartSyncExecution is not routed by moto, and Express executions are not dropped after
their 5-minute maximum.
"""

import json
import threading
from typing import Any

from moto.core.exceptions import AWSError
from moto.stepfunctions.exceptions import InvalidArn
from moto.stepfunctions.models import StateMachine, StateMachineVersion
from moto.stepfunctions.responses import StepFunctionResponse

from .sfn_validate import express_diagnostics

EXPRESS = "EXPRESS"
NOT_SUPPORTED_MESSAGE = "This API action is not supported by EXPRESS state machines."


class InvalidDefinition(AWSError):
    TYPE = "InvalidDefinition"
    STATUS = 400


class StateMachineTypeNotSupported(AWSError):
    TYPE = "StateMachineTypeNotSupported"
    STATUS = 400


_creating = threading.local()  # the `type` of the CreateStateMachine this thread is serving

_original_sm_init = StateMachine.__init__
_original_version_init = StateMachineVersion.__init__
_original_create = StepFunctionResponse.create_state_machine
_original_list_executions = StepFunctionResponse.list_executions
_original_describe_execution: Any = None
_original_get_history = StepFunctionResponse.get_execution_history
_original_stop = StepFunctionResponse.stop_execution


def _set_type(obj: Any, sm_type: str) -> None:
    obj.type = sm_type
    obj.sm_type = sm_type


def _sm_init(self: Any, *args: Any, **kwargs: Any) -> None:
    _original_sm_init(self, *args, **kwargs)
    _set_type(self, getattr(_creating, "type", None) or "STANDARD")


def _version_init(self: Any, source: Any, *args: Any, **kwargs: Any) -> None:
    _original_version_init(self, source, *args, **kwargs)
    _set_type(self, getattr(source, "sm_type", "STANDARD"))


def create_state_machine(self: Any) -> Any:
    sm_type = self._get_param("type")
    if sm_type == EXPRESS:
        try:
            parsed = json.loads(self._get_param("definition") or "")
        except ValueError:
            parsed = None
        problems = express_diagnostics(parsed) if isinstance(parsed, dict) else []
        if problems:
            first = problems[0]
            raise InvalidDefinition(
                f"Invalid State Machine Definition: '{first['code']}: {first['message']} at {first['location']}'"
            )
    _creating.type = sm_type
    try:
        return _original_create(self)
    finally:
        _creating.type = None


def _state_machine_type(backend: Any, arn: str) -> str | None:
    base = ":".join(arn.split(":")[:7])
    sm = next((x for x in backend.state_machines if x.arn == base), None)
    return getattr(sm, "sm_type", None) if sm is not None else None


def list_executions(self: Any) -> Any:
    arn = self._get_param("stateMachineArn")
    if arn and _state_machine_type(self.stepfunction_backend, arn) == EXPRESS:
        raise StateMachineTypeNotSupported(NOT_SUPPORTED_MESSAGE)
    return _original_list_executions(self)


def _refuse_express_execution(self: Any) -> None:
    execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
    if getattr(execution, "sm_type", None) == EXPRESS:
        raise InvalidArn("Invalid Arn: 'Resource type not valid in this context: express'")


def describe_execution(self: Any) -> Any:
    _refuse_express_execution(self)
    return _original_describe_execution(self)


def get_execution_history(self: Any) -> Any:
    _refuse_express_execution(self)
    return _original_get_history(self)


def stop_execution(self: Any) -> Any:
    _refuse_express_execution(self)
    return _original_stop(self)


def list_state_machines(self: Any) -> Any:
    """moto lists no `type`; AWS returns it for every item (StateMachineListItem.type is required in the model),
    and it is how a caller knows not to ask an EXPRESS state machine for its executions."""
    from moto.core.responses import ActionResult

    results, next_token = self.stepfunction_backend.list_state_machines(
        max_results=self._get_int_param("maxResults"), next_token=self._get_param("nextToken")
    )
    items = [
        {
            "creationDate": sm.creation_date,
            "name": sm.name,
            "stateMachineArn": sm.arn,
            "type": getattr(sm, "sm_type", None) or "STANDARD",
        }
        for sm in results
    ]
    return ActionResult({"stateMachines": items, "nextToken": next_token})


def apply() -> None:
    """After sfn_executions.apply(): wraps its describe_execution."""
    global _original_describe_execution
    _original_describe_execution = StepFunctionResponse.describe_execution
    StateMachine.__init__ = _sm_init
    StateMachineVersion.__init__ = _version_init
    StepFunctionResponse.create_state_machine = create_state_machine
    StepFunctionResponse.list_executions = list_executions
    StepFunctionResponse.list_state_machines = list_state_machines
    StepFunctionResponse.describe_execution = describe_execution
    StepFunctionResponse.get_execution_history = get_execution_history
    StepFunctionResponse.stop_execution = stop_execution
