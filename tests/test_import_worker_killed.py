"""A real Celery worker, in a process of its own, killed while it checks a large import: the
job is left "checking", and once it has been quiet for longer than the limit its page says
the worker stopped and offers "Try again" (assets.services.imports.import_stale_fail)."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assets.models import AssetImport, ImportFormat, ImportStatus
from assets.services.imports import STALE_AFTER
from assets.tasks import import_check_task
from core.models import Role
from tests.services import require_service
from tests.test_import_worker import csv_of_places
from tests.worker import _redis_up

ROWS = 30_000  # long enough to check that the worker can be killed half-way
ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    s = connection.settings_dict
    password = s["PASSWORD"] or ""
    return f"postgres://{s['USER']}:{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def progress_of(job: AssetImport) -> tuple[str, int]:
    job.refresh_from_db()
    return job.state, job.progress


@pytest.fixture
def worker_process():
    """`celery worker` in its own process group on the test database, stopped at the end."""
    require_service("redis (REDIS_URL)", _redis_up())
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
    process = subprocess.Popen(
        [*command, "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    # The killed task's message is left unacknowledged; drop it so no later worker runs it.
    redis.Redis.from_url(settings.REDIS_URL).delete("unacked", "unacked_index")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_whose_worker_is_killed_mid_check_is_failed_with_try_again(
    make_user, client, worker_process
):
    coordinator = make_user(Role.COORDINATOR)
    job = AssetImport.objects.create(
        requested_by=coordinator,
        file_name="big.csv",
        format=ImportFormat.CSV,
        content=csv_of_places(ROWS),
        total_rows=ROWS,
    )
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        import_check_task.delay(job.pk)
    finally:
        app.conf.task_always_eager = True

    deadline = time.monotonic() + 180
    while progress_of(job)[1] == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    status, progress = progress_of(job)
    assert status == ImportStatus.CHECKING and 0 < progress < 90, "the check never got going"
    os.killpg(worker_process.pid, signal.SIGKILL)
    worker_process.wait(timeout=30)

    time.sleep(1)
    assert progress_of(job)[0] == ImportStatus.CHECKING  # left checking: nobody is working on it
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("assets:asset-import", args=[job.pk])).content.decode()
    assert "Checking 30000 rows" in page or "Checking 30,000 rows" in page  # not stale yet

    # Twenty minutes later (the heartbeat set back rather than waited for):
    quiet = timezone.now() - STALE_AFTER - timedelta(seconds=1)
    AssetImport.objects.filter(pk=job.pk).update(heartbeat_at=quiet)
    page = client.get(reverse("assets:asset-import", args=[job.pk])).content.decode()
    assert "The worker stopped before it finished. Try again." in page
    assert reverse("assets:asset-import-retry", args=[job.pk]) in page
    assert progress_of(job)[0] == ImportStatus.FAILED
