"""Geography: importing area boundaries (GeoJSON) and defining test sites."""

import csv
import io
import json

import shapely
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from shapely import STRtree
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from assets.geo import area_version_bump, areas_for_coordinates
from assets.maps import published_changed
from assets.models import Area, AreaLevel, Asset, Located
from core.changes import change_record

PARENT_LEVEL = {AreaLevel.LSOA: AreaLevel.MSOA, AreaLevel.MSOA: AreaLevel.LOCAL_AUTHORITY}


def _feature_geometry(feature: dict):
    try:
        geometry = shape(feature["geometry"])
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise ValidationError(f"geometry: cannot be read ({error}).") from error
    if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationError("geometry: an area needs a Polygon or MultiPolygon.")
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return geometry


def _text(properties: dict, field: str | None) -> str:
    value = properties.get(field) if field else None
    return str(value).strip() if value is not None else ""


def populations_read(text: str) -> dict[str, int]:
    """{code: population} from a CSV with the columns code and population (other columns are
    ignored). Raises ValidationError naming every row that cannot be read."""
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().casefold() for name in reader.fieldnames or []}
    if not {"code", "population"} <= columns:
        raise ValidationError("The populations file needs the columns code and population.")
    found, problems = {}, []
    for number, row in enumerate(reader, start=2):
        row = {(key or "").strip().casefold(): (value or "").strip() for key, value in row.items()}
        try:
            population = int(row["population"].replace(",", ""))
            if population < 0 or not row["code"]:
                raise ValueError
        except ValueError:
            problems.append(
                f"Populations row {number} ({row['code'] or 'no code'}): population "
                f"“{row['population']}” is not a whole number of people."
            )
            continue
        found[row["code"]] = population
    if problems:
        raise ValidationError(problems)
    return found


def _parents_by_containment(level: AreaLevel):
    parent_level = PARENT_LEVEL.get(level)
    rows = list(
        Area.objects.filter(level=parent_level).values_list("id", "code", "boundary")
        if parent_level
        else []
    )
    tree = STRtree([shape(row[2]) for row in rows]) if rows else None
    return parent_level, rows, tree


@transaction.atomic
def areas_import_geojson(
    *,
    collection: dict,
    level: AreaLevel,
    code_field: str,
    name_field: str,
    name_cy_field: str | None = None,
    parent_level: AreaLevel | None = None,
    parent_field: str | None = None,
    populations: dict[str, int] | None = None,
) -> int:
    """Create or update one area per feature (matched by code), all or nothing; every problem
    names its feature and field. The parent is the area coded in `parent_field`, or (with
    `parent_level`) the area of that level containing the feature's representative point.
    Populations, when given, are looked up by code. Then the boundaries' version is bumped
    and every asset and barrier is re-assigned to its areas. Returns the number written."""
    if parent_level and parent_level != PARENT_LEVEL.get(level):
        raise ValidationError(f"An area of level {level} cannot have a {parent_level} parent.")
    features = collection.get("features") if isinstance(collection, dict) else None
    if not features:
        raise ValidationError("The file has no features (a GeoJSON FeatureCollection).")
    parent_level, parents, tree = (
        _parents_by_containment(level) if parent_level else (None, [], None)
    )
    if parent_level and not parents:
        raise ValidationError(
            f"Parents are found among the {parent_level} areas, but none are loaded: "
            f"import the {parent_level} boundaries first."
        )
    by_code = {}
    if parent_field:
        by_code = dict(Area.objects.values_list("code", "id"))
    areas, problems, seen = [], [], set()
    for number, feature in enumerate(features, start=1):
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        code = _text(properties, code_field)
        label = f"Feature {number}" + (f" ({code})" if code else "")
        errors = []
        if not code:
            errors.append(f"{code_field}: missing (the area's code).")
        elif code in seen:
            errors.append(f"{code_field}: {code} appears more than once in the file.")
        seen.add(code)
        if not _text(properties, name_field):
            errors.append(f"{name_field}: missing (the area's name).")
        try:
            geometry = _feature_geometry(feature if isinstance(feature, dict) else {})
        except ValidationError as error:
            errors.extend(error.messages)
            geometry = None
        parent_id = None
        if parent_field:
            parent_code = _text(properties, parent_field)
            parent_id = by_code.get(parent_code)
            if parent_id is None:
                errors.append(f"{parent_field}: no loaded area has the code “{parent_code}”.")
        elif tree is not None and geometry is not None:
            hits = tree.query(geometry.representative_point(), predicate="within")
            if len(hits):
                parent_id = parents[int(hits[0])][0]
            else:
                errors.append(f"geometry: no loaded {parent_level} area contains it.")
        if errors:
            problems.extend(f"{label}: {error}" for error in errors)
            continue
        areas.append(
            Area(
                code=code,
                name_en=_text(properties, name_field),
                name_cy=_text(properties, name_cy_field),
                level=level,
                parent_id=parent_id,
                boundary=mapping(geometry),
                population=(populations or {}).get(code),
            )
        )
    if problems:
        raise ValidationError(problems)
    update_fields = ["name_en", "name_cy", "level", "parent", "boundary"]
    if populations is not None:
        update_fields.append("population")
    Area.objects.bulk_create(
        areas,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=update_fields,
    )
    area_version_bump()
    published_changed()  # the map pages kept for people signed out draw the outlines
    areas_assign_all()
    return len(areas)


