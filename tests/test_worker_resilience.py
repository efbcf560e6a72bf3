"""The worker outlives its broker: a real Celery worker, with the project's settings, keeps
running jobs after Redis is stopped and started again. The test runs its own throwaway
redis-server on a spare port (never the shared one), and a Celery app that reads the same
settings as config.celery but points at that server."""

import time

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from tests.worker import private_broker


@pytest.fixture
def broker():
    with private_broker() as own:
        yield own


def test_the_worker_runs_jobs_again_after_redis_comes_back(broker):
    app = Celery("resilience")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=broker.url, result_backend=broker.url, task_always_eager=False)

    @app.task(name="resilience.add")
    def add(x, y):
        return x + y

    with start_worker(app, pool="solo", loglevel="WARNING", perform_ping_check=False):
        assert add.delay(1, 2).get(timeout=30) == 3

        broker.stop()
        time.sleep(3)  # the worker notices the lost connection and starts reconnecting
        broker.start()

        assert add.delay(2, 3).get(timeout=60) == 5
