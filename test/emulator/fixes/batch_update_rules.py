"""Fix 16: UpdateComputeEnvironment's "one of" rule, and UNMANAGED compute environments.

moto gaps:
  - UpdateComputeEnvironment with none of state, computeResources, serviceRole and
    unmanagedvCpus (for example `updatePolicy` alone) succeeds. AWS answers HTTP 400
    ClientException "One of [state | compute-resources | service-role | unmanaged-vcpus]
    is required." (seen on AWS, quoted in hashicorp/terraform-provider-aws#43969, where
    the provider sent updatePolicy in a call of its own).
  - `unmanagedvCpus` is dropped: CreateComputeEnvironment / UpdateComputeEnvironment
    ignore it and DescribeComputeEnvironments never returns it. AWS's model
    (ComputeEnvironmentDetail.unmanagedvCpus) echoes it for UNMANAGED environments
    (API_CreateComputeEnvironment: "The maximum number of vCPUs for an unmanaged compute
    environment ... only used for fair-share scheduling").
  - UNMANAGED environments: moto launches EC2 instances only for MANAGED non-Fargate
    environments, so an UNMANAGED one already gets none, as on AWS ("you manage your own
    compute resources", API_CreateComputeEnvironment); describe reports no
    computeResources for it. Nothing to patch there; emulator-behaviours.test.ts pins it.

Fix: the rule is checked on the request (so it also holds with strict mode off: it is a
contract of the API, not a state rule); unmanagedvCpus is stored per CE ARN and echoed.
"""

import json
import threading
from typing import Any

from moto.batch.exceptions import ClientException
from moto.batch.models import BatchBackend
from moto.batch.responses import BatchResponse

from . import state

_lock = threading.Lock()
_unmanaged_vcpus: dict[str, int] = {}  # CE ARN -> unmanagedvCpus

ONE_OF = ("state", "computeResources", "serviceRole", "unmanagedvCpus")
ONE_OF_MESSAGE = "One of [state | compute-resources | service-role | unmanaged-vcpus] is required."

_original_create = BatchResponse.createcomputeenvironment
_original_update = BatchResponse.updatecomputeenvironment
_original_describe: Any = None  # set by apply(): the version installed before us


def _present(value: Any) -> bool:
    return value is not None


def createcomputeenvironment(self: Any) -> str:
    body = _original_create(self)
    vcpus = self._get_param("unmanagedvCpus")
    if vcpus is not None:
        arn = json.loads(body)["computeEnvironmentArn"]
        with _lock:
            _unmanaged_vcpus[arn] = int(vcpus)
    return body


def updatecomputeenvironment(self: Any) -> str:
    if not any(_present(self._get_param(member)) for member in ONE_OF):
        raise ClientException(ONE_OF_MESSAGE)
    body = _original_update(self)
    vcpus = self._get_param("unmanagedvCpus")
    if vcpus is not None:
        arn = json.loads(body)["computeEnvironmentArn"]
        with _lock:
            _unmanaged_vcpus[arn] = int(vcpus)
    return body


def describe_compute_environments(self: Any, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
    described = _original_describe(self, *args, **kwargs)
    with _lock:
        known = dict(_unmanaged_vcpus)
    for ce in described:
        arn = ce.get("computeEnvironmentArn")
        if ce.get("type") == "UNMANAGED" and arn in known:
            ce["unmanagedvCpus"] = known[arn]
    return described


def _reset() -> None:
    with _lock:
        _unmanaged_vcpus.clear()


def apply() -> None:
    global _original_describe
    _original_describe = BatchBackend.describe_compute_environments
    BatchResponse.createcomputeenvironment = createcomputeenvironment
    BatchResponse.updatecomputeenvironment = updatecomputeenvironment
    BatchBackend.describe_compute_environments = describe_compute_environments
    state.on_reset(_reset)
