"""Benchmark: the map layer against its floor and a plain DRF serializer (DESIGN §9).

    .venv/bin/python bench/map_layer.py [--rows 10000] [--repeat 20] [--strict]

Makes a throwaway test database (Django's test-database machinery, under its own name, so
neither the dev database nor a running pytest's is touched), fills it with published assets
at random points in the Townhill and Mayhill site, and times, side by side in one run:
the layer selector, the layer URL through the test client, the same rows fetched with raw
SQL and encoded with orjson (the floor), and a plain DRF ModelSerializer giving the same
GeoJSON in the same order. Then, through the URL as the map asks for it: the bytes on the
wire (raw, gzip, Brotli, Zstandard) of the first view and of every point, and the time of a
request the cache answers beside one it does not. SQLite by default; PostgreSQL when
DATABASE_URL is set. With --strict, a missed target exits with status 1.
"""

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

import orjson  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
)
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework import serializers  # noqa: E402
from rest_framework.renderers import JSONRenderer  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

from assets.maps import published_changed  # noqa: E402
from assets.models import (  # noqa: E402
    Asset,
    AssetCategory,
    AssetSource,
    AssetStatus,
    Cost,
    Domain,
    WelcomingTo,
)
from assets.selectors import map_layer  # noqa: E402
from core.languages import CODES  # noqa: E402

SITE_BBOX = (-3.9794, 51.6082, -3.9282, 51.6348)  # west, south, east, north
FLOOR_SQL = (
    "SELECT id, name, domain, longitude, latitude FROM assets_asset "
    "WHERE status='published' AND latitude IS NOT NULL"
)
WORDS = ["Townhill", "Mayhill", "Gors", "Graig", "Waun Wen", "Mount Pleasant", "Community"]
TARGET_MS = 300
TARGET_FLOOR_RATIO = 2.0
TARGET_SERIALIZER_RATIO = 4.0
TARGET_FIRST_VIEW_BYTES = 250 * 1024  # gzip, issue 15
# The map's first view: the site fitted to a desktop map (zoom 14) and to a phone's (zoom 13).
FIRST_VIEWS = {"first view, desktop (zoom 14)": 14, "first view, phone (zoom 13)": 13}
CODINGS = ["identity", "gzip", "br", "zstd"]


class AssetFeatureSerializer(serializers.ModelSerializer):
    """A plain DRF serializer of the layer's own GeoJSON Feature (type, id, a Point, name and
    domain): the same output as the layer, so the comparison is like for like."""

    type = serializers.SerializerMethodField()
    geometry = serializers.SerializerMethodField()
    properties = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["type", "id", "geometry", "properties"]

    def get_type(self, _asset) -> str:
        return "Feature"

    def get_geometry(self, asset) -> dict:
        return {"type": "Point", "coordinates": [asset.longitude, asset.latitude]}

    def get_properties(self, asset) -> dict:
        return {"name": asset.name, "domain": asset.domain}


def assets_create(rows: int, rng: random.Random) -> int:
    """`rows` published assets at random points in the site, across the categories of the two
    place-based domains, plus some rows the layer must leave out (people's skills, which have
    no place, and submissions waiting for moderation)."""
    located = list(AssetCategory.objects.exclude(domain=Domain.INDIVIDUAL))
    individual = list(AssetCategory.objects.filter(domain=Domain.INDIVIDUAL))
    assets = [_asset(rng, rng.choice(located), n) for n in range(rows)]
    assets += [_asset(rng, rng.choice(individual), n, located=False) for n in range(rows // 10)]
    assets += [_asset(rng, rng.choice(located), n, published=False) for n in range(rows // 20)]
    Asset.objects.bulk_create(assets, batch_size=1000)
    return len(assets) - rows


def _asset(rng, category, n: int, *, located: bool = True, published: bool = True) -> Asset:
    west, south, east, north = SITE_BBOX
    lat, lng = (round(rng.uniform(south, north), 6), round(rng.uniform(west, east), 6))
    return Asset(
        name=f"{rng.choice(WORDS)} {category.name_en} {n}",
        description="A place, group or skill found at a workshop. " * rng.randint(1, 4),
        category=category,
        domain=category.domain,
        geometry={"type": "Point", "coordinates": [lng, lat]} if located else None,
        latitude=lat if located else None,
        longitude=lng if located else None,
        address="Townhill Road, Swansea" if located else "",
        opening_times="Monday to Friday 9am–5pm",
        cost=rng.choice(Cost.values),
        languages=rng.sample(sorted(CODES), 3),
        welcoming_to=rng.sample(WelcomingTo.values, 2),
        status=AssetStatus.PUBLISHED if published else AssetStatus.SUBMITTED,
        source=AssetSource.IMPORT,
        last_verified_on=timezone.localdate(),
        published_at=timezone.now() if published else None,
    )


def layer() -> bytes:
    return map_layer(Asset.objects.published())


def floor() -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL)
        rows = cursor.fetchall()
    return orjson.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": pk,
                    "geometry": {"type": "Point", "coordinates": [lng, lat]},
                    "properties": {"name": name, "domain": domain},
                }
                for pk, name, domain, lng, lat in rows
            ],
        }
    )


