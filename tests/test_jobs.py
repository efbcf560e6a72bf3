"""The background-job layer (core.jobs) at its edges: claim, progress, finish, fail, retry,
queueing and the sweeper, on the asset import as the concrete kind of job (the layer's own
app has none). The real-worker faults are in tests/test_job_faults.py."""

from datetime import timedelta

import pytest
import redis
from celery.exceptions import Retry
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from assets.models import AssetImport, ImportFormat, ImportStatus, ImportStep
from assets.services import imports
from assets.tasks import import_check_task
from core import jobs
from core.jobs import (
    LOST_CONNECTION,
    NOT_STARTED,
    QUEUE_DOWN,
    STOPPED,
    JobLost,
    job_claim,
    job_enqueue,
    job_fail,
    job_file_save,
    job_finish,
    job_models,
    job_progress,
    job_retry,
    jobs_stale_fail,
)
from core.models import JobStatus, Role

pytestmark = pytest.mark.django_db
CSV = "name,category\nTownhill Library,library\n"
SECOND = timedelta(seconds=1)
MAX = AssetImport.max_attempts


def a_job(status=JobStatus.QUEUED, *, attempts=0, lease_in=AssetImport.lease, **fields):
    job = AssetImport.objects.create(
        file_name="places.csv", format=ImportFormat.CSV, content=CSV, total_rows=1, **fields
    )
    AssetImport.objects.filter(pk=job.pk).update(
        status=status, attempts=attempts, lease_expires_at=timezone.now() + lease_in
    )
    job.refresh_from_db()
    return job


def now_of(job: AssetImport) -> AssetImport:
    job.refresh_from_db()
    return job


def claim(job: AssetImport, **kwargs):
    return job_claim(model=AssetImport, job_id=job.pk, **kwargs)


# --- Claim ------------------------------------------------------------------------------------


def test_a_queued_job_is_claimed_once_however_often_its_task_is_delivered():
    job = a_job()
    claimed = claim(job)
    assert (claimed.status, claimed.attempts) == (JobStatus.RUNNING, 1)
    assert claimed.started_at is not None
    assert claimed.lease_expires_at > timezone.now() + AssetImport.lease - SECOND
    assert claim(job) is None  # delivered again while it runs: nothing to do
    assert now_of(job).attempts == 1


def test_a_running_job_is_taken_back_only_once_its_lease_has_expired():
    live = a_job(JobStatus.RUNNING, attempts=1, lease_in=SECOND)
    assert claim(live) is None
    stale = a_job(JobStatus.RUNNING, attempts=1, lease_in=-SECOND)
    assert claim(stale).attempts == 2


def test_the_retry_of_the_run_that_held_a_job_takes_it_back_and_no_other_run_does():
    job = a_job(JobStatus.RUNNING, attempts=2)
    assert claim(job, held=1) is None
    assert claim(job, held=2).attempts == 3


@pytest.mark.parametrize("status", [JobStatus.DONE, JobStatus.FAILED])
def test_a_finished_job_is_never_claimed(status):
    job = a_job(status, attempts=1, lease_in=-AssetImport.lease)
    assert claim(job) is None
    assert now_of(job).status == status


def test_a_claim_is_narrowed_to_the_step_its_task_runs():
    job = a_job(step=ImportStep.IMPORT)
    assert claim(job, only={"step": ImportStep.CHECK}) is None
    assert claim(job, only={"step": ImportStep.IMPORT}).status == JobStatus.RUNNING


@pytest.mark.parametrize(("attempts", "claimed"), [(MAX - 1, True), (MAX, False), (MAX + 1, False)])
def test_a_job_is_claimed_at_most_max_attempts_times_then_failed(attempts, claimed):
    job = a_job(JobStatus.RUNNING, attempts=attempts, lease_in=-SECOND)
    assert (claim(job) is not None) == claimed
    job = now_of(job)
    if claimed:
        assert (job.status, job.attempts) == (JobStatus.RUNNING, MAX)
    else:
        assert job.status == JobStatus.FAILED
        assert job.message == f"We tried {MAX} times and gave up. Try again."


# --- Progress and finish ----------------------------------------------------------------------


def test_progress_is_written_on_the_row_and_renews_the_lease():
    job = claim(a_job())
    AssetImport.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() + SECOND)
    job_progress(job=job, percent=40)
    job = now_of(job)
    assert job.progress == 40
    assert job.lease_expires_at > timezone.now() + AssetImport.lease - SECOND


def test_a_run_that_lost_its_job_can_no_longer_report_or_finish_it():
    job = claim(a_job())
    AssetImport.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)  # taken back
    job_progress(job=job, percent=60)
    assert job_finish(job=job) is False
    assert (now_of(job).progress, job.status) == (0, JobStatus.RUNNING)


