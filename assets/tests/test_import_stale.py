"""An import whose worker stopped is failed with "Try again", never left checking forever;
and a lost connection (database, cache, broker) is retried, not taken for a bad file. (The
job layer's own edges are pinned in core/tests/test_jobs.py.)"""

from datetime import timedelta

import pytest
import redis
from celery.exceptions import Retry
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from assets.models import AssetImport, ImportFormat, ImportStatus, ImportStep
from assets.services import imports
from assets.tasks import IMPORT_LIMITS, import_check_task
from core.jobs import jobs_stale_fail
from core.models import JobStatus
from core.tasks import jobs_stale_fail_task

pytestmark = pytest.mark.django_db
STOPPED = "The worker stopped before it finished. Try again."
CSV = "name,category\nTownhill Library,library\n"
STALE_AFTER = AssetImport.lease
# What each status the page shows is made of: the job's step and status.
AS_JOB = {
    ImportStatus.CHECKING: (ImportStep.CHECK, JobStatus.RUNNING),
    ImportStatus.READY: (ImportStep.CHECK, JobStatus.DONE),
    ImportStatus.INVALID: (ImportStep.CHECK, JobStatus.DONE),
    ImportStatus.IMPORTING: (ImportStep.IMPORT, JobStatus.RUNNING),
    ImportStatus.DONE: (ImportStep.IMPORT, JobStatus.DONE),
    ImportStatus.FAILED: (ImportStep.CHECK, JobStatus.FAILED),
}


def job(
    status=ImportStatus.CHECKING, *, quiet_for=timedelta(0), queued: bool = False
) -> AssetImport:
    step, job_status = (ImportStep.CHECK, JobStatus.QUEUED) if queued else AS_JOB[status]
    made = AssetImport.objects.create(
        file_name="places.csv",
        format=ImportFormat.CSV,
        content=CSV,
        step=step,
        status=job_status,
        problem_count=int(status == ImportStatus.INVALID),
        total_rows=1,
    )
    # Its last sign of life was quiet_for ago: its lease ran from then.
    lease = timezone.now() - quiet_for + AssetImport.lease
    AssetImport.objects.filter(pk=made.pk).update(lease_expires_at=lease)
    return made


def status_of(made: AssetImport) -> tuple[str, str]:
    made.refresh_from_db()
    return made.state, made.message


def test_a_job_quiet_for_longer_than_the_limit_is_failed_with_try_again():
    second = timedelta(seconds=1)
    just_under = job(quiet_for=STALE_AFTER - second)
    just_over = job(quiet_for=STALE_AFTER + second)
    importing = job(ImportStatus.IMPORTING, quiet_for=STALE_AFTER * 3)
    assert jobs_stale_fail_task.apply().get() == 2
    assert status_of(just_under) == (ImportStatus.CHECKING, "")
    assert status_of(just_over) == (ImportStatus.FAILED, STOPPED)
    assert status_of(importing) == (ImportStatus.FAILED, STOPPED)
    assert just_over.finished_at is not None


@pytest.mark.parametrize(
    "status", [ImportStatus.READY, ImportStatus.INVALID, ImportStatus.DONE, ImportStatus.FAILED]
)
def test_a_job_not_running_is_never_failed_for_being_quiet(status):
    waiting = job(status, quiet_for=STALE_AFTER * 10)
    assert jobs_stale_fail() == 0
    assert status_of(waiting)[0] == status


def test_an_import_outlives_its_hard_time_limit_before_it_can_be_taken_for_stopped():
    # Inside its one transaction the import cannot renew its lease on the row: the lease
    # must be longer than the task may run at all.
    assert AssetImport.lease.total_seconds() > IMPORT_LIMITS["time_limit"]


def test_the_page_of_a_job_whose_worker_stopped_says_so_and_offers_try_again(
    coordinator_client,
):
    stuck = job(quiet_for=STALE_AFTER + timedelta(minutes=1))
    page = coordinator_client.get(reverse("assets:asset-import", args=[stuck.pk])).content.decode()
    assert STOPPED in page and "Try again" in page and "Checking 1 row" not in page
    coordinator_client.post(reverse("assets:asset-import-retry", args=[stuck.pk]))
    assert status_of(stuck) == (ImportStatus.READY, "")


def test_the_page_of_a_job_still_working_keeps_showing_its_progress(coordinator_client):
    working = job(quiet_for=STALE_AFTER - timedelta(minutes=1))
    page = coordinator_client.get(
        reverse("assets:asset-import", args=[working.pk])
    ).content.decode()
    assert "Checking 1 row" in page and STOPPED not in page


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        redis.ConnectionError("Connection refused"),
        BrokerOperationalError("Error 111 connecting to redis"),
    ],
)
def test_a_lost_connection_is_retried_then_failed_with_try_again(monkeypatch, error):
    checking = job(queued=True)

    def lost(**kwargs):
        raise error

    monkeypatch.setattr(imports, "import_check", lost)  # what the task calls
    with pytest.raises(Retry):
        import_check_task.apply(args=(checking.pk,))
    assert status_of(checking) == (ImportStatus.CHECKING, "")  # left for the retry
    with pytest.raises(type(error)):
        import_check_task.apply(args=(checking.pk,), retries=import_check_task.max_retries)
    status, message = status_of(checking)
    assert status == ImportStatus.FAILED and message.startswith("Something went wrong")


def test_a_bug_is_not_retried_but_failed_at_once(monkeypatch):
    checking = job(queued=True)

    def broken(**kwargs):
        raise KeyError("category")

    monkeypatch.setattr(imports, "import_check", broken)
    with pytest.raises(KeyError):
        import_check_task.apply(args=(checking.pk,))
    assert status_of(checking)[0] == ImportStatus.FAILED
