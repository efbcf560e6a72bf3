"""The background-job layer (DESIGN §3): every kind of job is a concrete `core.models.Job` and a
task made with `job_task`. This module claims, reports, finishes, fails and retries jobs, and
sweeps the ones whose worker stopped, so that no job is ever left "running" for ever.

    @job_task(ReportBuild, soft_time_limit=300, time_limit=360)
    def report_build_task(job: ReportBuild) -> None:
        report_build(job=job)  # reports with job_progress, ends with job_finish

Queue it with `job_enqueue(job=..., task=report_build_task)`; offer "Try again" with
`job_retry` then `job_enqueue`. See docs/jobs.md.
"""

import logging
import time
from collections.abc import Callable

import psycopg2
import redis
from celery import shared_task
from celery.exceptions import Reject, SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerOperationalError

from core.models import UNFINISHED, Job, JobStatus

logger = logging.getLogger(__name__)

# What a lost connection raises — to PostgreSQL, to the Redis cache or to the broker — and is
# worth retrying. Django wraps psycopg2's errors in its own; a bare psycopg2 one can still
# escape from code that talks to the driver, so both are here.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    psycopg2.OperationalError,
    redis.ConnectionError,
    redis.TimeoutError,
    BrokerOperationalError,
    ConnectionError,
)
QUEUE_ERRORS = (BrokerOperationalError, redis.RedisError, ConnectionError)
# Recording a failure retries on a fresh database connection after these pauses (seconds):
# the error being recorded may be the database going away for a moment.
FAIL_PAUSES = (0.5, 1, 2, 4)
PROGRESS_SECONDS = 3600

STOPPED = _("The worker stopped before it finished. Try again.")
NOT_STARTED = _("No worker started the job in time. Try again.")
QUEUE_DOWN = _(
    "We could not hand the job to the worker: the queue is not answering. Try again in a minute."
)
LOST_CONNECTION = _(
    "Something went wrong on our side: we lost the connection to the database or the queue. "
    "Try again in a minute."
)
TOO_MANY = _("We tried %(count)s times and gave up. Try again.")


class JobLost(Exception):  # noqa: N818 - a state, not an error a person sees
    """This run no longer holds its job (the sweeper failed it, or another run reclaimed it):
    whatever it did must not be kept."""


def job_models() -> list[type[Job]]:
    """Every concrete kind of job, whichever app defines it."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


def _claimable(now, held: int | None) -> Q:
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    if held is not None:  # the retry of a run that held the job: it may take it back
        claimable |= Q(status=JobStatus.RUNNING, attempts=held)
    return claimable


def job_claim(
    *, model: type[Job], job_id: int, held: int | None = None, only: dict | None = None
) -> Job | None:
    """Take a job for this run with one conditional update, or return None if it is not to be
    run: finished, failed, or running under a live lease (a task delivered twice runs once).
    A running job whose lease expired lost its worker, and is taken again. A job already
    claimed max_attempts times is failed instead ("we tried N times")."""
    now = timezone.now()
    rows = model.objects.filter(_claimable(now, held), pk=job_id, **(only or {}))
    claimed = rows.filter(attempts__lt=model.max_attempts).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_expires_at=now + model.lease,
    )
    if not claimed:
        if rows.filter(attempts__gte=model.max_attempts).exists():
            job_fail(model=model, job_id=job_id, message=TOO_MANY % {"count": model.max_attempts})
        return None
    return model.objects.get(pk=job_id)


def _mine(job: Job):
    """The job's row while this run still holds it."""
    return type(job).objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)


def job_progress(*, job: Job, percent: int, in_transaction: bool = False) -> None:
    """Record how far the run has got, and that it is alive (its lease is renewed). Best
    effort: a progress write that fails is logged, never the end of the job. A run whose
    writes sit in one transaction, unseen until it ends, reports through the cache instead
    (`in_transaction`), and the page reads it from there (Job.live_progress)."""
    percent = max(0, min(100, int(percent)))
    try:
        if in_transaction:
            cache.set(job.progress_key, percent, PROGRESS_SECONDS)
        else:
            now = timezone.now()
            _mine(job).update(progress=percent, lease_expires_at=now + job.lease)
    except Exception:  # noqa: BLE001 - progress is best effort
        logger.warning("Could not record the progress of %s %s", job._meta.label, job.pk)


def _progress_forget(job: Job) -> None:
    try:
        cache.delete(job.progress_key)
    except Exception:  # noqa: BLE001 - it expires by itself
        logger.warning("Could not clear the progress of %s %s", job._meta.label, job.pk)


