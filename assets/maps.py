"""What every map in the project shares: the bounding box a map asks for, the lean point
layer it draws (assets, barriers), the grid of counts it draws when zoomed out, and the
settings of the point picker in forms."""

import math

import orjson
from django.db.models import Avg, Count, F, FloatField, Max, Min, QuerySet, Value
from django.db.models.functions import Floor
from django.utils.translation import gettext

from assets.models import Area, AreaLevel, AssetCategory, Domain
from core.versions import version_bump

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
