"""What every map in the project shares: the bounding box a map asks for, the lean point
layer it draws (assets, barriers) and the settings of the point picker in forms."""

import math

import orjson
from django.db.models import QuerySet
from django.utils.translation import gettext

from assets.models import Area, AreaLevel, AssetCategory, Domain


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