def test_progress_inside_a_transaction_goes_through_the_cache_to_the_page():
    job = claim(a_job())
    job_progress(job=job, percent=55, in_transaction=True)
    assert (now_of(job).progress, job.live_progress) == (0, 55)
    job_finish(job=job)
    assert cache.get(job.progress_key) is None and now_of(job).live_progress == 100


def test_a_progress_write_that_fails_is_not_the_end_of_the_job(monkeypatch):
    job = claim(a_job())

    def down(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(cache, "set", down)
    monkeypatch.setattr(cache, "get", down)
    job_progress(job=job, percent=50, in_transaction=True)  # Redis down: nothing raised
    assert job.live_progress == 0  # the page shows the row's figure

    def blip(self, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(QuerySet, "update", blip)
    job_progress(job=job, percent=70)  # the database blipped: nothing raised


def test_an_import_finishes_though_redis_is_down_for_its_progress(monkeypatch, make_user):
    def down(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(cache, "set", down)
    monkeypatch.setattr(cache, "delete", down)
    job = imports.import_start(
        requested_by=make_user(Role.COORDINATOR),
        file_name="a.csv",
        content=CSV,
        format=ImportFormat.CSV,
    )
    assert job.state == ImportStatus.READY
    imports.import_confirm(job_id=job.pk, skip_duplicates=False)
    assert (now_of(job).state, job.imported_count) == (ImportStatus.DONE, 1)


# --- Fail -------------------------------------------------------------------------------------


def test_a_failure_is_recorded_for_the_run_that_held_the_job_only():
    job = a_job(JobStatus.RUNNING, attempts=2)
    assert job_fail(model=AssetImport, job_id=job.pk, message="Oh.", held=1) is False
    assert job_fail(model=AssetImport, job_id=job.pk, message="Oh.", held=2) is True
    assert (now_of(job).status, job.message) == (JobStatus.FAILED, "Oh.")
    assert job.finished_at is not None
    assert job_fail(model=AssetImport, job_id=job.pk, message="Again.") is False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_is_recorded_on_a_fresh_connection_after_the_database_blipped(monkeypatch):
    job = a_job(JobStatus.RUNNING, attempts=1)
    monkeypatch.setattr(jobs, "FAIL_PAUSES", (0, 0))
    real_update, calls = QuerySet.update, []

    def blips_once(self, **kwargs):
        calls.append(connection.connection)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", blips_once)
    assert job_fail(model=AssetImport, job_id=job.pk, message="Lost.", held=1) is True
    assert calls[0] is not calls[1]  # the second try ran on a new connection
    assert now_of(job).status == JobStatus.FAILED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_that_cannot_be_recorded_is_left_to_the_sweeper(monkeypatch):
    job = a_job(JobStatus.RUNNING, attempts=1)
    monkeypatch.setattr(jobs, "FAIL_PAUSES", (0, 0))

    def down(self, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(QuerySet, "update", down)
    assert job_fail(model=AssetImport, job_id=job.pk, message="Lost.") is False
    monkeypatch.undo()
    assert now_of(job).status == JobStatus.RUNNING  # its lease runs out; the sweeper fails it


# --- Retry, task retries and queueing ---------------------------------------------------------


def test_try_again_starts_a_failed_job_afresh_and_nothing_else():
    failed = a_job(JobStatus.FAILED, attempts=MAX, progress=40, message="Lost.")
    assert job_retry(model=AssetImport, job_id=failed.pk) is True
    failed = now_of(failed)
    assert (failed.status, failed.attempts, failed.progress, failed.message) == (
        JobStatus.QUEUED,
        0,
        0,
        "",
    )
    for status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE):
        assert job_retry(model=AssetImport, job_id=a_job(status).pk) is False


def lose_connection(monkeypatch):
    def lost(**kwargs):
        raise BrokerOperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(imports, "import_check", lost)


@pytest.mark.parametrize(
    ("retries", "retried"),
    [(0, True), (import_check_task.max_retries - 1, True), (import_check_task.max_retries, False)],
)
def test_a_lost_connection_is_retried_up_to_the_limit_then_failed(monkeypatch, retries, retried):
    job = a_job()
    lose_connection(monkeypatch)
    with pytest.raises(Retry if retried else BrokerOperationalError):
        import_check_task.apply(args=(job.pk,), retries=retries)
    job = now_of(job)
    if retried:  # handed back for the retry to claim
        assert (job.status, job.message) == (JobStatus.QUEUED, "")
    else:
        assert (job.status, job.message) == (JobStatus.FAILED, str(LOST_CONNECTION))


def test_the_task_retries_as_many_times_as_a_job_may_be_claimed():
    assert import_check_task.max_retries == AssetImport.max_attempts - 1


def test_a_run_that_lost_its_job_keeps_nothing_and_fails_nothing(monkeypatch):
    job = a_job()

    def taken(**kwargs):
        raise JobLost

    monkeypatch.setattr(imports, "import_check", taken)
    assert import_check_task.apply(args=(job.pk,)).get() == ImportStatus.CHECKING
    assert now_of(job).status == JobStatus.RUNNING


class Unreachable:
    """A task whose queue does not answer, as Celery's apply_async raises it."""

    def apply_async(self, **kwargs):
        raise BrokerOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_a_job_that_cannot_be_queued_is_failed_with_the_reason_never_left_waiting(
    django_capture_on_commit_callbacks,
):
    job = a_job()
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(job=job, task=Unreachable())
    assert (now_of(job).status, job.message) == (JobStatus.FAILED, str(QUEUE_DOWN))


def test_a_job_is_queued_only_once_its_transaction_commits(django_capture_on_commit_callbacks):
    job = a_job()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job_enqueue(job=job, task=Unreachable())
    assert now_of(job).status == JobStatus.QUEUED and len(queued) == 1


# --- The sweeper ------------------------------------------------------------------------------


def test_the_sweeper_fails_every_job_whose_lease_expired_and_says_why():
    waited = a_job(JobStatus.QUEUED, lease_in=-SECOND)
    stopped = a_job(JobStatus.RUNNING, attempts=1, lease_in=-SECOND)
    alive = a_job(JobStatus.RUNNING, attempts=1, lease_in=SECOND)
    done = a_job(JobStatus.DONE, lease_in=-AssetImport.lease)
    assert jobs_stale_fail() == 2
    assert (now_of(waited).status, waited.message) == (JobStatus.FAILED, str(NOT_STARTED))
    assert (now_of(stopped).status, stopped.message) == (JobStatus.FAILED, str(STOPPED))
    assert (now_of(alive).status, now_of(done).status) == (JobStatus.RUNNING, JobStatus.DONE)


def test_the_sweeper_knows_every_kind_of_job_and_runs_on_beat_every_five_minutes(settings):
    assert AssetImport in job_models()
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "core.tasks.jobs_stale_fail_task"
    ]
    assert entry["schedule"] == timedelta(minutes=5)


# --- Result files and the shared templates ----------------------------------------------------


def test_a_file_the_job_made_is_stored_and_listed_on_its_row(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    job = a_job()
    path = job_file_save(job=job, name="report.csv", content=b"a,b\n")
    assert now_of(job).result_files == [{"name": "report.csv", "path": path, "size": 4}]
    with default_storage.open(path) as stored:
        assert stored.read() == b"a,b\n"


def test_the_history_lists_who_asked_when_how_it_went_and_what_to_do(coordinator_client):
    user = coordinator_client.user
    a_job(JobStatus.DONE, step=ImportStep.IMPORT, imported_count=12, requested_by=user)
    failed = a_job(JobStatus.FAILED, message="Lost.", requested_by=user)
    page = coordinator_client.get(reverse("assets:asset-import-new")).content.decode()
    assert "Recent imports" in page and user.username in page
    assert "12 assets imported" in page and "Imported" in page and "Failed" in page
    assert reverse("assets:asset-import-retry", args=[failed.pk]) in page


def test_the_recent_imports_pin_their_queries(coordinator_client, django_assert_max_num_queries):
    user = coordinator_client.user
    for _ in range(12):
        a_job(JobStatus.DONE, step=ImportStep.IMPORT, requested_by=user)
    # Sign-in and permissions (5), the default-category choices, the history: one query for
    # any number of jobs.
    with django_assert_max_num_queries(7):
        page = coordinator_client.get(reverse("assets:asset-import-new")).content.decode()
    assert page.count("0 assets imported") == 10


def test_the_history_and_progress_are_in_welsh(coordinator_client):
    user = coordinator_client.user
    a_job(JobStatus.RUNNING, attempts=1, requested_by=user, progress=30)
    page = coordinator_client.get("/cy/assets/imports/new/").content.decode()
    assert "Mewnforion diweddar" in page
    job = AssetImport.objects.get()
    page = coordinator_client.get(f"/cy/assets/imports/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "Adnewyddu" in page


def test_the_progress_works_without_javascript(coordinator_client):
    job = a_job(JobStatus.QUEUED)
    page = coordinator_client.get(reverse("assets:asset-import", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting for the worker to start" in page
    assert f'href="{reverse("assets:asset-import", args=[job.pk])}"' in page  # Refresh link
