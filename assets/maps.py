"""What every map in the project shares: the base map's settings and the outlines it falls back
on, the bounding box a map asks for, the lean point layer it draws (assets, barriers), the grid
of counts it draws when zoomed out, the settings of the point picker in forms and of a single
place's map."""

import math

import orjson
import shapely
from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, F, FloatField, Max, Min, QuerySet, Value
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

from assets.geo import area_index, area_version, outlines_cache_keys
from assets.models import Area, AreaLevel, Asset, AssetCategory, AssetStatus, Domain
from core.versions import version_bump

# The fallback outlines are simplified to about 20 m (plenty at a street map's zoom: a site and
# its LSOAs then weigh a few kilobytes) and cached until the boundaries change (an hour at most).
CONTEXT_TOLERANCE = 0.0002
CONTEXT_PRECISION = 0.00001
CONTEXT_SECONDS = 3600
TILES_OFF = ("", "none")

# The version of what the published layer shows (core.versions): bumped by every service
# that publishes, edits, merges, archives, moves or erases published assets or what the map's
# filters read (endorsements, categories, areas).
LAYER_VERSION = "assets:published"
# A grid cell is about this many screen pixels wide at the zoom it is drawn for (a map tile
# is 256 pixels wide, and 360° / 2**zoom of longitude).
CELL_PIXELS = 64


def published_changed() -> None:
    """Published assets changed: call inside the transaction that changed them, so that the
    cached layer is rebuilt on its next request (assets.selectors.layer_cached)."""
    version_bump(LAYER_VERSION)


def cell_degrees(zoom: int) -> float:
    """The side of a grid cell at `zoom`, in degrees."""
    return 360.0 / 2**zoom * CELL_PIXELS / 256


def bbox_snap(bbox: tuple[float, float, float, float], zoom: int) -> tuple[float, ...]:
    """The box grown outwards to whole cells of `zoom`'s grid (anchored at -180, -90), so that
    nearby views ask for the same box (one cache entry) and every cell in it is whole."""
    size = cell_degrees(zoom)
    west, south, east, north = bbox
    snapped = (
        math.floor((west + 180) / size) * size - 180,
        math.floor((south + 90) / size) * size - 90,
        math.ceil((east + 180) / size) * size - 180,
        math.ceil((north + 90) / size) * size - 90,
    )
    return tuple(round(n, 6) for n in snapped)


def bbox_parse(value: str) -> tuple[float, float, float, float] | None:
    """west,south,east,north → four floats, or None when they are not four numbers with west
    ≤ east and south ≤ north. A map zoomed out past the edge of the world asks for more than
    the world: that is clamped to it, not refused."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        return None
    if not all(math.isfinite(n) for n in (west, south, east, north)):
        return None
    if not (west <= east and south <= north):
        return None
    return max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0)


def _properties(names: tuple[str, ...]):
    """row → its properties, for rows of (id, longitude, latitude, *names). A dict display
    for the usual two or three names: zip on every row would double the layer's encoding."""
    if len(names) == 2:
        a, b = names
        return lambda row: {a: row[3], b: row[4]}
    if len(names) == 3:
        a, b, c = names
        return lambda row: {a: row[3], b: row[4], c: row[5]}
    return lambda row: dict(zip(names, row[3:], strict=True))


def point_layer(located: QuerySet, *properties: str) -> bytes:
    """Located rows (assets.models.Located) as lean GeoJSON: a point and the named properties
    per row, nothing else (the rest loads on click). One query with values_list, encoded by
    orjson."""
    rows = (
        located.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("id", "longitude", "latitude", *properties)
    )
    shown = _properties(properties)
    return orjson.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": row[0],
                    "geometry": {"type": "Point", "coordinates": [row[1], row[2]]},
                    "properties": shown(row),
                }
                for row in rows
            ],
        }
    )


def cell_layer(located: QuerySet, zoom: int) -> bytes:
    """Located rows counted per cell of `zoom`'s grid, as GeoJSON: a point per cell at the
    mean of its rows, with `count` and the `bounds` of its rows (for zooming in). One query,
    grouped in SQL (FLOOR works on SQLite and PostgreSQL)."""
    size = Value(cell_degrees(zoom), output_field=FloatField())
    cells = (
        located.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .annotate(
            cell_x=Floor((F("longitude") + 180.0) / size),
            cell_y=Floor((F("latitude") + 90.0) / size),
        )
        .values_list("cell_x", "cell_y")
        .annotate(
            Count("pk"),
            Avg("longitude"),
            Avg("latitude"),
            Min("longitude"),
            Min("latitude"),
            Max("longitude"),
            Max("latitude"),
        )
        .order_by("cell_x", "cell_y")
    )
    return orjson.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": f"cell-{zoom}-{int(x)}-{int(y)}",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(lng, 6), round(lat, 6)],
                    },
                    "properties": {"count": count, "bounds": [west, south, east, north]},
                }
                for x, y, count, lng, lat, west, south, east, north in cells
            ],
        }
    )


def site_boundary() -> dict | None:
    """The test site's outline (GeoJSON) that maps open on, if there is a site."""
    site = Area.objects.filter(level=AreaLevel.SITE).only("boundary").first()
    return site.boundary if site else None


