"""Geometry without GeoDjango (DESIGN §3): GeoJSON validation with shapely, and assigning
points to their LSOA, MSOA and local authority with an in-memory STRtree of boundaries."""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely import STRtree
from shapely.geometry import shape

from .models import Area, AreaLevel

ALLOWED_TYPES = ("Point", "LineString", "Polygon")
TOO_DEEP = gettext_lazy(
    "The location has lists nested too deeply to read. Place the pin on the map again."
)
# How many lists hold a position (a list of numbers) in each type's "coordinates".
NESTING = {"Point": 0, "LineString": 1, "Polygon": 2}
WALES = Path(__file__).resolve().parent / "data" / "wales_outline.json"


@cache
def wales_outline():
    outline = shape(json.loads(WALES.read_text())["geometry"])
    shapely.prepare(outline)
    return outline


def _position_check(position) -> None:
    if not isinstance(position, list | tuple) or len(position) not in (2, 3):
        raise ValidationError(
            _("Each position must be a longitude and a latitude, and may add a height.")
        )
    if any(isinstance(n, bool) or not isinstance(n, int | float) for n in position):
        raise ValidationError(_("The location's coordinates must be numbers."))
    try:
        finite = all(math.isfinite(n) for n in position)
    except OverflowError:  # an integer too large for a float
        finite = False
    if not finite:
        raise ValidationError(
            _("The location's coordinates must be ordinary numbers, not infinity or “NaN”.")
        )
    longitude, latitude = position[0], position[1]
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise ValidationError(
            _(
                "A longitude must be between -180 and 180 and a latitude between -90 and 90 "
                "(GeoJSON gives the longitude first)."
            )
        )


def coordinates_check(geometry_type: str, coordinates) -> None:
    """Every position of a Point, LineString or Polygon: numbers, finite (the height too) and
    in range, nested as the type says. Walked without recursion, however deep the input."""
    pending = [(coordinates, NESTING[geometry_type])]
    while pending:
        value, depth = pending.pop()
        if depth == 0:
            _position_check(value)
        elif isinstance(value, list | tuple) and value:
            pending.extend((item, depth - 1) for item in value)
        else:
            raise ValidationError(
                _("The location's coordinates are not nested as a %(type)s needs.")
                % {"type": geometry_type}
            )


def geometry_clean(value) -> tuple[dict, float, float]:
    """Check a GeoJSON geometry and return it with its (latitude, longitude): the point
    itself, or a line's or polygon's representative point. Raises ValidationError saying why."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValidationError(_("The location is not valid GeoJSON.")) from error
        except RecursionError as error:
            raise ValidationError(TOO_DEEP) from error
    if not isinstance(value, dict) or value.get("type") not in ALLOWED_TYPES:
        raise ValidationError(_("A location must be a point, a line or an area (polygon)."))
    coordinates_check(value["type"], value.get("coordinates"))
    try:
        geometry = shape(value)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise ValidationError(_("The location's coordinates cannot be read.")) from error
    if geometry.is_empty or not geometry.is_valid:
        raise ValidationError(
            _("The shape is not valid (%(why)s): check that its edges do not cross.")
            % {"why": shapely.is_valid_reason(geometry)}
        )
    if not wales_outline().contains(geometry):
        raise ValidationError(_("The location is outside Wales. Check the map or the address."))
    point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
    return shapely.geometry.mapping(geometry), round(point.y, 6), round(point.x, 6)


@dataclass(frozen=True)
class AreaIndex:
    tree: STRtree
    lsoa_ids: np.ndarray
    msoa_ids: np.ndarray
    la_ids: np.ndarray


_index: AreaIndex | None = None


def area_index() -> AreaIndex:
    """The LSOA boundaries with their MSOA and local authority, built once per process."""
    global _index
    if _index is None:
        rows = list(
            Area.objects.filter(level=AreaLevel.LSOA).values_list(
                "id", "boundary", "parent_id", "parent__parent_id"
            )
        )
        _index = AreaIndex(
            tree=STRtree([shape(row[1]) for row in rows]),
            lsoa_ids=np.array([row[0] for row in rows], dtype=object),
            msoa_ids=np.array([row[2] for row in rows], dtype=object),
            la_ids=np.array([row[3] for row in rows], dtype=object),
        )
    return _index


def area_index_reset() -> None:
    """Forget the index (after boundaries change)."""
    global _index
    _index = None


def areas_for_points(points: list[tuple[float, float]]) -> list[tuple[int | None, ...]]:
    """(lsoa_id, msoa_id, la_id) for each (latitude, longitude), in one vectorised query;
    (None, None, None) where no LSOA contains the point."""
    result: list[tuple[int | None, ...]] = [(None, None, None)] * len(points)
    index = area_index()
    if not points or len(index.lsoa_ids) == 0:
        return result
    geometries = shapely.points([(lng, lat) for lat, lng in points])
    point_idx, area_idx = index.tree.query(geometries, predicate="within")
    for p, a in zip(point_idx, area_idx, strict=True):
        result[p] = (index.lsoa_ids[a], index.msoa_ids[a], index.la_ids[a])
    return result


def place(obj, geometry: dict | None) -> None:
    """Set a located object's geometry, point and areas — an asset or a barrier: anything with
    geometry, latitude, longitude, lsoa, msoa and local_authority — or clear them. Errors are
    reported on the "geometry" field."""
    if not geometry:
        obj.geometry = obj.latitude = obj.longitude = None
        obj.lsoa_id = obj.msoa_id = obj.local_authority_id = None
        return
    try:
        obj.geometry, obj.latitude, obj.longitude = geometry_clean(geometry)
    except ValidationError as error:
        raise ValidationError({"geometry": error.messages}) from error
    [(obj.lsoa_id, obj.msoa_id, obj.local_authority_id)] = areas_for_points(
        [(obj.latitude, obj.longitude)]
    )
