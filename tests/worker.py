"""Real Celery workers for the tests: one in a thread of the test process, or `celery worker`
in a process of its own (which a test may kill), on the real Redis broker or on a private
redis-server the test can stop and start."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from tests.data import restore_migrated_data
from tests.services import require_service

ROOT = Path(__file__).resolve().parent.parent


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broker:
    """A redis-server of the test's own, on 127.0.0.1 only, that it can stop and start: the
    shared Redis other people use is never stopped."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self) -> None:
        with socket.socket() as probe:  # the port is someone else's: never use theirs
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as redis-server does
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError as taken:
                raise RuntimeError(f"port {self.port} is in use") from taken
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"]
            + ["--maxmemory", "64mb"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        for _ in range(50):
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server could not start on port {self.port}")
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


@contextmanager
def private_broker(port: int | None = None):
    """A Broker on `port` (or any free one), stopped at the end however the test ends."""
    require_service("redis-server", shutil.which("redis-server") is not None)
    own = Broker(port or free_port())
    own.start()
    try:
        yield own
    finally:
        own.stop()


def database_url() -> str:
    s = connection.settings_dict
    password = s["PASSWORD"] or ""
    return f"postgres://{s['USER']}:{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


class WorkerProcess:
    """`celery worker` (solo pool) in its own process group, on the test database and the
    given Redis (broker, results and cache), that the test may kill like an out-of-memory
    killer would."""

    def __init__(self, redis_url: str, **env: str):
        self.redis_url, self.env, self.process = redis_url, env, None

    def start(self) -> "WorkerProcess":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.redis_url,
            # The test settings run tasks eagerly; this worker must take them from Redis.
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **self.env,
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
        self.process = subprocess.Popen(
            [*command, "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def worker_processes():
    """start(redis_url, **env) → a started WorkerProcess; every one is killed at the end."""
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    started = []

    def start(redis_url: str, **env: str) -> WorkerProcess:
        worker = WorkerProcess(redis_url, **env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


@contextmanager
def queueing_to(url: str):
    """The project's Celery app, in this process, sending tasks to the broker at `url`
    instead of running them eagerly."""
    from config.celery import app

    before = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = before
        app._pool = None
        app.amqp._producer_pool = None