def areas_assign_all() -> int:
    """Re-assign every located row (after boundaries change): the rows of every model built
    on Located — assets here, barriers in workshops — found without naming those apps."""
    located = [
        model for model in apps.get_models() if issubclass(model, Located) and not model._meta.proxy
    ]
    return sum(areas_assign(queryset=model.objects.all()) for model in located)


SET_BASED_FROM = 500  # rows changing: from here, one INSERT … ON CONFLICT from the new values


def _copy_text(rows: list[tuple]) -> io.StringIO:
    """Rows as PostgreSQL's COPY text format (tab-separated, \\N for null)."""
    return io.StringIO(
        "".join(
            "\t".join("\\N" if value is None else str(value) for value in row) + "\n"
            for row in rows
        )
    )


def _areas_write(model, changes: list[tuple]) -> None:
    """Write (pk, lsoa_id, msoa_id, local_authority_id) rows into the located model's areas
    table (assets.models.LocatedAreas), inserted or updated. A few: Django's bulk upsert. Many:
    one INSERT … ON CONFLICT from the new values — on PostgreSQL streamed by COPY into a
    temporary table (no 400,000-value statement for the server to parse and plan), on SQLite
    passed as JSON (bench/areas.py)."""
    areas = model._meta.get_field("areas").related_model
    meta = areas._meta
    vendor = connection.vendor
    if len(changes) < SET_BASED_FROM or vendor not in ("postgresql", "sqlite"):
        areas.objects.bulk_create(
            [
                areas(**{meta.pk.attname: pk}, lsoa_id=lsoa, msoa_id=msoa, local_authority_id=la)
                for pk, lsoa, msoa, la in changes
            ],
            update_conflicts=True,
            unique_fields=[meta.pk.name],
            update_fields=["lsoa", "msoa", "local_authority"],
        )
        return
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    lsoa, msoa, la = (
        quote(meta.get_field(name).column) for name in ("lsoa", "msoa", "local_authority")
    )
    upsert = (  # "WHERE true": SQLite cannot otherwise tell ON CONFLICT from a join's ON
        f"INSERT INTO {table} ({pk}, {lsoa}, {msoa}, {la}) SELECT {{}} WHERE true "
        f"ON CONFLICT ({pk}) DO UPDATE SET {lsoa} = excluded.{lsoa}, "
        f"{msoa} = excluded.{msoa}, {la} = excluded.{la}"
    )
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # Dropped at once (a second call in the same transaction makes it afresh), and on
            # commit should anything stop in between.
            cursor.execute(
                "CREATE TEMPORARY TABLE areas_new "
                "(id bigint, lsoa bigint, msoa bigint, la bigint) ON COMMIT DROP"
            )
            cursor.copy_expert(
                "COPY areas_new (id, lsoa, msoa, la) FROM STDIN", _copy_text(changes)
            )
            cursor.execute(upsert.format("id, lsoa, msoa, la FROM areas_new"))
            cursor.execute("DROP TABLE areas_new")
        else:
            values = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(4))
            cursor.execute(upsert.format(f"{values} FROM json_each(%s)"), [json.dumps(changes)])


@transaction.atomic
def areas_assign(*, queryset=None, ids=None) -> int:
    """Set the LSOA, MSOA and local authority of many located rows (a queryset of assets or
    barriers, or asset ids) from their points, in one vectorised look-up; only rows whose
    areas change are written (their `areas` rows). Returns how many rows changed."""
    if queryset is None:
        queryset = Asset.objects.filter(pk__in=list(ids or []))
    rows = list(
        queryset.order_by()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list(
            "pk",
            "latitude",
            "longitude",
            "areas__lsoa_id",
            "areas__msoa_id",
            "areas__local_authority_id",
        )  # fmt: skip
    )
    if not rows:
        return 0
    pks, latitudes, longitudes, *current = zip(*rows, strict=True)
    wanted = [column.tolist() for column in areas_for_coordinates(latitudes, longitudes)]
    changes, touched = [], set()
    for pk, lsoa, msoa, la, *now in zip(pks, *wanted, *current, strict=True):
        if (lsoa, msoa, la) != tuple(now):
            changes.append((pk, lsoa, msoa, la))
            touched.update((lsoa, msoa, la, *now))
    _areas_write(queryset.model, changes)
    if changes:  # one outbox row for the lot: the areas rows left and the areas they joined
        change_record(reason="areas reassigned", area_ids=touched)
        if queryset.model is Asset:  # the map's area filter reads them
            published_changed()
    return len(changes)


@transaction.atomic
def site_define(
    *, code: str, name_en: str, name_cy: str, member_codes: list[str], site=None
) -> Area:
    """Create or update a test site's area as the union of existing areas; its parent is
    theirs. With `site` (a core.Site) the area draws that site, and gives it its boundary."""
    members = list(Area.objects.filter(code__in=member_codes).select_related("parent"))
    missing = set(member_codes) - {member.code for member in members}
    if missing:
        raise ValidationError(f"Unknown area codes: {', '.join(sorted(missing))}.")
    boundary = unary_union([shape(member.boundary) for member in members])
    area, _ = Area.objects.update_or_create(
        code=code,
        defaults={
            "name_en": name_en,
            "name_cy": name_cy,
            "level": AreaLevel.SITE,
            "parent": members[0].parent,
            "boundary": mapping(boundary),
            "site": site,
        },
    )
    if site is not None:
        site.boundary = area.boundary
        site.save(update_fields=["boundary"])
    area_version_bump()  # the maps' fallback outlines include the sites (assets.maps)
    published_changed()  # the map pages kept for people signed out open on the site
    return area
