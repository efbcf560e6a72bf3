"""Geography: importing area boundaries (GeoJSON) and defining test sites."""

from django.core.exceptions import ValidationError
from django.db import transaction
from shapely import STRtree
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from assets.geo import area_index_reset
from assets.models import Area, AreaLevel


def _feature_geometry(feature: dict, number: int):
    try:
        geometry = shape(feature["geometry"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValidationError(f"Feature {number}: no readable geometry ({error}).") from error
    if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationError(f"Feature {number}: an area needs a Polygon or MultiPolygon.")
    return geometry


@transaction.atomic
def areas_import_geojson(
    *,
    collection: dict,
    level: AreaLevel,
    code_field: str,
    name_field: str,
    name_cy_field: str | None = None,
    parent_level: AreaLevel | None = None,
) -> int:
    """Create or update one area per feature (matched by code), all or nothing. With
    parent_level, each area's parent is the area of that level containing its representative
    point. Returns the number of areas written."""
    parents = list(Area.objects.filter(level=parent_level)) if parent_level else []
    tree = STRtree([shape(parent.boundary) for parent in parents]) if parents else None
    areas = []
    for number, feature in enumerate(collection.get("features") or [], start=1):
        geometry = _feature_geometry(feature, number)
        properties = feature.get("properties") or {}
        if not properties.get(code_field) or not properties.get(name_field):
            raise ValidationError(f"Feature {number}: missing {code_field} or {name_field}.")
        parent = None
        if tree is not None:
            hits = tree.query(geometry.representative_point(), predicate="within")
            parent = parents[int(hits[0])] if len(hits) else None
        areas.append(
            Area(
                code=properties[code_field],
                name_en=properties[name_field],
                name_cy=properties.get(name_cy_field, "") if name_cy_field else "",
                level=level,
                parent=parent,
                boundary=mapping(geometry),
            )
        )
    if not areas:
        raise ValidationError("The file has no features.")
    Area.objects.bulk_create(
        areas,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_en", "name_cy", "level", "parent", "boundary"],
    )
    transaction.on_commit(area_index_reset)
    return len(areas)


@transaction.atomic
def site_define(*, code: str, name_en: str, name_cy: str, member_codes: list[str]) -> Area:
    """Create or update a test site as the union of existing areas; its parent is theirs."""
    members = list(Area.objects.filter(code__in=member_codes).select_related("parent"))
    missing = set(member_codes) - {member.code for member in members}
    if missing:
        raise ValidationError(f"Unknown area codes: {', '.join(sorted(missing))}.")
    boundary = unary_union([shape(member.boundary) for member in members])
    site, _ = Area.objects.update_or_create(
        code=code,
        defaults={
            "name_en": name_en,
            "name_cy": name_cy,
            "level": AreaLevel.SITE,
            "parent": members[0].parent,
            "boundary": mapping(boundary),
        },
    )
    return site
