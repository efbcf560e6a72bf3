"""Benchmark: the partner API's assets endpoints beside the map layer's floor, and requests
per second with keys beside /healthz (issue 11 point 7).

    .venv/bin/python bench/api.py [--rows 10000] [--repeat 5] [--clients 20] [--requests 400]
                                  [--strict]

Makes a throwaway test database (bench/throwaway.py), fills it with published assets as
bench/map_layer.py does, and times in one run:

- the floor (raw SQL of the layer's five columns + orjson, bench/map_layer.py) and the
  floors of the API itself: the same rows (shareable assets), every column the API gives, in
  pages of the same size and order, each page read from where the last ended (raw SQL +
  orjson), as the list's JSON and as GeoJSON features (as the map layer's floor is); each
  endpoint's target is against the floor of its own format;
- every published asset through /api/v1/assets/ and /api/v1/assets/geojson/ with a key,
  page by page at the largest page (500), following `next` — the time for all the pages;
- requests per second, `--clients` threads each with its own key, test client and database
  connection, `--requests` in all (bounded), the throttle off, for the first page of
  /api/v1/assets/ and of its GeoJSON, and for /healthz.

Each target is the median, over the rounds, of the endpoint's time over its floor's in the
same round (the cases run one after another in each round): the machines are shared.

In-process (Django's test client, no network; nothing listens on any port). SQLite by
default; PostgreSQL when DATABASE_URL is set. With --strict, a missed target exits 1.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

import orjson  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from map_layer import assets_create, floor  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

from assets.api.views import ASSET_FIELDS  # noqa: E402
from core.tests.factories import api_key_make  # noqa: E402

TARGET_FLOOR_RATIO = 2.0
LAYER_FLOOR = "floor: map layer (raw SQL, 5 columns + orjson)"
LIST_FLOOR = "floor: API columns, same pages (raw SQL + orjson)"
GEOJSON_FLOOR = "floor: the same pages as GeoJSON"
COLUMNS = {
    "category__slug": "c.slug",
    "areas__lsoa__code": "l.code",
    "areas__msoa__code": "m.code",
    "areas__local_authority__code": "la.code",
}
PAGE_SIZE = 500
# The rows the API gives (Asset.objects.shareable()), a page at a time in the API's order,
# each page read from where the last ended (the cheapest way to page through raw SQL).
FULL_FLOOR_SQL = (
    "SELECT "
    + ", ".join(COLUMNS.get(field, f"a.{field}") for field in ASSET_FIELDS)
    + " FROM assets_asset a JOIN assets_assetcategory c ON c.id = a.category_id"
    " LEFT JOIN assets_assetareas aa ON aa.asset_id = a.id"
    " LEFT JOIN assets_area l ON l.id = aa.lsoa_id LEFT JOIN assets_area m ON m.id = aa.msoa_id"
    " LEFT JOIN assets_area la ON la.id = aa.local_authority_id"
    " WHERE a.status = 'published' AND NOT (a.domain = 'individual' AND NOT a.publish_consent)"
    " AND (a.name > %s OR (a.name = %s AND a.id > %s)) AND a.name >= %s"
    f" ORDER BY a.name, a.id LIMIT {PAGE_SIZE}"
)


def full_floor(geojson: bool = False) -> int:
    """Every column the API gives, of the same rows, in pages of the same size and order,
    fetched raw and encoded by orjson, a page at a time: what the API cannot beat. JSON
    columns come back as text: decoded by orjson, as the API's rows are. With geojson=True
    each page is a FeatureCollection, as the GeoJSON endpoint's (and the map layer's floor)
    are: a Point (or null) per row, the other columns as its properties. Each page is read
    back as every_page reads the API's (the same work of the benchmark's on both sides).
    Returns the rows."""
    # "category__slug" → category, "areas__lsoa__code" → lsoa: the API's own names.
    names = [field.removeprefix("areas__").split("__")[0] for field in ASSET_FIELDS]
    json_columns = [n for n, name in enumerate(names) if name in ("languages", "welcoming_to")]
    after, total = ("", 0), 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(FULL_FLOOR_SQL, [after[0], after[0], after[1], after[0]])
            rows = cursor.fetchall()
            if not rows:
                return total
            out = []
            for row in rows:
                row = list(row)
                for n in json_columns:
                    if isinstance(row[n], str):
                        row[n] = orjson.loads(row[n])
                out.append(dict(zip(names, row, strict=True)))
            after = (out[-1]["name"], out[-1]["id"])
            body = orjson.dumps(
                feature_collection(out) if geojson else {"count": 0, "next": None, "results": out},
                option=orjson.OPT_UTC_Z,
            )
            orjson.loads(body)  # read back as every_page reads each of the API's pages
            total += len(out)


def feature_collection(rows: list[dict]) -> dict:
    features = []
    for row in rows:
        longitude, latitude = row.pop("longitude"), row.pop("latitude")
        geometry = (
            None if latitude is None else {"type": "Point", "coordinates": [longitude, latitude]}
        )
        features.append(
            {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": row}
        )
    return {"type": "FeatureCollection", "count": 0, "next": None, "features": features}


def every_page(client: Client, url: str, headers: dict, items: str) -> tuple[int, int]:
    """(rows, pages) of every page of `url` at 500 a page, following `next`."""
    rows, pages, params = 0, 0, {"page_size": PAGE_SIZE}
    while url:
        response = client.get(url, params, **headers)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        body = orjson.loads(response.content)
        rows += len(body[items])
        pages += 1
        url, params = body["next"], None
    return rows, pages


def timed(cases: dict, repeat: int) -> dict[str, list[float]]:
    """Milliseconds of each case, `repeat` rounds, the cases one after another in each
    round (so that a ratio is taken within a round, under the same load)."""
    samples = {name: [] for name in cases}
    for run in cases.values():
        run()
    for _ in range(repeat):
        for name, run in cases.items():
            gc.collect()
            start = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def ratio(samples: dict, name: str, floor_name: str) -> float:
    """The median over the rounds of the case's time over the floor's in the same round:
    steadier on a shared machine than a ratio of medians taken a minute apart."""
    pairs = zip(samples[name], samples[floor_name], strict=True)
    return statistics.median(case / floor for case, floor in pairs)


def throughput(url: str, headers: list[dict], total: int) -> float:
    """Requests per second: len(headers) threads, each after one request of its own,
    released together, `total` requests."""
    each = total // len(headers)
    start_line = threading.Barrier(len(headers) + 1)
    failures = []

    def run(header):
        client = Client()
        try:
            # Steady state: the thread's database connection open, its key's last use noted
            # (a write at most once a minute per key), before the clock starts.
            client.get(url, **header)
            start_line.wait()
            for _ in range(each):
                status = client.get(url, **header).status_code
                if status != 200:
                    failures.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(header,)) for header in headers]
    for thread in threads:
        thread.start()
    start_line.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    if failures:
        raise SystemExit(f"GET {url}: {len(failures)} answers not 200, e.g. {failures[0]}")
    return each * len(headers) / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    args.clients = max(1, min(args.clients, 100))
    args.requests = max(args.clients, min(args.requests, 10_000))

    settings.API_KEY_RATE = None  # the throttle off: this measures the API, not the limit
    with throwaway_database("bench"):
        assets_create(args.rows, random.Random(2026))
        if connection.vendor == "postgresql":
            # Statistics and the visibility map as autovacuum keeps them on a live database:
            # without statistics the planner takes 10,000 fresh rows for 3 and sorts the
            # joined rows for every page; without the map no index-only scan (the count).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        # What is loaded stays out of the collector's reach, as in gunicorn's workers
        # (gunicorn.conf.py, pre_fork): for the floors and the API alike.
        gc.collect()
        gc.freeze()
        secrets = [api_key_make("public")[1] for _ in range(args.clients)]
        headers = [{"HTTP_AUTHORIZATION": f"Bearer {secret}"} for secret in secrets]
        client = Client()
        published, pages = every_page(client, "/api/v1/assets/", headers[0], "results")
        floor_rows = full_floor()
        if floor_rows != published:
            raise SystemExit(f"the floor reads {floor_rows} rows, the API {published}")
        list_name = f"GET /api/v1/assets/ all {pages} pages"
        geojson_name = f"GET /api/v1/assets/geojson/ all {pages} pages"
        # Each endpoint right after its floor, so that a round's ratio is of neighbours.
        cases = {
            LIST_FLOOR: full_floor,
            list_name: lambda: every_page(client, "/api/v1/assets/", headers[0], "results"),
            GEOJSON_FLOOR: lambda: full_floor(geojson=True),
            geojson_name: lambda: every_page(
                client, "/api/v1/assets/geojson/", headers[0], "features"
            ),
            LAYER_FLOOR: floor,
        }
        samples = timed(cases, args.repeat)
        medians = {name: statistics.median(times) for name, times in samples.items()}
        rates = {
            "GET /api/v1/assets/ (first page, 50 rows)": throughput(
                "/api/v1/assets/", headers, args.requests
            ),
            "GET /api/v1/assets/geojson/ (first page)": throughput(
                "/api/v1/assets/geojson/", headers, args.requests
            ),
            "GET /healthz": throughput("/healthz", headers, args.requests),
        }

    print(
        f"\nPartner API: {published:,} published assets (+ some the API leaves out), "
        f"{connection.vendor}, median of {args.repeat} runs\n"
    )
    print(f"{'case':<52}{'median ms':>11}")
    for name, ms in medians.items():
        print(f"{name:<52}{ms:>11.1f}")
    print(
        f"\n{'requests per second, ' + str(args.clients) + ' clients with keys':<52}"
        f"{'req/s':>11}{'of /healthz':>13}"
    )
    for name, rate in rates.items():
        print(f"{name:<52}{rate:>11.0f}{rate / rates['GET /healthz']:>13.0%}")

    # Each endpoint against the floor of its own format; then, for comparison, against the
    # list's floor and the map layer's (no target).
    checks = [
        ("GET /api/v1/assets/ / its floor", ratio(samples, list_name, LIST_FLOOR)),
        ("GET /api/v1/assets/geojson/ / its floor", ratio(samples, geojson_name, GEOJSON_FLOOR)),
    ]
    heading = f"target: ≤ {TARGET_FLOOR_RATIO:g}× the floor, median of the rounds' ratios"
    print(f"\n{heading:<63}{'ratio':>6}  result")
    for label, value in checks:
        verdict = "PASS" if value <= TARGET_FLOOR_RATIO else "MISS"
        print(f"{label:<63}{value:>5.2f}×  {verdict}")
    print("for comparison (no target):")
    for label, name, floor_name in [
        ("GET /api/v1/assets/geojson/ / the list's floor", geojson_name, LIST_FLOOR),
        ("GET /api/v1/assets/ / map-layer floor", list_name, LAYER_FLOOR),
        ("GET /api/v1/assets/geojson/ / map-layer floor", geojson_name, LAYER_FLOOR),
    ]:
        print(f"{label:<63}{ratio(samples, name, floor_name):>5.2f}×")
    passed = all(value <= TARGET_FLOOR_RATIO for _label, value in checks)
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
