"""Benchmark: assigning assets to their LSOA, MSOA and local authority at the scale of all of
Wales, against its floor (the bare shapely STRtree query), as DESIGN §9 asks.

    .venv/bin/python bench/areas.py [--rows 100000] [--strict]

Makes a throwaway test database (as bench/map_layer.py does: its own name, dropped at the end),
loads all of Wales (22 local authorities, 410 MSOAs, 1,909 LSOAs, from
assets/data/boundaries/wales) through the import service, creates `rows` assets at random points
in Wales without their areas, then measures `areas_assign` over all of them (the in-memory index
built from the database, the vectorised look-up, the writes), its peak memory, the floor (the
same points through a ready STRtree, nothing else), and one asset re-assigned. SQLite by default;
PostgreSQL when DATABASE_URL is set. With --strict, a missed target exits with status 1.
"""

import argparse
import gc
import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from shapely import STRtree  # noqa: E402
from shapely.geometry import shape  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

from assets.demo import wales_load  # noqa: E402
from assets.geo import area_index_reset, wales_outline  # noqa: E402
from assets.models import (  # noqa: E402
    Area,
    AreaLevel,
    Asset,
    AssetAreas,
    AssetCategory,
    AssetSource,
    AssetStatus,
    Domain,
)
from assets.services.areas import areas_assign  # noqa: E402

TARGET_SECONDS = 3.0
TARGET_MB = 300
TARGET_ONE_MS = 10.0


def points_in_wales(rows: int, rng: np.random.Generator) -> np.ndarray:
    """`rows` (latitude, longitude) pairs uniformly at random inside the Wales outline."""
    outline = wales_outline()
    west, south, east, north = outline.bounds
    found = np.empty((0, 2))
    while len(found) < rows:
        lng = rng.uniform(west, east, rows)
        lat = rng.uniform(south, north, rows)
        inside = shapely.contains_xy(outline, lng, lat)
        found = np.vstack([found, np.column_stack([lat[inside], lng[inside]])])
    return np.round(found[:rows], 6)


def assets_create(points: np.ndarray) -> None:
    category = AssetCategory.objects.exclude(domain=Domain.INDIVIDUAL).first()
    Asset.objects.bulk_create(
        (
            Asset(
                name=f"Asset {n}",
                category=category,
                domain=category.domain,
                geometry={"type": "Point", "coordinates": [lng, lat]},
                latitude=lat,
                longitude=lng,
                status=AssetStatus.PUBLISHED,
                source=AssetSource.IMPORT,
            )
            for n, (lat, lng) in enumerate(points.tolist())
        ),
        batch_size=2000,
    )


def areas_clear() -> None:
    """Clear every asset's areas (untimed: their rows deleted), then vacuum on PostgreSQL, so
    each timed bulk write starts from the same table state."""
    with transaction.atomic():
        AssetAreas.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {AssetAreas._meta.db_table}")


def assign_all() -> tuple[float, int]:
    """A cold run: the index built from the database, every asset looked up and written."""
    area_index_reset()
    areas_clear()
    gc.collect()
    start = time.perf_counter()
    changed = areas_assign(queryset=Asset.objects.all())
    return time.perf_counter() - start, changed


def write_floor() -> float:
    """The end state areas_assign left, written again into the emptied areas table by the
    fastest plain SQL (PostgreSQL: COPY straight into it; SQLite: one prepared INSERT per
    row), with its commit; returns its seconds."""
    rows = list(
        AssetAreas.objects.order_by().values_list("pk", "lsoa_id", "msoa_id", "local_authority_id")
    )
    areas_clear()
    table = AssetAreas._meta.db_table
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            text = "".join(f"{pk}\t{lsoa}\t{msoa}\t{la}\n" for pk, lsoa, msoa, la in rows)
            cursor.copy_expert(
                f"COPY {table} (asset_id, lsoa_id, msoa_id, local_authority_id) FROM STDIN",
                io.StringIO(text),
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (asset_id, lsoa_id, msoa_id, local_authority_id) "
                "VALUES (%s, %s, %s, %s)",
                rows,
            )
    return time.perf_counter() - start