def job_finish(*, job: Job, message: str = "", **fields) -> bool:
    """Mark the run's job DONE with its results (fields of the concrete model). Returns False
    if the run no longer holds it; a run whose results sit in a transaction raises JobLost
    then, so nothing it did is kept."""
    done = _mine(job).update(
        status=JobStatus.DONE,
        progress=100,
        message=message,
        finished_at=timezone.now(),
        **fields,
    )
    _progress_forget(job)
    return bool(done)


def _write_hard(write: Callable[[], int]) -> int:
    """A small write that must land although the database just went away: it is tried again
    on a fresh connection after each pause. Returns the rows changed, or 0 if it never
    landed (the sweeper fails the job later, when its lease expires)."""
    for pause in (*FAIL_PAUSES, None):
        try:
            return write()
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or pause is None:
                logger.exception("Could not record a job's failure")
                return 0
            connection.close()  # the next query opens a fresh connection
            time.sleep(pause)
    return 0


def job_fail(
    *,
    model: type[Job],
    job_id: int,
    message: str,
    held: int | None = None,
    statuses=UNFINISHED,
) -> bool:
    """Mark an unfinished job FAILED with a reason a person can act on; its page then offers
    "Try again". With `held`, only the run that claimed it so. Recording the failure does not
    depend on the database staying up: it is retried on a fresh connection."""
    rows = model.objects.filter(pk=job_id, status__in=statuses)
    if held is not None:
        rows = rows.filter(attempts=held)
    failed = _write_hard(
        lambda: rows.update(
            status=JobStatus.FAILED, message=str(message), finished_at=timezone.now()
        )
    )
    if failed:
        _progress_forget(model(pk=job_id))
    return bool(failed)


def job_release(*, job: Job) -> bool:
    """Give a running job back to the queue, for the retry of its task to claim."""
    try:
        return bool(
            _mine(job).update(status=JobStatus.QUEUED, lease_expires_at=timezone.now() + job.lease)
        )
    except TRANSIENT_ERRORS:  # the retry takes it back by the attempt it held
        return False


def job_retry(*, model: type[Job], job_id: int, **fields) -> bool:
    """Start a FAILED job again from the queue, as new (fields of the concrete model may be
    reset too). Returns whether it was failed; the caller then queues it (job_enqueue)."""
    return bool(
        model.objects.filter(pk=job_id, status=JobStatus.FAILED).update(
            status=JobStatus.QUEUED,
            progress=0,
            message="",
            attempts=0,
            started_at=None,
            finished_at=None,
            lease_expires_at=timezone.now() + model.lease,
            **fields,
        )
    )


def job_enqueue(*, job: Job, task, args: tuple = (), kwargs: dict | None = None) -> None:
    """Hand a queued job to the worker once the transaction commits, in the language of the
    person who asked. If the queue does not answer (Redis down), the job is failed with that
    reason and "Try again", never left waiting."""
    language = translation.get_language()
    model, job_id = type(job), job.pk

    def send():
        try:
            task.apply_async(args=(job_id, *args), kwargs={**(kwargs or {}), "language": language})
        except QUEUE_ERRORS:
            logger.exception("Could not queue %s %s", model._meta.label, job_id)
            job_fail(model=model, job_id=job_id, message=QUEUE_DOWN)
        except Exception:  # run eagerly (no Redis): the task recorded its failure itself
            logger.exception("%s %s failed", model._meta.label, job_id)
            job_fail(model=model, job_id=job_id, message=model.unexpected_message)

    transaction.on_commit(send)


def job_file_save(*, job: Job, name: str, content: bytes) -> str:
    """Store a file the job made and list it on the row; returns its storage path."""
    where = f"jobs/{job._meta.label_lower}/{job.pk}/{name}"
    path = default_storage.save(where, ContentFile(content))
    files = [*job.result_files, {"name": name, "path": path, "size": len(content)}]
    type(job).objects.filter(pk=job.pk).update(result_files=files)
    job.result_files = files
    return path


def job_is_stale(*, job: Job) -> bool:
    """Unfinished with its lease expired: nobody is working on it."""
    expires = job.lease_expires_at
    return job.is_unfinished and expires is not None and expires < timezone.now()


