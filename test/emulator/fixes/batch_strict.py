"""Fix 4: strict mode, the AWS Batch rules that moto does not enforce.

moto accepts all of these; AWS rejects them with a ClientException (HTTP 400):
  - SubmitJob to a queue whose state is not ENABLED (a DISABLED queue takes no new jobs).
  - SubmitJob with an INACTIVE (deregistered) job definition revision. By bare name,
    AWS uses the latest ACTIVE revision; moto takes the latest even if INACTIVE.
  - DeleteJobQueue on an ENABLED queue (it must be DISABLED first).
  - DeleteComputeEnvironment on an ENABLED CE, or on one still listed in any queue's
    computeEnvironmentOrder.
  - CreateJobQueue / UpdateJobQueue with a CE that is not VALID (see the opt-in
    transitions in batch_fidelity.py; without them every CE is VALID).
Deliberately NOT rejected (AWS accepts it too): SubmitJob to an ENABLED queue whose CEs
are all DISABLED or not VALID; the job just waits.

Strict mode is switched at run time (POST /batchctl-emulator/strict). Every rejection
is recorded (GET /batchctl-emulator/violations). The messages are ours, not AWS's.
"""

import functools
from typing import Any

from moto.batch.exceptions import ClientException
from moto.batch.models import BatchBackend
from moto.batch_simple.models import BatchSimpleBackend

from . import state
from ._util import bind
from .batch_fidelity import is_deleted, lifecycle_status


def _reject(operation: str, message: str) -> None:
    state.record_violation(operation, message)
    raise ClientException(message)


def _ce_identifiers(order: Any) -> list[str]:
    if not isinstance(order, list):
        return []
    return [i["computeEnvironment"] for i in order if isinstance(i, dict) and isinstance(i.get("computeEnvironment"), str)]


def _check_submit(backend: Any, call: Any) -> None:
    queue = backend.get_job_queue(call.arguments["job_queue"])
    if queue is not None and queue.state != "ENABLED":
        _reject("SubmitJob", f"Job queue {queue.arn} is not ENABLED (state {queue.state})")

    identifier = call.arguments["job_def_id"]
    is_bare_name = ":" not in identifier  # neither name:revision nor an ARN
    if is_bare_name:
        active = [
            jd for jd in backend._job_definitions.values() if jd.name == identifier and jd.status == "ACTIVE"
        ]
        if active:
            call.arguments["job_def_id"] = max(active, key=lambda jd: jd.revision).arn
        elif backend.get_job_definition(identifier) is not None:
            _reject("SubmitJob", f"Job definition {identifier} has no ACTIVE revision")
        return
    job_def = backend.get_job_definition(identifier)
    if job_def is not None and job_def.status != "ACTIVE":
        _reject("SubmitJob", f"Job definition {job_def.arn} is {job_def.status}")


def _wrap_submit(original: Any) -> Any:
    @functools.wraps(original)
    def submit_job(*args: Any, **kwargs: Any) -> Any:
        call = bind(original, args, kwargs)
        if state.strict:
            _check_submit(call.arguments["self"], call)
        return original(*call.args, **call.kwargs)

    return submit_job


def _check_queue_ces(operation: str, backend: Any, order: Any) -> None:
    for identifier in _ce_identifiers(order):
        ce = backend.get_compute_environment(identifier)
        if ce is None:
            continue  # moto answers "computeEnvironmentOrder is malformed"
        status = lifecycle_status(ce.arn)
        if status != "VALID":
            _reject(operation, f"Compute environment {ce.arn} is not VALID (status {status})")


def _queues_using(backend: Any, ce: Any) -> list[str]:
    users = []
    for queue in backend._job_queues.values():
        if is_deleted(queue.arn):
            continue  # a deleted queue's hold is AWS's own "JobQueue relationship" answer (batch_fidelity.py)
        ids = _ce_identifiers(queue.env_order_json)
        if ce.arn in ids or ce.name in ids or any(e is ce for e in queue.environments):
            users.append(queue.name)
    return sorted(users)


def _wrap_create_job_queue(original: Any) -> Any:
    @functools.wraps(original)
    def create_job_queue(*args: Any, **kwargs: Any) -> Any:
        call = bind(original, args, kwargs)
        if state.strict:
            _check_queue_ces("CreateJobQueue", call.arguments["self"], call.arguments.get("compute_env_order"))
        return original(*call.args, **call.kwargs)

    return create_job_queue


def _wrap_update_job_queue(original: Any) -> Any:
    @functools.wraps(original)
    def update_job_queue(*args: Any, **kwargs: Any) -> Any:
        call = bind(original, args, kwargs)
        if state.strict:
            _check_queue_ces("UpdateJobQueue", call.arguments["self"], call.arguments.get("compute_env_order"))
        return original(*call.args, **call.kwargs)

    return update_job_queue


def _wrap_delete_job_queue(original: Any) -> Any:
    @functools.wraps(original)
    def delete_job_queue(self: Any, queue_name: str) -> None:
        if state.strict:
            queue = self.get_job_queue(queue_name) if queue_name else None
            if queue is not None and queue.state == "ENABLED":
                _reject(
                    "DeleteJobQueue",
                    f"Job queue {queue.arn} must be DISABLED before it can be deleted (state ENABLED)",
                )
        original(self, queue_name)

    return delete_job_queue


def _wrap_delete_compute_environment(original: Any) -> Any:
    @functools.wraps(original)
    def delete_compute_environment(self: Any, compute_environment_name: str) -> None:
        ce = self.get_compute_environment(compute_environment_name) if compute_environment_name else None
        if state.strict and ce is not None:
            if (ce.state or "ENABLED") == "ENABLED":
                _reject(
                    "DeleteComputeEnvironment",
                    f"Compute environment {ce.arn} must be DISABLED before it can be deleted (state ENABLED)",
                )
            users = _queues_using(self, ce)
            if users:
                _reject(
                    "DeleteComputeEnvironment",
                    f"Compute environment {ce.arn} is still used by job queue(s) {', '.join(users)}; "
                    "remove it from their computeEnvironmentOrder first",
                )
        original(self, compute_environment_name)

    return delete_compute_environment


def apply() -> None:
    """Must run after batch_fidelity.apply() and batch_jobs.apply(): it wraps their versions."""
    BatchBackend.submit_job = _wrap_submit(BatchBackend.submit_job)
    BatchSimpleBackend.submit_job = _wrap_submit(BatchSimpleBackend.submit_job)
    BatchBackend.create_job_queue = _wrap_create_job_queue(BatchBackend.create_job_queue)
    BatchBackend.update_job_queue = _wrap_update_job_queue(BatchBackend.update_job_queue)
    BatchBackend.delete_job_queue = _wrap_delete_job_queue(BatchBackend.delete_job_queue)
    BatchBackend.delete_compute_environment = _wrap_delete_compute_environment(
        BatchBackend.delete_compute_environment
    )
