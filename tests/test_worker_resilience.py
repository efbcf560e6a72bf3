"""The worker outlives its broker: a real Celery worker, with the project's settings, keeps
running jobs after Redis is stopped and started again. The test runs its own throwaway
redis-server on a spare port (never the shared one), and a Celery app that reads the same
settings as config.celery but points at that server."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker

from tests.services import require_service


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broker:
    """A redis-server of our own that the test can stop and start."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        for _ in range(50):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def broker():
    require_service("redis-server", shutil.which("redis-server") is not None)
    own = Broker(_free_port())
    own.start()
    yield own
    own.stop()


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