def _serializer_rows():
    # The layer's rows in the layer's order (assets.maps.point_layer: no ORDER BY), not the
    # model's default ordering by name, which would make the baseline sort as well.
    return (
        Asset.objects.published().filter(latitude__isnull=False, longitude__isnull=False).order_by()
    )


def _collection(rows) -> bytes:
    features = AssetFeatureSerializer(rows, many=True).data
    return JSONRenderer().render({"type": "FeatureCollection", "features": features})


def plain_serializer() -> bytes:
    return _collection(_serializer_rows())


def plain_serializer_only() -> bytes:
    # The same, fetching only its five columns: without the other columns (three of them JSON,
    # decoded row by row) to load, it is the harder baseline to beat.
    return _collection(_serializer_rows().only("id", "name", "domain", "latitude", "longitude"))


def same_output() -> bool:
    """The baseline gives exactly the layer's GeoJSON, feature by feature, in the same order."""
    return json.loads(plain_serializer()) == json.loads(layer())


def url_cases() -> tuple[dict, str]:
    """The layer through the test client, anonymous and signed in, if the URL exists yet."""
    try:
        url = reverse("assets:asset-layer")
    except NoReverseMatch:
        return {}, "skipped: no URL named asset-layer yet"
    user = get_user_model().objects.create_user(username="bench-coordinator")
    user.groups.add(Group.objects.get(name="coordinator"))
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(user, backend="core.backends.RoleBackend")
    return {
        f"GET {url} (anonymous)": lambda: _get(anonymous, url),
        f"GET {url} (coordinator)": lambda: _get(signed_in, url),
    }, ""


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response.content


def measure(cases: dict, repeat: int) -> dict:
    """Time every case `repeat` times, taking turns so drift affects them alike; then count
    each one's queries and bytes in an untimed run."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for run in cases.values():
        run()  # warm up caches and connections
    for _ in range(repeat):
        for name, run in cases.items():
            gc.collect()  # not the previous case's garbage: each pays for its own
            start = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - start) * 1000)
    results = {}
    for name, run in cases.items():
        with CaptureQueriesContext(connection) as queries:
            size = len(run())
        results[name] = {
            "median": statistics.median(samples[name]),
            "p95": statistics.quantiles(samples[name], n=20, method="inclusive")[18],
            "bytes": size,
            "queries": len(queries),
        }
    return results


def _layer_get(client: Client, params: dict, coding: str) -> bytes:
    response = client.get(reverse("assets:asset-layer"), params, HTTP_ACCEPT_ENCODING=coding)
    if response.status_code != 200:
        raise SystemExit(f"GET layer {params} answered {response.status_code}")
    return response.content


def _views() -> dict[str, dict]:
    bbox = ",".join(str(n) for n in SITE_BBOX)
    views = {name: {"bbox": bbox, "zoom": zoom} for name, zoom in FIRST_VIEWS.items()}
    # A desktop map (640 × 448 px) zoomed in to MAP_POINTS_ZOOM at the middle of the site.
    west, south, east, north = SITE_BBOX
    lng, lat = (west + east) / 2, (south + north) / 2
    half_w, half_h = 0.01373 / 2, 0.00597 / 2
    close = f"{lng - half_w},{lat - half_h},{lng + half_w},{lat + half_h}"
    zoomed = {"zoomed in, desktop (zoom 16, points)": {"bbox": close, "zoom": 16}}
    return views | zoomed | {"every point (no zoom)": {}}


def wire_sizes() -> dict[str, dict[str, int]]:
    """Bytes of each view's body on the wire, per coding, through the compression middleware."""
    client = Client()
    return {
        name: {coding: len(_layer_get(client, params, coding)) for coding in CODINGS}
        for name, params in _views().items()
    }


def cached_vs_uncached(repeat: int) -> dict[str, tuple[float, float]]:
    """Median ms of a gzip request the cache cannot answer (the published assets' version
    bumped just before, outside the timing) and of the same request answered from the cache."""
    client, results = Client(), {}
    for name, params in _views().items():
        cold, warm = [], []
        for _ in range(repeat):
            published_changed()
            gc.collect()
            start = time.perf_counter()
            _layer_get(client, params, "gzip")
            cold.append((time.perf_counter() - start) * 1000)
            gc.collect()
            start = time.perf_counter()
            _layer_get(client, params, "gzip")
            warm.append((time.perf_counter() - start) * 1000)
        results[name] = (statistics.median(cold), statistics.median(warm))
    return results


