"""The load generator of bench/pages.py, in a process of its own (locust patches the standard
library with gevent on import, which the Django process must not have).

Reads a plan as JSON on stdin:
    {"host": "http://127.0.0.1:PORT", "users": 20, "seconds": 10, "warmup": 1,
     "targets": [{"name": ..., "path": ..., "headers": {...}, "status": 200}, ...]}
and, target after target, runs `users` locust users that each request the target's path
back to back (no wait) for `seconds`, after `warmup` seconds that are not counted. Prints
one JSON object: per target, requests, failures (any status but the target's "status", 200
unless it says, or no answer), requests
per second, mean and p50/p95/p99 in ms, and bytes per response.
"""

import json
import sys
import time

import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment


def visitor(host: str, path: str, headers: dict, status: int) -> type[FastHttpUser]:
    class Visitor(FastHttpUser):
        wait_time = constant(0)

        @task
        def load(self):
            with self.client.get(
                path, headers=headers, name=path, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != status:
                    response.failure(f"status {response.status_code}")

    Visitor.host = host
    return Visitor


def run(target: dict, *, host: str, users: int, seconds: float, warmup: float) -> dict:
    user = visitor(host, target["path"], target.get("headers", {}), target.get("status", 200))
    env = Environment(user_classes=[user])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users * 100)
    gevent.sleep(warmup)
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(seconds)
    entry = env.stats.get(target["path"], "GET")
    elapsed = time.monotonic() - started
    figures = {
        "name": target["name"],
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "errors": sorted({str(error.error) for error in env.stats.errors.values()})[:3],
        "rps": entry.num_requests / elapsed,
        "mean": entry.avg_response_time,
        "p50": entry.get_response_time_percentile(0.50),
        "p95": entry.get_response_time_percentile(0.95),
        "p99": entry.get_response_time_percentile(0.99),
        "bytes": entry.avg_content_length,
    }
    runner.quit()
    return figures


def main() -> None:
    plan = json.load(sys.stdin)
    results = []
    for target in plan["targets"]:
        results.append(
            run(
                target,
                host=plan["host"],
                users=plan["users"],
                seconds=plan["seconds"],
                warmup=plan["warmup"],
            )
        )
        print(f"  {target['name']}: done", file=sys.stderr, flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
