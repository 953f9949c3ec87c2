"""Fixes 11 and 12: Batch describe output like AWS, and opt-in status transitions.

moto bugs (11):
  - DescribeJobQueues echoes computeEnvironmentOrder[].computeEnvironment as sent
    (names stay names); AWS always returns CE ARNs, and code that maps a CE to its
    queues compares ARNs.
  - UpdateJobQueue accepts only CE ARNs (a name -> "computeEnvironmentOrder is
    malformed"); AWS and moto's own CreateJobQueue take names or ARNs.
  - A CE created without `state` has no state at all; AWS defaults to ENABLED.
Fix: CE names in computeEnvironmentOrder become ARNs on create and update (and on
describe, for entries stored before), and a missing CE state becomes ENABLED.

Also: every DescribeJobs appended another AWS_BATCH_JOB_ID to the job's stored
containerOverrides.environment (the list grows with each poll, e.g. every 0.5 s while
a Step Functions .sync task waits). The environment is now built on a copy.

Opt-in (12): moto makes every CE and queue VALID at once and deletes them on the
spot. With POST /batchctl-emulator/transitions {"seconds": S} (S > 0), a CE or queue
reports CREATING for S seconds after it is created and UPDATING for S seconds after an
update, then VALID. A deleted one stays listed as DELETING for S seconds, then DELETED
for D more ("deletedSeconds", default S), then is gone (aws-facts §3.2: "Delete goes DELETING -> DELETED or the
queue disappears"). Until it is gone:
  - its name is taken: creating a namesake fails with moto's "already exists";
  - a deleted queue still holds its CEs: DeleteComputeEnvironment on one of them fails
    with "Cannot delete, found existing JobQueue relationship" (only after the queue is
    gone are its CEs disassociated).
These are AWS's own answers, so they are not strict-mode violations. Off by default
and after every reset.
"""

import functools
import threading
import time
from typing import Any

from moto.batch.exceptions import ClientException
from moto.batch.models import BatchBackend, Job, JobQueue

from . import state
from ._util import bind

_lock = threading.Lock()
_phases: dict[str, tuple[str, float]] = {}  # arn -> (CREATING|UPDATING, until monotonic)
# arn -> (backend, "queue"|"ce", deleted at monotonic): deleted, still listed until S + D later.
_deletions: dict[str, tuple[Any, str, float]] = {}


def lifecycle_status(arn: str) -> str:
    with _lock:
        deleted = _deletions.get(arn)
        if deleted is not None:
            return "DELETING" if time.monotonic() - deleted[2] < state.transition_seconds else "DELETED"
        phase = _phases.get(arn)
        if phase is None:
            return "VALID"
        if time.monotonic() >= phase[1]:
            del _phases[arn]
            return "VALID"
        return phase[0]


def is_deleted(arn: str) -> bool:
    """Deleted but still listed (DELETING or DELETED)."""
    with _lock:
        return arn in _deletions


def _purge_gone() -> None:
    """Really removes what was deleted more than S + D ago. Called before a describe, create or delete (never inside
    moto's iteration over its resources)."""
    with _lock:
        due = [(arn, d) for arn, d in _deletions.items() if time.monotonic() - d[2] >= state.transition_seconds + state.deleted_seconds]
        for arn, _ in due:
            del _deletions[arn]
    for arn, (backend, kind, _) in due:
        if kind == "queue":
            _orig_delete_jq(backend, arn)
        else:
            _orig_delete_ce(backend, arn)


def _enter_phase(arn: str, status: str) -> None:
    if state.transition_seconds > 0:
        with _lock:
            _phases[arn] = (status, time.monotonic() + state.transition_seconds)


def _clear_phases() -> None:
    with _lock:
        _phases.clear()
        _deletions.clear()


def ce_order_to_arns(backend: Any, order: Any) -> Any:
    """computeEnvironmentOrder with every resolvable CE name replaced by its ARN."""
    if not isinstance(order, list):
        return order
    result = []
    for item in order:
        if isinstance(item, dict) and isinstance(item.get("computeEnvironment"), str):
            ce = backend.get_compute_environment(item["computeEnvironment"])
            if ce is not None:
                item = {**item, "computeEnvironment": ce.arn}
        result.append(item)
    return result


_orig_create_ce = BatchBackend.create_compute_environment
_orig_update_ce = BatchBackend.update_compute_environment
_orig_describe_ces = BatchBackend.describe_compute_environments
_orig_create_jq = BatchBackend.create_job_queue
_orig_update_jq = BatchBackend.update_job_queue
_orig_jq_describe = JobQueue.describe
_orig_delete_jq = BatchBackend.delete_job_queue
_orig_delete_ce = BatchBackend.delete_compute_environment


def _purging(original: Any) -> Any:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _purge_gone()
        return original(*args, **kwargs)

    return wrapper


