"""Fixes 2, 3, 7 and 8: StartExecution and what an execution remembers.

moto bugs (StepFunctionsParserBackend.start_execution, the execute_state_machine backend):
  2. no `name` -> the execution is called "None"; the 2nd unnamed start fails with
     ExecutionAlreadyExists.
  3. a version ARN (sm:3) -> 500 ('StateMachineVersion' has no attribute
     '_handle_name_input_idempotency'); an alias ARN -> StateMachineDoesNotExist.
  7. moto <= 5.2.3 (getmoto/moto#10077): start deep-copies the state machine, including
     its running executions and their thread locks -> every start after the first
     is a 500 `TypeError: cannot pickle '_thread.RLock'`.
  8. DescribeStateMachineForExecution returns the state machine's *current*
     definition; AWS returns the one the execution started with. DescribeExecution
     reports neither stateMachineVersionArn nor stateMachineAliasArn.

Fix: one replacement start_execution. It resolves version and alias ARNs (an alias
picks a version with the routing weights), names unnamed executions with a uuid4,
and instead of a deep copy gives the execution a small immutable snapshot
(`StartedWith`) of the definition, role, revision and version/alias it started with.
DescribeStateMachineForExecution and DescribeExecution answer from that snapshot.
A reset also stops running executions (see `reset`).
"""

import datetime
import json
import random
import uuid
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.exceptions import InvalidExecutionInput, StateMachineDoesNotExist
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

from . import sfn_revisions


class StartedWith:
    """What an execution started with; never changes afterwards."""

    def __init__(self, sm: Any, target: Any, version_arn: str | None, alias_arn: str | None):
        self.arn = sm.arn  # unqualified, as AWS reports it in DescribeExecution
        self.source_arn = sm.arn
        self.name = sm.name
        self.sm_type = sm.sm_type
        self.definition = target.definition
        self.roleArn = target.roleArn
        self.loggingConfiguration = target.loggingConfiguration
        self.tracingConfiguration = target.tracingConfiguration
        self.encryptionConfiguration = target.encryptionConfiguration
        self.revision_id = sfn_revisions.revision_of(target)
        self.update_date = target.creation_date if version_arn else sm.update_date
        self.version_arn = version_arn
        self.alias_arn = alias_arn


def _resolve(backend: Any, arn: str) -> tuple[Any, Any, str | None]:
    """(state machine, version or None, alias ARN or None) for an unqualified,
    version or alias ARN."""
    backend._validate_machine_arn(arn)
    parts = arn.split(":")
    if len(parts) <= 7:
        return backend.describe_state_machine(arn), None, None
    base_arn, qualifier = ":".join(parts[:7]), parts[7]
    sm = next((x for x in backend.state_machines if x.arn == base_arn), None)
    if sm is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    if qualifier.isdigit():
        version = sm.versions.get(int(qualifier))
        if version is None:
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        return sm, version, None
    alias = sm.aliases.get(qualifier)
    if alias is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    routes = alias.routing_configuration
    chosen = random.choices(
        [r["stateMachineVersionArn"] for r in routes],
        weights=[float(r["weight"]) for r in routes],
    )[0]
    version = sm.versions.get(int(chosen.rsplit(":", 1)[1]))
    if version is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{chosen}'")
    return sm, version, alias.arn


def start_execution(
    self: Any,
    state_machine_arn: str,
    name: str | None = None,
    execution_input: str | None = None,
    trace_header: str | None = None,
) -> Execution:
    sm, version, alias_arn = _resolve(self, state_machine_arn)
    target = version or sm
    if name:
        self._validate_name(name)
    else:
        name = str(uuid.uuid4())
    input_data = "{}" if execution_input is None else execution_input
    existing = sm._handle_name_input_idempotency(name, input_data)
    if existing is not None:
        return existing
    try:
        json.loads(input_data)
    except Exception as ex:
        raise InvalidExecutionInput(f"Invalid State Machine Execution Input: '{ex}'")

    started_with = StartedWith(sm, target, version.arn if version else None, alias_arn)
    execution = Execution(
        name=name,
        sm_type=sm.sm_type,
        role_arn=target.roleArn,
        exec_arn=f"arn:{self.partition}:states:{self.region_name}:{self.account_id}:execution:{sm.name}:{name}",
        account_id=self.account_id,
        region_name=self.region_name,
        state_machine=started_with,
        start_date=datetime.datetime.now(tz=datetime.timezone.utc),
        cloud_watch_logging_session=None,
        input_data=input_data,
        trace_header=trace_header,
        activity_store={},
    )
    sm.executions.append(execution)
    if version is not None:
        version.executions.append(execution)  # ListExecutions on the version ARN
    execution.start()
    return execution


def describe_state_machine_for_execution(self: Any) -> ActionResult:
    execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
    started = getattr(execution, "state_machine", None)
    if not isinstance(started, StartedWith):
        return _original_describe_for_execution(self)
    response = {
        "stateMachineArn": started.source_arn,
        "name": started.name,
        "definition": started.definition,
        "roleArn": started.roleArn,
        "updateDate": started.update_date,
        "loggingConfiguration": started.loggingConfiguration,
        "tracingConfiguration": started.tracingConfiguration,
        "encryptionConfiguration": started.encryptionConfiguration,
    }
    if started.revision_id:
        response["revisionId"] = started.revision_id
    return ActionResult(response)


def describe_execution(self: Any) -> ActionResult:
    result = _original_describe_execution(self)
    execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
    started = getattr(execution, "state_machine", None)
    if isinstance(started, StartedWith) and isinstance(result.result, dict):
        if "output" in result.result and not isinstance(execution.output, str):
            # compact, like AWS (moto uses json.dumps' default ", " / ": ")
            result.result["output"] = json.dumps(execution.output, separators=(",", ":"))
        if started.version_arn:
            result.result["stateMachineVersionArn"] = started.version_arn
        if started.alias_arn:
            result.result["stateMachineAliasArn"] = started.alias_arn
    return result


_original_describe_for_execution = StepFunctionResponse.describe_state_machine_for_execution
_original_describe_execution = StepFunctionResponse.describe_execution
_original_reset = StepFunctionsParserBackend.reset


def reset(self: Any) -> None:
    """Stop running executions before moto drops them: otherwise their interpreter threads
    live on after a reset, e.g. a .sync task polling DescribeJobs every 0.5 s forever for a
    job that no longer exists."""
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    for sm in list(self.state_machines):
        for execution in list(sm.executions):
            try:
                if execution.exec_worker is not None and execution.status == "RUNNING":
                    execution.stop(stop_date=now, error="States.Aborted", cause="Emulator reset")
            except Exception:  # noqa: BLE001 - a half-started execution must not block the reset
                pass
    _original_reset(self)


def apply() -> None:
    StepFunctionsParserBackend.start_execution = start_execution
    StepFunctionsParserBackend.reset = reset
    StepFunctionResponse.describe_state_machine_for_execution = describe_state_machine_for_execution
    StepFunctionResponse.describe_execution = describe_execution