def picker_config() -> dict:
    """What static/js/point-picker.js needs, in the active language."""
    return {
        "site": site_boundary(),
        "individualCategories": list(
            AssetCategory.objects.filter(domain=Domain.INDIVIDUAL).values_list("pk", flat=True)
        ),
        "pinLabel": gettext("The asset's place (drag to move)"),
        "placedLabel": gettext("Pin placed. Drag it to move it."),
        "clearedLabel": gettext("Pin removed."),
        "locatingLabel": gettext("Finding where you are…"),
        "locateFailedLabel": gettext(
            "We could not find your location. Tap the map or type the address instead."
        ),
    }


def basemap_config() -> dict:
    """What static/js/basemap.js needs, in the active language: the tile layer (None when
    switched off), where to fetch the outlines to draw when it cannot load (assets:map-outlines,
    its URL naming the boundaries' version, so a browser keeps them until they change), and
    Leaflet's own words."""
    url = settings.MAP_TILES_URL.strip()
    tiles = None
    if url.lower() not in TILES_OFF:
        attribution = settings.MAP_TILES_ATTRIBUTION or gettext(
            '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
        )
        tiles = {"url": url, "attribution": attribution}
    return {
        "tiles": tiles,
        "contextUrl": f"{reverse('assets:map-outlines')}?v={area_version() or ''}",
        "labels": {
            "zoomIn": gettext("Zoom in"),
            "zoomOut": gettext("Zoom out"),
            "leaflet": gettext("A JavaScript library for interactive maps"),
            "marker": gettext("Marker"),
            "closePopup": gettext("Close popup"),
            "tilesFailed": gettext(
                "The street map could not load. The map shows the project's areas and their "
                "names instead."
            ),
        },
    }


def basemap_script() -> str:
    """basemap_config() as a JSON script element (`basemap-config`), encoded once per
    language and tile settings until the boundaries change (assets.geo.area_version_bump)
    rather than on every page."""
    key = outlines_cache_keys(get_language())[1]
    script = cache.get_or_set(
        key, lambda: str(json_script(basemap_config(), "basemap-config")), CONTEXT_SECONDS
    )
    return mark_safe(script)  # noqa: S308 — json_script's own escaped output


def map_context() -> dict:
    """The outlines a map falls back on when its street map cannot load: every test site and
    the LSOAs inside them, with their names, simplified (GeoJSON). Cached per language until
    the boundaries change (assets.geo.area_version_bump)."""
    key = outlines_cache_keys(get_language())[0]
    return cache.get_or_set(key, _map_context_build, CONTEXT_SECONDS)


def _label_at(geometry) -> list[float]:
    """Where a name goes: inside the largest part (a site may have an island far off its
    middle), as far from its edges as can be, as [latitude, longitude]."""
    parts = getattr(geometry, "geoms", [geometry])
    largest = max(parts, key=lambda part: part.area)
    point = polylabel(largest, tolerance=CONTEXT_PRECISION * 10)
    return [round(point.y, 5), round(point.x, 5)]


def _outline(kind: str, name: str, geometry) -> dict:
    drawn = shapely.set_precision(
        shapely.simplify(geometry, CONTEXT_TOLERANCE, preserve_topology=True), CONTEXT_PRECISION
    )
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": name, "label": _label_at(geometry)},
        "geometry": mapping(drawn),
    }


def _map_context_build() -> dict:
    sites = list(Area.objects.filter(level=AreaLevel.SITE).exclude(boundary=None))
    features = [_outline("site", site.name, shape(site.boundary)) for site in sites]
    index = area_index() if sites else None
    if index is not None and len(index.lsoa_ids):
        within = shapely.union_all([shape(site.boundary) for site in sites])
        hits = index.tree.query(within, predicate="intersects")
        # Inside a site: an LSOA whose own inner point is (not one that merely touches it).
        inside = hits[shapely.contains(within, shapely.point_on_surface(index.boundaries[hits]))]
        lsoas = Area.objects.filter(pk__in=index.lsoa_ids[inside].tolist())
        names = {area.pk: area.name for area in lsoas.only("pk", "name_en", "name_cy")}
        features += [
            _outline("lsoa", names.get(pk, ""), geometry)
            for pk, geometry in zip(index.lsoa_ids[inside], index.boundaries[inside], strict=True)
        ]
    return {"type": "FeatureCollection", "features": features}


def location_config(asset: Asset) -> dict | None:
    """What static/js/location-map.js needs to show one asset's place on its page, and the
    directions link: only a published asset's (a person's skill has no place, and a
    submission's is not shown until it is checked; moderators see it on the review's own map,
    static/js/moderation-preview.js)."""
    if asset.latitude is None or asset.geometry is None:
        return None
    if asset.status != AssetStatus.PUBLISHED:
        return None
    return {
        "geometry": asset.geometry,
        "label": asset.display_name,
        "directions": settings.MAP_DIRECTIONS_URL.format(
            lat=f"{asset.latitude:.6f}", lng=f"{asset.longitude:.6f}"
        ),
    }