def delete_job_queue(self: Any, queue_name: str) -> None:
    queue = self.get_job_queue(queue_name) if queue_name else None
    if queue is None or state.transition_seconds <= 0:
        _orig_delete_jq(self, queue_name)
        return
    with _lock:
        _deletions.setdefault(queue.arn, (self, "queue", time.monotonic()))
        _phases.pop(queue.arn, None)


def delete_compute_environment(self: Any, compute_environment_name: str) -> None:
    ce = self.get_compute_environment(compute_environment_name) if compute_environment_name else None
    if ce is None or state.transition_seconds <= 0:
        _orig_delete_ce(self, compute_environment_name)
        return
    holders = sorted(
        q.name
        for q in list(self._job_queues.values())
        if is_deleted(q.arn) and ce.arn in [o["computeEnvironment"] for o in ce_order_to_arns(self, q.env_order_json)]
    )
    if holders:
        raise ClientException(f"Cannot delete, found existing JobQueue relationship ({', '.join(holders)})")
    with _lock:
        _deletions.setdefault(ce.arn, (self, "ce", time.monotonic()))
        _phases.pop(ce.arn, None)


@functools.wraps(_orig_create_ce)
def create_compute_environment(*args: Any, **kwargs: Any) -> Any:
    call = bind(_orig_create_ce, args, kwargs)
    if not call.arguments.get("state"):
        call.arguments["state"] = "ENABLED"  # the AWS default
    ce = _orig_create_ce(*call.args, **call.kwargs)
    _enter_phase(ce.arn, "CREATING")
    return ce


@functools.wraps(_orig_update_ce)
def update_compute_environment(self: Any, *args: Any, **kwargs: Any) -> Any:
    name, arn = _orig_update_ce(self, *args, **kwargs)
    _enter_phase(arn, "UPDATING")
    return name, arn


@functools.wraps(_orig_describe_ces)
def describe_compute_environments(self: Any, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
    result = _orig_describe_ces(self, *args, **kwargs)
    for ce in result:
        if not ce.get("state"):
            ce["state"] = "ENABLED"
        status = lifecycle_status(ce["computeEnvironmentArn"])
        if status != "VALID":
            ce["status"] = status
            ce["statusReason"] = f"Compute environment is {status.lower()}"
    return result


@functools.wraps(_orig_create_jq)
def create_job_queue(*args: Any, **kwargs: Any) -> Any:
    call = bind(_orig_create_jq, args, kwargs)
    order = call.arguments.get("compute_env_order")
    call.arguments["compute_env_order"] = ce_order_to_arns(call.arguments["self"], order)
    queue = _orig_create_jq(*call.args, **call.kwargs)
    _enter_phase(queue.arn, "CREATING")
    return queue


@functools.wraps(_orig_update_jq)
def update_job_queue(*args: Any, **kwargs: Any) -> Any:
    call = bind(_orig_update_jq, args, kwargs)
    order = call.arguments.get("compute_env_order")
    if order is not None:
        call.arguments["compute_env_order"] = ce_order_to_arns(call.arguments["self"], order)
    name, arn = _orig_update_jq(*call.args, **call.kwargs)
    _enter_phase(arn, "UPDATING")
    return name, arn


@functools.wraps(_orig_jq_describe)
def job_queue_describe(self: Any) -> dict[str, Any]:
    result = _orig_jq_describe(self)
    result["computeEnvironmentOrder"] = ce_order_to_arns(self.backend, result["computeEnvironmentOrder"])
    status = lifecycle_status(self.arn)
    if status != "VALID":
        result["status"] = status
        result["statusReason"] = f"Job queue is {status.lower()}"
    return result


_orig_container_property = Job._get_container_property


@functools.wraps(_orig_container_property)
def job_container_property(self: Any, p: str, default: Any) -> Any:
    if p != "environment":
        return _orig_container_property(self, p, default)
    env = [dict(e) for e in self.container_overrides.get("environment") or []]
    names = {e["name"] for e in env}
    props = self.job_definition.container_properties or {}
    env += [dict(e) for e in props.get("environment") or [] if e["name"] not in names]
    env.append({"name": "AWS_BATCH_JOB_ID", "value": self.job_id})
    return env


def apply() -> None:
    BatchBackend.create_compute_environment = create_compute_environment
    BatchBackend.update_compute_environment = update_compute_environment
    BatchBackend.describe_compute_environments = describe_compute_environments
    BatchBackend.create_job_queue = create_job_queue
    BatchBackend.update_job_queue = update_job_queue
    JobQueue.describe = job_queue_describe
    BatchBackend.delete_job_queue = _purging(delete_job_queue)
    BatchBackend.delete_compute_environment = _purging(delete_compute_environment)
    BatchBackend.describe_job_queues = _purging(BatchBackend.describe_job_queues)
    BatchBackend.describe_compute_environments = _purging(BatchBackend.describe_compute_environments)
    BatchBackend.create_job_queue = _purging(BatchBackend.create_job_queue)
    BatchBackend.create_compute_environment = _purging(BatchBackend.create_compute_environment)
    Job._get_container_property = job_container_property
    state.on_reset(_clear_phases)
