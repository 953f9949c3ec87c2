"""Fix 5: `sleep N` jobs stay RUNNING for N seconds; jobs end like on AWS.

moto limitation: with use_docker=false (batch_simple) a job is SUCCEEDED before
SubmitJob even returns, so nothing is ever RUNNING and a drain cannot be tested. The
only knob, MOTO_SIMPLE_BATCH_FAIL_AFTER, blocks SubmitJob itself and always fails.

Fix: a job whose command (job definition containerProperties.command, or
containerOverrides.command at submit, also when Step Functions submits it) is
  ["sleep", "N"]          -> RUNNING for N seconds (N may be fractional), then SUCCEEDED
  ["sleep", "N", "fail"]  -> RUNNING for N seconds, then FAILED
A timer ends the job; SubmitJob returns at once. Array parents stay PENDING until
all children end. Any other command still SUCCEEDS at once, as in moto.

Also, like AWS:
  - TerminateJob ends an active job FAILED with the given reason. CancelJob does the
    same, except in strict mode, where a STARTING/RUNNING job ignores CancelJob (AWS
    only cancels jobs that have not started; use TerminateJob).
  - DeleteJobQueue ends every active job of the queue FAILED (AWS terminates them;
    moto leaves them as they were).
"""

import threading
import time
from datetime import datetime
from typing import Any

from moto.batch.models import BatchBackend
from moto.batch_simple.models import BatchSimpleBackend

from . import state
from .batch_fidelity import is_deleted

ACTIVE = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING")

_lock = threading.Lock()
_timers: dict[str, threading.Timer] = {}
_generation = 0  # bumped on reset so background watchers of old jobs stop


def _sleep_spec(job: Any) -> tuple[float, bool] | None:
    """(seconds, fail) when the job's command is `sleep N [fail]`, else None."""
    props = job.job_definition.container_properties
    if props is None:  # EKS and multi-node jobs
        return None
    command = job.container_overrides.get("command") or props.get("command")
    if not command:
        return None
    command = job._add_parameters_to_command(command)
    if len(command) not in (2, 3) or command[0] != "sleep":
        return None
    if len(command) == 3 and command[2] != "fail":
        return None
    try:
        seconds = float(command[1])
    except ValueError:
        return None
    if seconds < 0:
        return None
    return seconds, len(command) == 3


def _freeze(job: Any, status: str) -> None:
    """Set a status that moto's state manager will never move on."""
    job._transitions = []
    job.status = status


def _end(job: Any, success: bool, reason: str | None = None) -> None:
    with _lock:
        timer = _timers.pop(job.job_id, None)
    if timer is not None:
        timer.cancel()
    if job.job_stopped:
        return
    if reason is not None:
        job.job_stopped_reason = reason
    job._transitions = []
    job._mark_stopped(success=success)


def _finish(job: Any, fail: bool) -> None:
    job.exit_code = 1 if fail else 0
    _end(job, success=not fail, reason="Essential container in task exited" if fail else None)


def _watch_array_parent(parent: Any, generation: int) -> None:
    """Ends an array parent once all its children have ended."""
    while generation == _generation and not parent.job_stopped:
        children = parent._child_jobs
        if children is not None and all(c.job_stopped for c in children):
            ok = all(c.status == "SUCCEEDED" for c in children)
            _end(parent, success=ok, reason=None if ok else "Array job has failed child jobs")
            return
        time.sleep(0.05)


_orig_mark_finished = BatchSimpleBackend._mark_job_as_finished


def _mark_job_as_finished(self: Any, include_start_attempt: bool, job: Any) -> None:
    spec = _sleep_spec(job)
    if spec is None:
        return _orig_mark_finished(self, include_start_attempt, job)
    seconds, fail = spec
    self.backend._jobs[job.job_id] = job
    job.job_started_at = datetime.now()
    job.log_stream_name = job._stream_name
    if include_start_attempt:
        job._start_attempt()
    if "size" in (job.array_properties or {}):
        _freeze(job, "PENDING")  # AWS: array parents are never RUNNING
        threading.Thread(target=_watch_array_parent, args=(job, _generation), daemon=True).start()
        return None
    _freeze(job, "RUNNING")
    timer = threading.Timer(seconds, _finish, args=(job, fail))
    timer.daemon = True
    with _lock:
        _timers[job.job_id] = timer
    timer.start()
    return None


def _end_with_children(job: Any, reason: str) -> None:
    for child in job._child_jobs or []:
        if child.status in ACTIVE:
            _end(child, success=False, reason=reason)
    _end(job, success=False, reason=reason)


_orig_terminate = BatchBackend.terminate_job
_orig_cancel = BatchBackend.cancel_job
_orig_delete_queue: Any = None  # set by apply(): the version batch_fidelity installed (deferred deletion)


def terminate_job(self: Any, job_id: str, reason: str) -> None:
    _orig_terminate(self, job_id, reason)  # validates the arguments
    job = self.get_job_by_id(job_id)
    if job is not None and job.status in ACTIVE:
        _end_with_children(job, reason)


def cancel_job(self: Any, job_id: str, reason: str) -> None:
    _orig_cancel(self, job_id, reason)  # validates the arguments
    job = self.get_job_by_id(job_id)
    if job is None or job.status not in ACTIVE:
        return
    if state.strict and job.status in ("STARTING", "RUNNING"):
        return  # AWS: CancelJob does not stop a job that has started
    _end_with_children(job, reason)


def delete_job_queue(self: Any, queue_name: str) -> None:
    queue = self.get_job_queue(queue_name)
    _orig_delete_queue(self, queue_name)
    # Refused, or not deleted: nothing ends. A deletion batch_fidelity defers (DELETING) counts as deleted.
    if queue is None or (queue.arn in self._job_queues and not is_deleted(queue.arn)):
        return
    for job in list(queue.jobs):
        if job.status in ACTIVE:
            _end(job, success=False, reason=f"Job queue {queue.arn} was deleted")


def _reset() -> None:
    global _generation
    with _lock:
        _generation += 1
        timers = list(_timers.values())
        _timers.clear()
    for timer in timers:
        timer.cancel()


def apply() -> None:
    """Must run after batch_fidelity.apply(): it wraps that delete_job_queue."""
    global _orig_delete_queue
    _orig_delete_queue = BatchBackend.delete_job_queue
    BatchSimpleBackend._mark_job_as_finished = _mark_job_as_finished
    BatchBackend.terminate_job = terminate_job
    BatchBackend.cancel_job = cancel_job
    BatchBackend.delete_job_queue = delete_job_queue
    state.on_reset(_reset)
