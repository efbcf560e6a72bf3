"""In-process profile of the pages bench/pages.py loads: the Django test client, one request
at a time after a warm-up, as each page's role (demo site plus --rows published assets, on a
throwaway PostgreSQL database). Prints per page the mean milliseconds (wall, and this
process's CPU: the CPU time holds better on a busy machine, but leaves out the database's
own) and the queries of one request; with --profile NAME, the cProfile of that page's
requests (top functions by cumulative time).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cymuned_bench \\
        REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/pages_inprocess.py \\
        [--rows 10000] [--requests 200] [--only "map page"] [--profile "map page"]

PROFILE_FILTER (a regular expression) limits the profile's lines to the functions it matches.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()
# Connections kept between requests, as production keeps them (bench/pages_settings.py): a new
# one per request would add its setup, and PostgreSQL's catalogue reads, to every page.
django.db.connections["default"].settings_dict["CONN_MAX_AGE"] = 60

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from map_layer import assets_create  # noqa: E402
from pages import targets  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

from core.models import User  # noqa: E402
from core.tests.factories import api_key_make  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="append", default=[], help="page name to profile")
    parser.add_argument("--only", action="append", default=[], help="page names to measure")
    args = parser.parse_args()
    with throwaway_database("bench_inprocess"):
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", verbosity=0, stdout=quiet)
        assets_create(args.rows, random.Random(15))
        _key, secret = api_key_make("public")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        clients = {}
        print(f"{'page':45} {'ms':>7} {'cpu ms':>7} {'queries':>8}")
        plain = reverse("core:accessibility")
        # A page with nothing of its own: what every page pays, signed out and signed in.
        extra = [
            {"name": "accessibility", "role": role, "path": plain}
            for role in (None, "participant", "coordinator")
        ]
        for target in extra + targets(secret):
            role, name = target["role"], target["name"]
            if args.only and name not in args.only:
                continue
            if role not in clients:
                # The partner API's client sends the key's header (as bench/pages.py does).
                clients[role] = Client(headers=target.get("headers"))
                if role and role != "api":
                    clients[role].force_login(User.objects.get(username=role))
            client = clients[role]
            label = f"{name} ({role or 'signed out'})"
            headers, status = {}, 200
            if "asked again" in name:  # with the ETag it gave, as a browser asks again
                headers = {"If-None-Match": client.get(target["path"])["ETag"]}
                status = 304
            for _ in range(5):
                assert client.get(target["path"], headers=headers).status_code == status, label
            queries = []

            def note(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            # Not CaptureQueriesContext: request_started empties connection.queries.
            with connection.execute_wrapper(note):
                client.get(target["path"], headers=headers)
            profile = cProfile.Profile() if name in args.profile else None
            start, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            for _ in range(args.requests):
                client.get(target["path"], headers=headers)
            if profile:
                profile.disable()
            ms = (time.perf_counter() - start) * 1000 / args.requests
            cpu_ms = (time.process_time() - cpu) * 1000 / args.requests
            print(f"{label:45} {ms:7.2f} {cpu_ms:7.2f} {len(queries):8}", flush=True)
            if profile:
                for sql in queries:
                    print("   ", sql[:300])
                stats = pstats.Stats(profile).sort_stats("cumulative")
                stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 60)


if __name__ == "__main__":
    main()
