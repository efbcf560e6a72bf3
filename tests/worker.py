"""A real Celery worker (in a thread of the test process) on the real Redis broker."""

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from tests.data import restore_migrated_data
from tests.services import require_service


def _redis_up() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def celery_worker_live():
    """Start a worker on the project's Celery app with eager mode off. Tests that use it and
    read the database need @pytest.mark.django_db(transaction=True, serialized_rollback=True)."""
    require_service("redis (REDIS_URL)", _redis_up())
    import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping for the ping check

    from config.celery import app

    restore_migrated_data()
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", loglevel="WARNING", perform_ping_check=True):
            yield app
    finally:
        app.conf.task_always_eager = True