def assign_all_peak_mb() -> float:
    area_index_reset()
    areas_clear()
    gc.collect()
    tracemalloc.start()
    areas_assign(queryset=Asset.objects.all())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def floor(points: np.ndarray) -> tuple[float, float]:
    """The geometry alone: the STRtree built from the LSOA boundaries, then the 100,000
    points queried; returns (build seconds, query seconds)."""
    boundaries = list(Area.objects.filter(level=AreaLevel.LSOA).values_list("boundary", flat=True))
    start = time.perf_counter()
    tree = STRtree([shape(boundary) for boundary in boundaries])
    built = time.perf_counter()
    tree.query(shapely.points(points[:, 1], points[:, 0]), predicate="within")
    return built - start, time.perf_counter() - built


def one_reassigned(points: np.ndarray, *, own_commit: bool, repeat: int = 50) -> float:
    """Milliseconds (median) to re-assign one asset moved to another point, index warm: as
    saving an asset does it (inside the transaction that saves it), or on its own, which
    adds the database's commit (an fsync on SQLite)."""
    asset = Asset.objects.order_by("pk").first()
    times = []
    for n in range(repeat):
        lat, lng = points[n % len(points)]
        Asset.objects.filter(pk=asset.pk).update(latitude=lat, longitude=lng)
        with nullcontext() if own_commit else transaction.atomic():
            start = time.perf_counter()
            areas_assign(ids=[asset.pk])
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    # The summaries' drain is a worker's job, seconds later (see the docstring).
    with throwaway_database("bench_areas"), mock.patch("core.changes.changes_drain_schedule"):
        start = time.perf_counter()
        loaded = wales_load()
        load_seconds = time.perf_counter() - start
        points = points_in_wales(args.rows, np.random.default_rng(2026))
        assets_create(points)
        seconds, changed = assign_all()
        floor_write = write_floor()
        peak_mb = assign_all_peak_mb()
        build, query = floor(points)
        one_ms = one_reassigned(points[1:], own_commit=False)
        one_commit_ms = one_reassigned(points[1:], own_commit=True)
        placed = Asset.objects.filter(areas__lsoa__isnull=False).count()
        complete = Asset.objects.filter(
            areas__lsoa__isnull=False,
            areas__msoa__isnull=False,
            areas__local_authority__isnull=False,
        ).count()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{connection.vendor}: {loaded}; imported in {load_seconds:.1f} s")
    print(f"{args.rows:,} assets at random points in Wales: {changed:,} assigned, {placed:,} in an")
    print(f"LSOA ({complete:,} with LSOA, MSOA and local authority; the rest fall in the gaps of")
    print("the generalised boundaries, on the coast)\n")
    print(f"{'case':<52}{'measured':>12}")
    print(f"{'areas_assign, all assets (index build + look-up + write)':<52}{seconds:>10.2f} s")
    print(f"{'  peak Python memory during it (tracemalloc)':<52}{peak_mb:>9.0f} MB")
    print(f"{'floor: STRtree built from the LSOAs':<52}{build:>10.2f} s")
    print(f"{'floor: the points queried, predicate=within':<52}{query:>10.2f} s")
    print(f"{'floor: the same end state by plain SQL + commit':<52}{floor_write:>10.2f} s")
    print(f"{'floor: the three together':<52}{build + query + floor_write:>10.2f} s")
    print(f"{'one asset re-assigned, in the saving transaction':<52}{one_ms:>9.1f} ms")
    print(f"{'one asset re-assigned, with a commit of its own':<52}{one_commit_ms:>9.1f} ms")
    print(f"{'process peak RSS, whole run (incl. loading)':<52}{rss_mb:>9.0f} MB")
    checks = [
        (f"all assigned under {TARGET_SECONDS:g} s", f"{seconds:.2f} s", seconds < TARGET_SECONDS),
        (f"peak memory under {TARGET_MB} MB", f"{peak_mb:.0f} MB", peak_mb < TARGET_MB),
        (f"one re-assigned under {TARGET_ONE_MS:g} ms", f"{one_ms:.1f} ms", one_ms < TARGET_ONE_MS),
    ]
    print(f"\n{'target (DESIGN §9)':<44}{'measured':>12}  result")
    for label, measured, passed in checks:
        print(f"{label:<44}{measured:>12}  {'PASS' if passed else 'MISS'}")
    return 1 if args.strict and not all(passed for *_, passed in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