def layer_queries_constant() -> tuple[int, int]:
    """Queries for the whole layer and for the western half of the site: equal if constant."""
    west, south, east, north = SITE_BBOX
    half = Asset.objects.published().in_bbox(west, south, (west + east) / 2, north)
    counts = []
    for assets in (Asset.objects.published(), half):
        with CaptureQueriesContext(connection) as queries:
            map_layer(assets)
        counts.append(len(queries))
    return counts[0], counts[1]


def report_wire(sizes: dict, timings: dict) -> list[tuple[str, str, bool]]:
    print(
        f"\n{'wire: bytes of the layer as the map asks':<44}" + "".join(f"{c:>11}" for c in CODINGS)
    )
    for name, by_coding in sizes.items():
        print(f"{name:<44}" + "".join(f"{by_coding[c]:>11,}" for c in CODINGS))
    print(f"\n{'served: gzip, median ms':<44}{'uncached':>11}{'cached':>11}{'ratio':>11}")
    for name, (cold, warm) in timings.items():
        print(f"{name:<44}{cold:>11.1f}{warm:>11.1f}{cold / warm:>10.1f}×")
    first = max(sizes[name]["gzip"] for name in FIRST_VIEWS)
    return [
        (
            f"first view, gzip, under {TARGET_FIRST_VIEW_BYTES // 1024} KB",
            f"{first / 1024:.1f} KB",
            first < TARGET_FIRST_VIEW_BYTES,
        )
    ]


def report(
    results: dict, rows: int, others: int, repeat: int, note: str, extra: list
) -> list[bool]:
    print(
        f"\nMap layer: {rows:,} published assets with a place (+{others:,} the layer leaves "
        f"out), {connection.vendor}, {repeat} runs each\n"
    )
    print(f"{'case':<44}{'median ms':>11}{'p95 ms':>10}{'bytes':>12}{'queries':>9}")
    for name, r in results.items():
        print(f"{name:<44}{r['median']:>11.1f}{r['p95']:>10.1f}{r['bytes']:>12,}{r['queries']:>9}")
    if note:
        print(f"{'GET asset-layer':<44}{note}")
    layer_ms = results["layer: map_layer()"]["median"]
    floor_ratio = layer_ms / results["floor: raw SQL + orjson"]["median"]
    serializer_ratio = results["plain DRF ModelSerializer"]["median"] / layer_ms
    only_ratio = results["plain DRF ModelSerializer, .only(5 fields)"]["median"] / layer_ms
    whole, half = layer_queries_constant()
    checks = [
        (f"layer median under {TARGET_MS} ms", f"{layer_ms:.0f} ms", layer_ms < TARGET_MS),
        (
            f"layer / floor ≤ {TARGET_FLOOR_RATIO:g}×",
            f"{floor_ratio:.2f}×",
            floor_ratio <= TARGET_FLOOR_RATIO,
        ),
        (
            f"serializer / layer ≥ {TARGET_SERIALIZER_RATIO:g}×",
            f"{serializer_ratio:.2f}×",
            serializer_ratio >= TARGET_SERIALIZER_RATIO,
        ),
        (
            f"serializer .only() / layer ≥ {TARGET_SERIALIZER_RATIO:g}×",
            f"{only_ratio:.2f}×",
            only_ratio >= TARGET_SERIALIZER_RATIO,
        ),
        ("constant queries (whole site vs half)", f"{whole} vs {half}", whole == half),
        ("DRF baseline: the layer's GeoJSON, same order", "", same_output()),
        *extra,
    ]
    print(f"\n{'target (DESIGN §9)':<44}{'measured':>12}  result")
    for label, measured, passed in checks:
        print(f"{label:<44}{measured:>12}  {'PASS' if passed else 'MISS'}")
    return [passed for _label, _measured, passed in checks]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    with throwaway_database("bench"):
        others = assets_create(args.rows, random.Random(2026))
        published_changed()  # as the services do: a layer cached before is never served
        if connection.vendor == "postgresql":  # as autovacuum would after so many inserts
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE assets_asset")
        web, note = url_cases()
        cases = {
            "layer: map_layer()": layer,
            **web,
            "floor: raw SQL + orjson": floor,
            "plain DRF ModelSerializer": plain_serializer,
            "plain DRF ModelSerializer, .only(5 fields)": plain_serializer_only,
        }
        wire = report_wire(wire_sizes(), cached_vs_uncached(args.repeat))
        passed = report(measure(cases, args.repeat), args.rows, others, args.repeat, note, wire)
    return 1 if args.strict and not all(passed) else 0


if __name__ == "__main__":
    sys.exit(main())
