"""Fix 1: Step Functions -> Batch integration (batch:submitJob, .sync, aws-sdk:batch:*).

moto bug: its copy of the LocalStack ASL interpreter has
StateTaskService._normalise_parameters / _normalise_response stubbed to `pass`.
State machines write Batch parameters in AWS form (PascalCase: JobName, JobQueue,
ContainerOverrides.Command ...), so the PascalCase keys reach botocore unchanged
and every execution FAILS with `States.Runtime ... 'JobName'`; the .sync poller
also reads `JobId`, which the camelCase response never has.

Fix: rebuild both normalisers from botocore's own service model. Request keys are
matched to the operation's input members (JobName -> jobName, recursively), and
response keys are re-cased the way AWS returns them (jobId -> JobId). The
`_to_boto_request` / `_from_boto_response` helpers already exist in moto.
"""

import threading
from typing import Any

import botocore.session
from botocore import xform_name
from botocore.model import OperationModel

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_aws_sdk as aws_sdk_module,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_batch as batch_module,
)

_lock = threading.Lock()
_session: botocore.session.Session | None = None
_operations: dict[tuple[str, str], OperationModel | None] = {}


def _operation_model(service: str, action_snake: str) -> OperationModel | None:
    """The botocore operation model for e.g. ("batch", "submit_job"), cached."""
    global _session
    key = (service, action_snake)
    with _lock:
        if key not in _operations:
            if _session is None:
                _session = botocore.session.get_session()
            model = _session.get_service_model(service)
            found = None
            for name in model.operation_names:
                if xform_name(name) == action_snake:
                    found = model.operation_model(name)
                    break
            _operations[key] = found
        return _operations[key]


def _normalise_parameters(
    self: Any,
    parameters: dict,
    boto_service_name: str | None = None,
    service_action_name: str | None = None,
) -> None:
    op = _operation_model(
        self._get_boto_service_name(boto_service_name),
        self._get_boto_service_action(service_action_name),
    )
    if op is not None and op.input_shape is not None:
        self._to_boto_request(parameters, op.input_shape)


def _normalise_response(
    self: Any,
    response: Any,
    boto_service_name: str | None = None,
    service_action_name: str | None = None,
) -> None:
    op = _operation_model(
        self._get_boto_service_name(boto_service_name),
        self._get_boto_service_action(service_action_name),
    )
    if op is not None and op.output_shape is not None:
        self._from_boto_response(response, op.output_shape)


def apply() -> None:
    batch_cls = batch_module.StateTaskServiceBatch
    batch_cls._normalise_parameters = _normalise_parameters
    batch_cls._normalise_response = _normalise_response

    # SubmitJob members the optimized integration accepts; moto's list misses the
    # newer ones, and unlisted keys are silently dropped before the call.
    batch_module._SUPPORTED_API_PARAM_BINDINGS["submitjob"].update(
        {
            "EcsPropertiesOverride",
            "EksPropertiesOverride",
            "NodeOverrides",
            "PropagateTags",
            "SchedulingPriorityOverride",
            "ShareIdentifier",
        }
    )

    # aws-sdk:batch:* takes the same PascalCase parameters; other aws-sdk services
    # are left exactly as moto ships them.
    sdk_cls = aws_sdk_module.StateTaskServiceAwsSdk
    original_params = sdk_cls._normalise_parameters
    original_response = sdk_cls._normalise_response

    def sdk_normalise_parameters(self: Any, parameters: dict, *args: Any, **kwargs: Any) -> None:
        if self.resource.api_name == "batch":
            _normalise_parameters(self, parameters, *args, **kwargs)
        else:
            original_params(self, parameters, *args, **kwargs)

    def sdk_normalise_response(self: Any, response: Any, *args: Any, **kwargs: Any) -> None:
        if self.resource.api_name == "batch":
            _normalise_response(self, response, *args, **kwargs)
        else:
            original_response(self, response, *args, **kwargs)

    sdk_cls._normalise_parameters = sdk_normalise_parameters
    sdk_cls._normalise_response = sdk_normalise_response
    aws_sdk_module._SERVICE_ERROR_NAMES.setdefault("batch", "Batch")
