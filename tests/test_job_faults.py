"""Background jobs under faults, with real Celery workers in processes of their own (core.jobs,
on the asset import): the worker killed mid-job, Redis stopped mid-job or down when a job is
queued, the database blocked or its connection cut mid-job. Every job ends done, or failed
with a reason and "Try again" — never "running" for ever.

Redis is only ever stopped when it is the test's own redis-server (tests.worker.Broker, on
a free port of 127.0.0.1, so that tests running side by side never share it); the shared one
stays up."""

import time
from datetime import timedelta

import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, AssetImport, ImportFormat, ImportStatus
from assets.services.imports import import_confirm
from assets.tasks import import_check_task
from core.jobs import QUEUE_DOWN, STOPPED
from core.models import Role
from tests.services import require_service
from tests.worker import _redis_up, database_url, private_broker, queueing_to

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = 10_000  # a check of some seconds: long enough to be interrupted half-way


def csv_of_places(count: int) -> str:
    """Places on a grid east of Townhill, Swansea (up to 0.4° each way, all in Wales), each
    0.004° (over 250 m) from the next."""
    rows = ["name,category,latitude,longitude,cost,languages"]
    for n in range(count):
        latitude, longitude = 51.63 + (n // 100) * 0.004, -3.99 + (n % 100) * 0.004
        rows.append(f"Place number {n},community-centre,{latitude:.4f},{longitude:.4f},free,cy")
    return "\n".join(rows) + "\n"


def csv_upload(rows: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("places.csv", csv_of_places(rows).encode(), "text/csv")


def big_job(requested_by, rows: int = ROWS) -> AssetImport:
    return AssetImport.objects.create(
        requested_by=requested_by,
        file_name="places.csv",
        format=ImportFormat.CSV,
        content=csv_of_places(rows),
        total_rows=rows,
    )


def now_of(job: AssetImport) -> AssetImport:
    job.refresh_from_db()
    return job


def wait_until(job: AssetImport, done, timeout: float = 240) -> AssetImport:
    deadline = time.monotonic() + timeout
    while not done(now_of(job)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return job


def finished(job: AssetImport) -> bool:
    return not job.is_unfinished


def lease_runs_out(job: AssetImport) -> None:
    """Twenty minutes of silence, set back rather than waited for."""
    expired = timezone.now() - timedelta(seconds=1)
    AssetImport.objects.filter(pk=job.pk).update(lease_expires_at=expired)


@pytest.fixture
def shared_redis():
    require_service("redis (REDIS_URL)", _redis_up())
    yield settings.REDIS_URL
    # A killed worker leaves its task unacknowledged: drop it, so no later worker runs it.
    redis.Redis.from_url(settings.REDIS_URL).delete("celery", "unacked", "unacked_index")


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


def page_of(client, job: AssetImport) -> str:
    return client.get(reverse("assets:asset-import", args=[job.pk])).content.decode()


def test_a_worker_killed_mid_job_and_restarted_takes_the_job_back_and_finishes_it(
    coordinator, worker_processes, shared_redis
):
    # Messages a dead worker took come back after two seconds here (an hour in production).
    first = worker_processes(shared_redis, CELERY_VISIBILITY_TIMEOUT="2")
    job = big_job(coordinator)
    with queueing_to(shared_redis):
        import_check_task.delay(job.pk)
    wait_until(job, lambda job: job.progress > 0, timeout=180)
    assert job.state == ImportStatus.CHECKING and 0 < job.progress < 90, "it never got going"
    first.kill()

    assert now_of(job).state == ImportStatus.CHECKING and job.attempts == 1
    lease_runs_out(job)
    worker_processes(shared_redis, CELERY_VISIBILITY_TIMEOUT="2")  # the restart
    wait_until(job, finished)
    assert (job.state, job.attempts, job.progress) == (ImportStatus.READY, 2, 100)
    assert len(job.preview) == ROWS


def test_a_job_whose_killed_worker_never_comes_back_is_failed_with_try_again(
    coordinator, client, worker_processes, shared_redis
):
    first = worker_processes(shared_redis)
    job = big_job(coordinator)
    with queueing_to(shared_redis):
        import_check_task.delay(job.pk)
    wait_until(job, lambda job: job.progress > 0, timeout=180)
    first.kill()

    client.force_login(coordinator, backend="core.backends.RoleBackend")
    page = page_of(client, job)
    assert "Checking 10000 rows" in page or "Checking 10,000 rows" in page  # within its lease
    lease_runs_out(job)
    page = page_of(client, job)
    assert str(STOPPED) in page and reverse("assets:asset-import-retry", args=[job.pk]) in page
    assert now_of(job).state == ImportStatus.FAILED

    worker_processes(shared_redis)
    with queueing_to(shared_redis):
        client.post(reverse("assets:asset-import-retry", args=[job.pk]))
    assert wait_until(job, finished).state == ImportStatus.READY
    assert job.attempts == 1  # a fresh start


def test_redis_stopped_mid_import_leaves_the_import_to_finish(coordinator, worker_processes):
    with private_broker() as broker:
        job = big_job(coordinator, rows=1500)
        import_check_task.run_here(job.pk)
        assert now_of(job).state == ImportStatus.READY
        worker_processes(broker.url)
        with queueing_to(broker.url):
            assert import_confirm(job_id=job.pk, skip_duplicates=False) is True
        wait_until(job, lambda job: job.attempts >= 1 or not job.is_unfinished)
        assert job.state == ImportStatus.IMPORTING and job.attempts == 1
        time.sleep(0.5)
        broker.stop()  # the worker's broker, result store and cache, mid-import
        stopped_at = timezone.now()
        assert now_of(job).state == ImportStatus.IMPORTING

        wait_until(job, finished, timeout=180)
    assert (job.state, job.imported_count) == (ImportStatus.DONE, 1500)
    assert job.finished_at > stopped_at
    assert Asset.objects.count() == 1500


def test_redis_down_at_upload_and_at_try_again_fails_the_job_until_it_is_back(
    coordinator, client, worker_processes
):
    client.force_login(coordinator, backend="core.backends.RoleBackend")
    with private_broker() as broker, queueing_to(broker.url):
        broker.stop()
        response = client.post(reverse("assets:asset-import-new"), {"file": csv_upload(250)})
        job = AssetImport.objects.get()
        assert response["Location"] == reverse("assets:asset-import", args=[job.pk])
        assert (now_of(job).state, job.message) == (ImportStatus.FAILED, str(QUEUE_DOWN))
        page = page_of(client, job)
        assert "the queue is not answering" in page and "Try again" in page

        retry = reverse("assets:asset-import-retry", args=[job.pk])
        client.post(retry)  # Redis still down: failed again, with the reason
        assert (now_of(job).state, job.message) == (ImportStatus.FAILED, str(QUEUE_DOWN))

        broker.start()
        worker_processes(broker.url)
        client.post(retry)
        assert wait_until(job, finished).state == ImportStatus.READY
        assert len(job.preview) == 250


def lock_for(seconds: float, table: str) -> None:
    """Hold an exclusive lock on a table from another connection, as a long migration or a
    stuck transaction would."""
    with psycopg2.connect(database_url()) as blocker, blocker.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        time.sleep(seconds)


def test_a_job_waits_out_a_database_blocked_for_seconds_and_finishes(
    coordinator, worker_processes, shared_redis
):
    worker_processes(shared_redis)
    job = big_job(coordinator)
    with queueing_to(shared_redis):
        import_check_task.delay(job.pk)
    wait_until(job, lambda job: job.progress > 0, timeout=180)
    assert job.state == ImportStatus.CHECKING
    lock_for(5, AssetImport._meta.db_table)  # its progress writes wait
    released_at = timezone.now()

    assert wait_until(job, finished).state == ImportStatus.READY
    assert job.attempts == 1 and job.finished_at > released_at


def test_a_job_whose_database_connection_is_cut_mid_job_is_retried_and_finishes(
    coordinator, worker_processes, shared_redis
):
    worker_processes(shared_redis)
    job = big_job(coordinator)
    with queueing_to(shared_redis):
        import_check_task.delay(job.pk)
    wait_until(job, lambda job: job.progress > 0, timeout=180)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [ours] = cursor.fetchone()
    with psycopg2.connect(database_url()) as admin, admin.cursor() as cursor:
        cursor.execute(  # the worker's connection: every other one on the test database
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)"
            " AND backend_type = 'client backend'",
            [ours],
        )
        assert cursor.rowcount >= 1

    wait_until(job, finished)
    assert job.state == ImportStatus.READY and job.attempts >= 2
