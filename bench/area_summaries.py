"""Benchmark: area summaries for all of Wales, against their floor (the same aggregates written
straight in SQL), as DESIGN §9 and the indicators issue ask.

    .venv/bin/python bench/area_summaries.py [--assets 100000] [--barriers 5000] [--strict]

Makes a throwaway database (bench/throwaway.py), loads all of Wales (22 local authorities,
410 MSOAs, 1,909 LSOAs), creates the assets (varied categories, costs and "welcoming to") and
barriers at random points in Wales and assigns their areas, then measures: a full recompute
(`area_summaries_compute()`: every summary and computed indicator written) with its peak
memory; the floor (the GROUP BY queries alone, rows fetched, nothing written); and one asset
changed and its LSOA, MSOA, local authority and site recomputed, as the change outbox's drain
does (median of 20). The test site is the changed asset's MSOA: its assets belong to the site,
as do the barriers. The tables are analysed once the data is made (as autovacuum would soon
do), so the planner knows their size. SQLite by default; PostgreSQL when DATABASE_URL is set.
With --strict, a missed target exits with status 1.
"""

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from unittest import mock

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

import numpy as np  # noqa: E402
from areas import points_in_wales  # noqa: E402
from django.db import connection  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

from assets.demo import wales_load  # noqa: E402
from assets.models import (  # noqa: E402
    Area,
    AreaLevel,
    Asset,
    AssetCategory,
    AssetSource,
    AssetStatus,
    Domain,
)
from assets.services.areas import areas_assign  # noqa: E402
from core.models import Site  # noqa: E402
from indicators.summaries import area_summaries_compute  # noqa: E402
from workshops.models import Barrier, BarrierKind  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_MB = 300
TARGET_ONE_MS = 100.0
COSTS = ["free", "low", "paid", ""]
WELCOMING = [[], ["sanctuary"], ["women", "families"], ["sanctuary", "tenants"]]


def data_create(assets: int, barriers: int, rng: np.random.Generator) -> None:
    categories = list(AssetCategory.objects.exclude(domain=Domain.INDIVIDUAL))
    points = points_in_wales(assets + barriers, rng)
    picks = rng.integers(0, 1_000_000, size=(assets + barriers, 3)).tolist()
    Asset.objects.bulk_create(
        (
            Asset(
                name=f"Asset {n}",
                category=(category := categories[pick[0] % len(categories)]),
                domain=category.domain,
                geometry={"type": "Point", "coordinates": [lng, lat]},
                latitude=lat,
                longitude=lng,
                cost=COSTS[pick[1] % len(COSTS)],
                welcoming_to=WELCOMING[pick[2] % len(WELCOMING)],
                status=AssetStatus.PUBLISHED,
                source=AssetSource.IMPORT,
            )
            for n, ((lat, lng), pick) in enumerate(
                zip(points[:assets].tolist(), picks[:assets], strict=True)
            )
        ),
        batch_size=2000,
    )
    kinds = list(BarrierKind.values)
    site = Site.objects.get_or_create(slug="bench", defaults={"name_en": "Bench"})[0]
    Barrier.objects.bulk_create(
        (
            Barrier(title=f"Barrier {n}", kind=kinds[pick[0] % len(kinds)], affects="both",
                    geometry={"type": "Point", "coordinates": [lng, lat]},
                    latitude=lat, longitude=lng, site=site)
            for n, ((lat, lng), pick) in enumerate(
                zip(points[assets:].tolist(), picks[assets:], strict=True)
            )
        ),
        batch_size=2000,
    )  # fmt: skip
    areas_assign(queryset=Asset.objects.all())
    areas_assign(queryset=Barrier.objects.all())
    msoa = Asset.objects.filter(areas__lsoa__isnull=False).order_by("pk").first().areas.msoa
    Asset.objects.filter(areas__msoa=msoa).update(site=site)
    Area.objects.create(code="BENCH-SITE", name_en="Bench", level=AreaLevel.SITE, site=site)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def full() -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    written = area_summaries_compute()
    return time.perf_counter() - start, written