def jobs_stale_fail(*, model: type[Job] | None = None, job_id: int | None = None) -> int:
    """Fail, with "Try again", every job (of one kind, or the one job) whose lease expired:
    queued and never started, or running and silent. Runs from beat every few minutes and
    whenever a job's page is read; returns how many it failed."""
    failed = 0
    for kind in [model] if model else job_models():
        stale = kind.objects.filter(status__in=UNFINISHED, lease_expires_at__lt=timezone.now())
        if job_id is not None:
            stale = stale.filter(pk=job_id)
        for pk, status in stale.values_list("pk", "status"):
            message = str(STOPPED if status == JobStatus.RUNNING else NOT_STARTED)
            # Only if its lease is still expired: a run may have reported meanwhile.
            still = kind.objects.filter(pk=pk, status=status, lease_expires_at__lt=timezone.now())
            failed += _write_hard(
                lambda rows=still, message=message: rows.update(
                    status=JobStatus.FAILED, message=message, finished_at=timezone.now()
                )
            )
    return failed


# --- The task decorator ------------------------------------------------------------------------


def _outcome(model: type[Job], job_id: int) -> str | None:
    job = model.objects.filter(pk=job_id).first()
    return str(job.state) if job else None


def _run(task, model, only, run, job_id, args, kwargs, held):
    """Claim, run and record one delivery of a job's task (see job_task)."""
    job = None
    try:
        job = job_claim(model=model, job_id=job_id, held=held, only=only)
        if job is not None:
            run(job, *args, **kwargs)
    except JobLost:
        logger.warning("%s %s was taken from this run", model._meta.label, job_id)
    except TRANSIENT_ERRORS as error:
        token = job.attempts if job else None
        if task.request.retries < task.max_retries and not task.request.called_directly:
            _retry(task, model, job, error, token)
        _fail_run(model, job_id, LOST_CONNECTION, token)
        raise
    except SoftTimeLimitExceeded:
        _fail_run(model, job_id, model.timeout_message, job.attempts if job else None)
        raise
    except Exception:
        _fail_run(model, job_id, model.unexpected_message, job.attempts if job else None)
        raise
    return _outcome(model, job_id)


def _fail_run(model, job_id, message, token):
    # A run that never claimed its job may only fail it while it waits in the queue: if
    # another run holds it, that run's fate is its own.
    if token is None:
        job_fail(model=model, job_id=job_id, message=message, statuses=[JobStatus.QUEUED])
    else:
        job_fail(model=model, job_id=job_id, message=message, held=token)


def _retry(task, model, job, error, token):
    """Hand the job back and queue the task again after a growing pause. If the queue cannot
    take it either, the caller fails the job."""
    if job is not None:
        job_release(job=job)
    countdown = get_exponential_backoff_interval(
        factor=2, retries=task.request.retries, maximum=60, full_jitter=True
    )
    kwargs = {**(task.request.kwargs or {}), "held": token}
    try:
        raise task.retry(exc=error, countdown=countdown, kwargs=kwargs)
    except Reject:  # the retry could not be queued
        logger.exception("Could not queue the retry of %s %s", model._meta.label, job.pk)


def job_task(model: type[Job], *, only: dict | None = None, **options):
    """Make a job's Celery task from `run(job, *args, **kwargs)`, which does the work on a
    claimed job and ends it with job_finish. The task takes the job's key, runs in the
    language of the person who asked, and records everything on the row:

    - claim: a conditional update (`only` narrows which jobs this task may claim), so a
      task delivered twice runs once, and a re-delivered one takes back a job whose lease
      expired;
    - retry: a lost connection (TRANSIENT_ERRORS) hands the job back and retries with
      back-off, at most max_attempts - 1 times; then the job is failed with the reason;
    - fail: a timeout or any other error fails the job with a short message (the traceback
      goes to the log) and re-raises.

    `task.run_here(job_id, ...)` runs it in this process instead (a small job, in the
    request): the same claim and records, no retry, never raises."""

    def decorate(run):
        @shared_task(
            bind=True,
            name=f"{run.__module__}.{run.__name__}",
            acks_late=True,
            max_retries=model.max_attempts - 1,
            **options,
        )
        def task(self, job_id: int, *args, language: str | None = None, held=None, **kwargs):
            with translation.override(language or translation.get_language()):
                return _run(self, model, only, run, job_id, args, kwargs, held)

        def run_here(job_id: int, *args, **kwargs) -> None:
            try:
                task(job_id, *args, **kwargs)
            except Exception:  # recorded on the row, shown with "Try again"
                logger.exception("%s %s failed", model._meta.label, job_id)

        task.__doc__ = run.__doc__
        task.run_here = run_here
        return task

    return decorate
