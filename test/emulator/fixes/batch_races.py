"""Fix 15: DescribeJobs races with SubmitJob under load.

moto bug: BatchBackend.describe_jobs iterates `self._jobs.items()` (and reset iterates
`self._jobs.values()`) while the server's other request threads add jobs to that dict
(SubmitJob, array children, Step Functions .sync tasks submitting over HTTP). Under
concurrent load the iteration raises `RuntimeError: dictionary changed size during
iteration` and the client gets an HTTP 500, which AWS never answers to a valid
DescribeJobs (its documented errors are ClientException and ServerException, and a
ServerException is a service fault, not a data race). list_jobs extends from a queue's
job list with list.extend, which copies in one step (no fix needed there).

Fix: iterate over snapshots. In CPython `list(d.items())` / `list(seq)` copy under the
GIL without running Python code, so the copy cannot see the container change size;
the loop then works on the copy. Behaviour is otherwise moto's: same filter, same
order, same descriptions.
"""

from typing import Any

from moto.batch.models import BatchBackend, JobStatus


def describe_jobs(self: Any, jobs: list[str] | None) -> list[dict[str, Any]]:
    job_filter = set(jobs) if jobs is not None else set()
    result = []
    for key, job in list(self._jobs.items()):
        if job_filter and key not in job_filter and job.arn not in job_filter:
            continue
        result.append(job.describe())
    return result


def reset(self: Any) -> None:
    for job in list(self._jobs.values()):
        if job.status not in (JobStatus.FAILED, JobStatus.SUCCEEDED):
            job.stop = True
            if job.is_alive():
                job.join(0.2)
    super(BatchBackend, self).reset()  # what moto's BatchBackend.reset ends with


def apply() -> None:
    BatchBackend.describe_jobs = describe_jobs
    BatchBackend.reset = reset
