"""Benchmark: many people at once on PostgreSQL (DESIGN §9, "Concurrency").

    DATABASE_URL=postgres://… .venv/bin/python bench/concurrency.py [--people 20] [--strict]

Makes a throwaway test database (bench_<name>, so neither the dev database nor a running
pytest's is touched) and sends, through the test client, each from its own thread and
database connection, released together:

- registrations: `--people` forms, each sent twice at once (a double tap), by coordinators;
- register ticks: `--people` tablets each ticking a different person on one register;
- asset submissions: `--people` forms, each sent twice at once, by participants.

Then the same work one request at a time, timed beside it. Counts errors (anything but a
redirect), duplicates (records beyond one per form, or codes used twice) and lost ticks.
With --strict, a missed target exits with status 1.
"""

import argparse
import os
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

from assets.models import Asset, AssetCategory  # noqa: E402
from core.models import Site  # noqa: E402
from participants.models import InformationSheet, Participant  # noqa: E402
from workshops.models import Attendance, Workshop  # noqa: E402

SENDS_PER_FORM = 2  # a double tap


def bench_site() -> Site:
    return Site.objects.get_or_create(slug="bench", defaults={"name_en": "Bench"})[0]


def signed_in(role: str, name: str) -> Client:
    user = get_user_model().objects.create_user(username=name)
    user.groups.add(Group.objects.get(name=role))
    user.sites.add(bench_site())
    client = Client()
    client.force_login(user, backend="core.backends.RoleBackend")
    return client


def at_once(calls: list) -> list:
    """Each call in its own thread (and database connection), released together."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(n, call):
        try:
            start.wait()
            results[n] = call()
        except Exception as error:  # noqa: BLE001 - counted as an error
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def one_by_one(calls: list) -> list:
    results = []
    for call in calls:
        try:
            results.append(call())
        except Exception as error:  # noqa: BLE001 - counted as an error
            results.append(error)
    return results


def errors_in(results: list) -> int:
    return sum(1 for r in results if isinstance(r, Exception) or r.status_code != 302)


def registrations(people: int, run: str) -> tuple[list, callable]:
    sheet = InformationSheet.objects.get(version="1.0")
    calls, url = [], reverse("participants:participant-register")
    for n in range(people):
        client = signed_in("coordinator", f"coordinator-{run}-{n}")
        data = {
            "form_token": str(uuid.uuid4()),
            "cohort": "tenant" if n % 2 else "asylum_seeker",
            "display_name": f"{run} {n}",
            "sheet": sheet.pk,
            "scopes": ["take_part"],
            "method": "written",
            "given_on": timezone.localdate().isoformat(),
        }
        calls += [lambda c=client, d=data: c.post(url, d)] * SENDS_PER_FORM

    def count() -> dict:
        made = Participant.objects.filter(display_name__startswith=f"{run} ")
        codes = list(made.values_list("code", flat=True))
        names = list(made.values_list("display_name", flat=True))
        duplicates = (len(names) - len(set(names))) + (len(codes) - len(set(codes)))
        return {"made": len(names), "expected": people, "duplicates": duplicates, "lost": 0}

    return calls, count


def ticks(people: int, run: str) -> tuple[list, callable]:
    facilitator = get_user_model().objects.create_user(username=f"facilitator-{run}")
    facilitator.groups.add(Group.objects.get(name="facilitator"))
    facilitator.sites.add(bench_site())
    now = timezone.now()
    workshop = Workshop.objects.create(
        title=f"Register {run}", starts_at=now, ends_at=now + timedelta(hours=2), site=bench_site()
    )
    workshop.facilitators.add(facilitator)
    persons = Participant.objects.bulk_create(
        Participant(code=f"T-{uuid.uuid4().hex[:8]}", cohort="tenant", site=bench_site())
        for _ in range(people)
    )
    url = reverse("workshops:workshop-register", args=[workshop.pk])
    calls = []
    for person in persons:
        client = Client()
        client.force_login(facilitator, backend="core.backends.RoleBackend")
        data = {"present": [person.pk], "ticked_before": ""}
        calls.append(lambda c=client, d=data: c.post(url, d))

    def count() -> dict:
        ticked = Attendance.objects.filter(workshop=workshop).count()
        return {"made": ticked, "expected": people, "duplicates": 0, "lost": people - ticked}

    return calls, count


def submissions(people: int, run: str) -> tuple[list, callable]:
    category = AssetCategory.objects.get(slug="food-support")
    calls = []
    for n in range(people):
        client = signed_in("participant", f"participant-{run}-{n}")
        data = {"form_token": str(uuid.uuid4()), "category": category.pk, "name": f"{run} {n}"}
        calls += [lambda c=client, d=data: c.post(reverse("assets:asset-add"), d)] * SENDS_PER_FORM

    def count() -> dict:
        names = list(
            Asset.objects.filter(name__startswith=f"{run} ").values_list("name", flat=True)
        )
        duplicates = len(names) - len(set(names))
        return {"made": len(names), "expected": people, "duplicates": duplicates, "lost": 0}

    return calls, count


CASES = {
    "registrations": registrations,
    "register ticks": ticks,
    "asset submissions": submissions,
}


def measure(people: int) -> list[dict]:
    rows = []
    for name, prepare in CASES.items():
        for mode, runner in (("at once", at_once), ("one by one", one_by_one)):
            calls, count = prepare(people, f"{name[:3]}-{mode[:3]}")
            started = time.perf_counter()
            results = runner(calls)
            elapsed = (time.perf_counter() - started) * 1000
            rows.append(
                {
                    "case": name,
                    "mode": mode,
                    "requests": len(calls),
                    "errors": errors_in(results),
                    "ms": elapsed,
                    **count(),
                }
            )
    return rows


def report(rows: list[dict], people: int) -> list[bool]:
    print(
        f"\nConcurrency: {people} people at once, {connection.vendor}; forms that make a "
        f"record are each sent {SENDS_PER_FORM} times (a double tap)\n"
    )
    header = ["requests", "made", "expected", "errors", "duplicates", "lost", "ms"]
    print(f"{'case':<32}" + "".join(f"{h:>11}" for h in header))
    for r in rows:
        cells = [r[h] for h in header[:-1]] + [f"{r['ms']:.0f}"]
        print(f"{r['case'] + ', ' + r['mode']:<32}" + "".join(f"{c:>11}" for c in cells))
    checks = []
    for name in CASES:
        together = next(r for r in rows if r["case"] == name and r["mode"] == "at once")
        alone = next(r for r in rows if r["case"] == name and r["mode"] == "one by one")
        clean = all(
            r["errors"] == 0
            and r["duplicates"] == 0
            and r["lost"] == 0
            and r["made"] == r["expected"]
            for r in (together, alone)
        )
        measured = (
            f"{together['errors']} errors, {together['duplicates']} duplicates, "
            f"{together['lost']} lost; {together['ms']:.0f} ms vs {alone['ms']:.0f} ms one by one"
        )
        checks.append((f"{name}: 0 errors, 0 duplicates, 0 lost", measured, clean))
    print(f"\n{'target (DESIGN §9)':<52}{'measured':<66}result")
    for label, measured, passed in checks:
        print(f"{label:<52}{measured:<66}{'PASS' if passed else 'MISS'}")
    return [passed for _label, _measured, passed in checks]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("bench/concurrency.py needs PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    with throwaway_database():
        passed = report(measure(args.people), args.people)
    return 1 if args.strict and not all(passed) else 0


if __name__ == "__main__":
    sys.exit(main())
