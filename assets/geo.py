"""Geometry without GeoDjango (DESIGN §3): GeoJSON validation with shapely, and assigning
points to their LSOA, MSOA and local authority with an in-memory STRtree of boundaries."""

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from uuid import uuid4

import numpy as np
import shapely
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely import STRtree
from shapely.geometry import shape

from core.versions import version_bump

from .models import Area, AreaLevel, AreaVersion

ALLOWED_TYPES = ("Point", "LineString", "Polygon")
TOO_DEEP = gettext_lazy(
    "The location has lists nested too deeply to read. Place the pin on the map again."
)
# How many lists hold a position (a list of numbers) in each type's "coordinates".
NESTING = {"Point": 0, "LineString": 1, "Polygon": 2}
WALES = Path(__file__).resolve().parent / "data" / "wales_outline.json"
# The cache key (":<language>" added) of the outlines every map falls back on (assets.maps).
OUTLINES_CACHE = "map-context"


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
    version: str | None
    tree: STRtree
    boundaries: np.ndarray  # prepared, in the tree's order
    lsoa_ids: np.ndarray
    msoa_ids: np.ndarray
    la_ids: np.ndarray


_index: AreaIndex | None = None


def area_version() -> str | None:
    """The boundaries' current version token (one primary-key query)."""
    return AreaVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def area_version_bump() -> None:
    """Say the boundaries changed, so every process rebuilds its index before next using it,
    and the maps' fallback outlines (assets.maps.map_context) are drawn again once committed."""
    AreaVersion.objects.update_or_create(pk=1, defaults={"token": uuid4().hex})
    # Area profiles (indicators.versions) and the workshop pages (workshops.versions) name
    # areas too; areas are loaded in bulk, which sends no signal.
    version_bump("indicators")
    version_bump("workshops")
    keys = [key for code, _ in settings.LANGUAGES for key in outlines_cache_keys(code)]
    transaction.on_commit(lambda: shared_cache.delete_many(keys))


def outlines_cache_keys(language: str) -> tuple[str, str]:
    """Where the fallback outlines are cached in `language`: as data (assets.maps.map_context)
    and as the base map's script element for the current tile settings (basemap_script)."""
    tiles = f"{settings.MAP_TILES_URL}|{settings.MAP_TILES_ATTRIBUTION}"
    digest = hashlib.sha256(tiles.encode()).hexdigest()[:16]
    return f"{OUTLINES_CACHE}:{language}", f"{OUTLINES_CACHE}:script:{language}:{digest}"


def area_index() -> AreaIndex:
    """The LSOA boundaries with their MSOA and local authority, kept in memory per process and
    rebuilt when the boundaries' version in the database has changed."""
    global _index
    version = area_version()
    if _index is None or _index.version != version:
        # The boundaries as GeoJSON text, parsed in one call by GEOS (several times faster
        # than decoding the JSON in Python and building each shape).
        rows = list(
            Area.objects.filter(level=AreaLevel.LSOA)
            .annotate(text=Cast("boundary", TextField()))
            .values_list("id", "text", "parent_id", "parent__parent_id")
        )
        boundaries = shapely.from_geojson([row[1] for row in rows])
        shapely.prepare(boundaries)
        _index = AreaIndex(
            version=version,
            tree=STRtree(boundaries),
            boundaries=boundaries,
            lsoa_ids=np.array([row[0] for row in rows], dtype=object),
            msoa_ids=np.array([row[2] for row in rows], dtype=object),
            la_ids=np.array([row[3] for row in rows], dtype=object),
        )
    return _index


def area_index_reset() -> None:
    """Forget the index (tests that roll boundaries back use it; imports bump the version)."""
    global _index
    _index = None


def areas_for_coordinates(latitudes, longitudes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrays of LSOA, MSOA and local authority ids (None where no LSOA contains the point)
    for arrays of latitudes and longitudes, in one vectorised STRtree query."""
    count = len(latitudes)
    lsoa, msoa, la = (np.full(count, None, dtype=object) for _ in range(3))
    index = area_index()
    if not count or len(index.lsoa_ids) == 0:
        return lsoa, msoa, la
    x, y = np.asarray(longitudes, dtype=float), np.asarray(latitudes, dtype=float)
    # The boxes first, then the point-in-polygon test against the prepared boundaries (about
    # three times faster than query(predicate="within"), which cannot use them).
    point_idx, area_idx = index.tree.query(shapely.points(x, y))
    inside = shapely.contains_xy(index.boundaries[area_idx], x[point_idx], y[point_idx])
    point_idx, area_idx = point_idx[inside], area_idx[inside]
    # A point on a shared edge is in neither; inside two overlapping areas, the first wins.
    point_idx, first = np.unique(point_idx, return_index=True)
    area_idx = area_idx[first]
    lsoa[point_idx] = index.lsoa_ids[area_idx]
    msoa[point_idx] = index.msoa_ids[area_idx]
    la[point_idx] = index.la_ids[area_idx]
    return lsoa, msoa, la


def areas_for_points(points: list[tuple[float, float]]) -> list[tuple[int | None, ...]]:
    """(lsoa_id, msoa_id, la_id) for each (latitude, longitude), in one vectorised query;
    (None, None, None) where no LSOA contains the point."""
    if not points:
        return []
    lsoa, msoa, la = areas_for_coordinates(*zip(*points, strict=True))
    return list(zip(lsoa.tolist(), msoa.tolist(), la.tolist(), strict=True))


def place(obj, geometry: dict | None, *, areas: bool = True) -> None:
    """Set a located object's geometry, point and areas — an asset or a barrier (Located) —
    or clear them. The areas are its `areas` row, unsaved: the caller saves it after the
    object (`areas_save`). Errors are reported on the "geometry" field."""
    found = (None, None, None)
    if geometry:
        try:
            obj.geometry, obj.latitude, obj.longitude = geometry_clean(geometry)
        except ValidationError as error:
            raise ValidationError({"geometry": error.messages}) from error
        if not areas:  # the caller assigns them in bulk (assets.services.areas.areas_assign)
            return
        [found] = areas_for_points([(obj.latitude, obj.longitude)])
    else:
        obj.geometry = obj.latitude = obj.longitude = None
    lsoa, msoa, la = found
    obj.areas = obj._meta.get_field("areas").related_model(
        lsoa_id=lsoa, msoa_id=msoa, local_authority_id=la
    )


def areas_save(obj) -> None:
    """Write the areas `place` set on a saved located object (one row, inserted or updated)."""
    relation = obj._meta.get_field("areas")
    areas = relation.get_cached_value(obj, default=None)
    if areas is not None and areas._state.adding:
        areas.pk = obj.pk
        areas.save()


def site_at(latitude: float | None, longitude: float | None, *, sites) -> int | None:
    """The id of the first of `sites` (a queryset of core.Site) whose test-site area
    (level "site", linked to it) contains the point, or None. Test sites are few, so their
    boundaries are simply read and tested."""
    if latitude is None or longitude is None:
        return None
    point = shapely.Point(longitude, latitude)
    areas = (
        Area.objects.filter(level=AreaLevel.SITE, site__in=sites)
        .exclude(boundary=None)
        .order_by("site_id", "pk")
        .values_list("site_id", "boundary")
    )
    for site_id, boundary in areas:
        try:
            if shape(boundary).covers(point):
                return site_id
        except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError):
            continue
    return None