def full_peak_mb() -> float:
    gc.collect()
    tracemalloc.start()
    area_summaries_compute()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _group_bys(cursor, column: str, only: int | None = None) -> None:
    """The summaries' aggregates for one level in plain SQL, every row fetched; with `only`,
    for that one area (or site) alone. `column` is an areas table's (a.lsoa_id) or the row's
    own (site_id)."""
    assets, barriers = Asset._meta.db_table, Barrier._meta.db_table
    asset_areas = Asset._meta.get_field("areas").related_model._meta.db_table
    barrier_areas = Barrier._meta.get_field("areas").related_model._meta.db_table
    where = f"{column} IS NOT NULL" if only is None else f"{column} = {int(only)}"
    joined = f"{assets} JOIN {asset_areas} a ON a.asset_id = {assets}.id"
    cursor.execute(
        f"SELECT {column}, COUNT(*), SUM(CASE WHEN cost <> '' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN cost IN ('free', 'low') THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN CAST(welcoming_to AS TEXT) LIKE '%\"sanctuary\"%' "
        f"THEN 1 ELSE 0 END) "
        f"FROM {joined} WHERE status = 'published' AND {where} GROUP BY {column}"
    )  # fmt: skip
    cursor.fetchall()
    cursor.execute(
        f"SELECT {column}, domain, category_id, COUNT(*) FROM {joined} "
        f"WHERE status = 'published' AND {where} GROUP BY {column}, domain, category_id"
    )
    cursor.fetchall()
    cursor.execute(
        f"SELECT {column}, kind, COUNT(*) FROM {barriers} "
        f"JOIN {barrier_areas} a ON a.barrier_id = {barriers}.id "
        f"WHERE {where} GROUP BY {column}, kind"
    )
    cursor.fetchall()


def floor() -> float:
    """The same aggregates as plain SQL, every row fetched: the database's own floor."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for column in ("a.lsoa_id", "a.msoa_id", "a.local_authority_id"):
            _group_bys(cursor, column)
    return time.perf_counter() - start


def one_reference(repeat: int = 20) -> float:
    """Milliseconds (median) for the same GROUP BYs in plain SQL for the changed asset's
    LSOA, MSOA, local authority and site alone, rows fetched, nothing written: what counting
    each of its areas afresh costs the database, under the same load as one_changed."""
    asset = Asset.objects.filter(areas__lsoa__isnull=False).order_by("pk").first()
    areas = [
        ("a.lsoa_id", asset.areas.lsoa_id),
        ("a.msoa_id", asset.areas.msoa_id),
        ("a.local_authority_id", asset.areas.local_authority_id),
        ("site_id", asset.site_id),
    ]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for column, pk in areas:
                _group_bys(cursor, column, pk)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def one_changed(repeat: int = 20) -> float:
    """Milliseconds (median) to recompute the three areas and the site of one changed asset."""
    asset = Asset.objects.filter(areas__lsoa__isnull=False).order_by("pk").first()
    areas = asset.areas.ids
    times = []
    for n in range(repeat):
        Asset.objects.filter(pk=asset.pk).update(cost=COSTS[n % len(COSTS)])
        start = time.perf_counter()
        area_summaries_compute(area_ids=areas, site_ids=[asset.site_id])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--barriers", type=int, default=5_000)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    # What is measured is called here; the drain the setup's writes queue is left out.
    with throwaway_database("bench_summaries"), mock.patch("core.changes.changes_drain_schedule"):
        loaded = wales_load()
        data_create(args.assets, args.barriers, np.random.default_rng(2026))
        seconds, written = full()
        peak_mb = full_peak_mb()
        floor_seconds = floor()
        one_ms = one_changed()
        reference_ms = one_reference()

    print(f"{connection.vendor}: {loaded}; {args.assets:,} assets, {args.barriers:,} barriers\n")
    print(f"{'case':<56}{'measured':>12}")
    print(f"{'full recompute: ' + f'{written:,} areas written':<56}{seconds:>10.2f} s")
    print(f"{'  peak Python memory during it (tracemalloc)':<56}{peak_mb:>9.0f} MB")
    print(f"{'floor: the same GROUP BYs in plain SQL, rows fetched':<56}{floor_seconds:>10.2f} s")
    print(f"{'one asset changed: its LSOA, MSOA, LA, site and Wales':<56}{one_ms:>9.1f} ms")
    label = "  reference: its four areas' GROUP BYs in plain SQL"
    print(f"{label:<56}{reference_ms:>9.1f} ms")
    checks = [
        (
            f"full recompute under {TARGET_SECONDS:g} s",
            f"{seconds:.2f} s",
            seconds < TARGET_SECONDS,
        ),
        (f"peak memory under {TARGET_MB} MB", f"{peak_mb:.0f} MB", peak_mb < TARGET_MB),
        (f"one change under {TARGET_ONE_MS:g} ms", f"{one_ms:.1f} ms", one_ms < TARGET_ONE_MS),
    ]
    print(f"\n{'target (DESIGN §9)':<44}{'measured':>12}  result")
    for label, measured, passed in checks:
        print(f"{label:<44}{measured:>12}  {'PASS' if passed else 'MISS'}")
    return 1 if args.strict and not all(passed for *_, passed in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
