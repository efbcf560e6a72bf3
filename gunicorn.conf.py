"""gunicorn's settings for the web service: the Dockerfile's CMD and bench/pages.py read this
file (`gunicorn -c gunicorn.conf.py config.wsgi:application`). Sized for the 2-core machine
the design names (DESIGN §9); docs/operations.md says how to tune it and what each worker
costs in memory.

- Threaded workers (gthread): a request spends much of its time waiting on PostgreSQL and
  Redis, and a thread that waits lets another run. Two processes (one per core) of four
  threads each serve eight requests at once; more processes only add memory on two cores.
- preload_app: the code is imported once, in the master, and the workers share its memory
  pages (copy-on-write) instead of each importing Django, networkx, shapely and WeasyPrint.
  A new release needs a restart (not a reload) for the same reason.
- when_ready: the master also imports every view and compiles every template before it forks
  (core.warmup), so the workers share them too, and a restarted worker is not slow at first.
- max_requests (with jitter, so the workers do not restart together) bounds what a slow
  leak can grow to.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
preload_app = True

timeout = 30  # a request still running after this is killed with its worker (a 502)
graceful_timeout = 30
keepalive = 5  # behind a proxy that keeps connections open
max_requests = 5000
max_requests_jitter = 500

# The heartbeat files in memory, not on the container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "": none (benchmarks)
errorlog = "-"
# No control socket: nothing uses gunicornc in a container, and the non-root user has no
# writable home for it.
control_socket_disable = True


def when_ready(server):
    """In the master, once the app is loaded and before the first fork: the work a worker
    would otherwise do on its first requests (core.warmup), done once and shared."""
    from core.warmup import app_warm

    try:
        server.log.info("Warmed up: %d templates compiled", app_warm())
    except Exception:  # noqa: BLE001 — the workers then do it on their first requests
        server.log.exception("Warming up failed; the workers will load what they need")


def pre_fork(server, worker):
    """No database connection crosses a fork: one opened while loading the app (a check,
    say) would otherwise be shared by every worker, and their queries would interleave.
    What the app loaded is frozen out of the garbage collector's reach (gc.freeze, as
    Python's documentation advises before a fork): the workers' pages stay shared, and a
    full collection no longer walks Django's hundreds of thousands of objects in the middle
    of a request (bench/api.py)."""
    from django.db import connections

    connections.close_all()
    gc.freeze()
