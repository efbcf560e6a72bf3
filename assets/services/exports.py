"""The asset directory leaving the project: GeoJSON, CSV, XLSX and Open Referral UK JSON
(DESIGN §8).

Each export reads an already-scoped queryset (usually `exportable_assets()`) in a constant
number of queries. Text cells in CSV and XLSX that a spreadsheet would run as a formula are
neutralised with a leading apostrophe (DESIGN §6, OWASP "CSV injection")."""

import csv
import io
import uuid
from collections.abc import Iterator

import orjson
from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from assets.models import Asset, AssetCategory, Cost, Domain, WelcomingTo
from core.languages import language_name
from core.spreadsheets import neutralise as neutralise_text

# Every exported id is uuid5(NAMESPACE, "<kind>:<key>"): the same asset keeps the same ids in
# every export, so a partner can update rather than duplicate. Changing it changes every id.
NAMESPACE = uuid.UUID("7cc755ab-bda1-408d-a368-2b84742e5a4f")
LIST_SEPARATOR = "; "

# Exported name → the lookup that reads it (one query, the category and areas joined in).
PROPERTIES = {
    "id": "id",
    "name": "name",
    "name_cy": "name_cy",
    "description": "description",
    "description_cy": "description_cy",
    "category": "category__slug",
    "category_name": "category__name_en",
    "category_name_cy": "category__name_cy",
    "domain": "domain",
    "address": "address",
    "postcode": "postcode",
    "contact": "contact",
    "website": "website",
    "opening_times": "opening_times",
    "cost": "cost",
    "languages": "languages",
    "welcoming_to": "welcoming_to",
    "accessibility": "accessibility",
    "last_verified_on": "last_verified_on",
    "lsoa": "areas__lsoa__code",
    "msoa": "areas__msoa__code",
    "local_authority": "areas__local_authority__code",
}
_AFTER_POSTCODE = list(PROPERTIES).index("postcode") + 1
COLUMNS = [
    *list(PROPERTIES)[:_AFTER_POSTCODE],
    "latitude",
    "longitude",
    *list(PROPERTIES)[_AFTER_POSTCODE:],
]

ORGANISATION_ID = str(uuid.uuid5(NAMESPACE, "organisation"))
CATEGORY_TAXONOMY = {
    "id": str(uuid.uuid5(NAMESPACE, "taxonomy:categories")),
    "name": "Cymuned asset categories",
    "description": "What kind of asset this is: a place, a group, a service or a person's "
    "skill, in three domains (individual, community, structural). Each term's description "
    "gives its Welsh name.",
}
AUDIENCE_TAXONOMY = {
    "id": str(uuid.uuid5(NAMESPACE, "taxonomy:welcoming-to")),
    "name": "Cymuned – especially welcoming to",
    "description": "Groups of people an asset is especially welcoming to, as the people who "
    "mapped it said.",
}


def exportable_assets() -> QuerySet:
    """What may leave the project: published assets, minus people's individual skills and
    time whose owner has not agreed to show them outside the project; by name."""
    return Asset.objects.shareable().order_by("name", "pk")


def _records(assets: QuerySet, *extra: str) -> list[dict]:
    return list(assets.values(*PROPERTIES.values(), *extra))


def _properties(record: dict) -> dict:
    properties = {name: record[lookup] for name, lookup in PROPERTIES.items()}
    if properties["last_verified_on"]:
        properties["last_verified_on"] = properties["last_verified_on"].isoformat()
    return properties


def export_geojson(*, assets: QuerySet) -> bytes:
    """An RFC 7946 FeatureCollection: each asset's full geometry (null when it has no place)
    and all its published details, the areas as ONS codes."""
    features = [
        {
            "type": "Feature",
            "id": record["id"],
            "geometry": record["geometry"],
            "properties": _properties(record),
        }
        for record in _records(assets, "geometry")
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features})


def neutralise(value: str) -> str:
    """Text a spreadsheet must show, never run: strip control characters XLSX cannot hold,
    then prefix a formula-like start (= + - @ tab CR) with an apostrophe."""
    return neutralise_text(ILLEGAL_CHARACTERS_RE.sub("", value))


def _cell(value):
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    return neutralise(value) if isinstance(value, str) else value


def export_rows(*, assets: QuerySet) -> Iterator[list]:
    """The table both CSV and XLSX write: the header (COLUMNS), then one row per asset.
    Lists are joined with "; ", text is neutralised, numbers stay numbers, blanks are None."""
    yield list(COLUMNS)
    for record in _records(assets, "latitude", "longitude"):
        values = _properties(record) | {
            "latitude": record["latitude"],
            "longitude": record["longitude"],
        }
        yield [_cell(values[column]) for column in COLUMNS]


def export_csv(*, assets: QuerySet) -> str:
    """The table as CSV (RFC 4180, CRLF line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(export_rows(assets=assets))
    return buffer.getvalue()


def export_xlsx(*, assets: QuerySet) -> bytes:
    """The table as an Excel workbook with one sheet, the header row in bold."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Assets")
    rows = export_rows(assets=assets)
    bold = Font(bold=True)
    header = [WriteOnlyCell(sheet, value=name) for name in next(rows)]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _id(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


def _compact(item: dict) -> dict:
    """Leave out optional fields with no data (Open Referral: absent, not empty)."""
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def export_openreferral(*, assets: QuerySet) -> dict:
    """Open Referral UK (HSDS 3.0 UK profile) as flat tables, one list per table, linked by
    id: the project as the one organisation; each asset a service; each place-based asset a
    location and a service_at_location; categories and "welcoming to" as taxonomy terms the
    services link to through attributes. Two queries; every text in English except the
    Welsh names carried in term descriptions."""
    records = openreferral_records(assets)
    with translation.override("en"):
        placed = [record for record in records if record["latitude"] is not None]
        return {
            "organizations": [openreferral_organisation()],
            "services": [openreferral_service(record) for record in records],
            "locations": [openreferral_location(record) for record in placed],
            "service_at_locations": [openreferral_service_at_location(record) for record in placed],
            "taxonomies": [CATEGORY_TAXONOMY, AUDIENCE_TAXONOMY],
            "taxonomy_terms": openreferral_terms(records),
        }


# One asset becomes one service (and, with a place, one location and service_at_location) by
# the functions below, in the export and in the Open Referral UK API (assets/api/openreferral.py)
# alike. Each takes a row of `openreferral_records()` and is called in English.
OPENREFERRAL_FIELDS = (
    *PROPERTIES.values(),
    "latitude",
    "longitude",
    "category_id",
    "updated_at",
    "areas__local_authority__name_en",
)


def openreferral_records(assets: QuerySet) -> list[dict]:
    return list(assets.values(*OPENREFERRAL_FIELDS))


def openreferral_service_id(pk: int) -> str:
    return _id(f"asset:{pk}")


def openreferral_service_at_location(record: dict, *, location: bool = False) -> dict:
    """The link between an asset's service and its place; with `location`, the place nested
    (as the API's service_at_location lists give it)."""
    pk = record["id"]
    link = {
        "id": _id(f"service-at-location:{pk}"),
        "service_id": _id(f"asset:{pk}"),
        "location_id": _id(f"location:{pk}"),
    }
    return link | {"location": openreferral_location(record)} if location else link


def openreferral_terms(records: list[dict] | None = None) -> list[dict]:
    """The taxonomy terms the records use (with the categories' parents); every term when
    `records` is None."""
    return _category_terms(records) + _audience_terms(records)


def openreferral_organisation() -> dict:
    site = settings.SITE_NAME
    return {
        "id": ORGANISATION_ID,
        "name": "Cymuned" if site == "Cymuned" else f"Cymuned – {site}",
        "description": "Community assets – places, groups, services and people's skills – "
        "mapped with the people who live in the neighbourhood, for a public-health "
        "programme in Wales. Published entries only.",
    }


def openreferral_service(record: dict) -> dict:
    pk = record["id"]
    service_id = _id(f"asset:{pk}")
    verified = record["last_verified_on"]
    return _compact(
        {
            "id": service_id,
            "organization_id": ORGANISATION_ID,
            "name": record["name"],
            "description": record["description"] or record["description_cy"],
            "url": record["website"],
            "status": "active",
            "assured_date": verified.isoformat() if verified else None,
            "last_modified": record["updated_at"]
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "languages": [
                _language(pk, service_id, code) for code in dict.fromkeys(record["languages"])
            ],
            "cost_options": _cost_options(pk, service_id, record["cost"]),
            **_free_text(record, service_id),
            "attributes": _attributes(record, service_id),
        }
    )


def _free_text(record: dict, service_id: str) -> dict:
    """How to get in touch and when it is open are free text: the contact's name and the
    schedule's description are the only places the UK profile has for them."""
    pk, contact, opening_times = record["id"], record["contact"], record["opening_times"]
    return {
        "contacts": [{"id": _id(f"contact:{pk}"), "service_id": service_id, "name": contact}]
        if contact
        else [],
        "schedules": [
            {"id": _id(f"schedule:{pk}"), "service_id": service_id, "description": opening_times}
        ]
        if opening_times
        else [],
    }


def _language(pk: int, service_id: str, code: str) -> dict:
    # The UK profile's language table keeps only ids; name and code are HSDS 3.0's fields
    # (the profile allows extra properties), without which the row would say nothing.
    return {
        "id": _id(f"asset:{pk}:language:{code}"),
        "service_id": service_id,
        "name": language_name(code),
        "code": code,
    }


def _cost_options(pk: int, service_id: str, cost: str) -> list[dict]:
    if cost not in Cost.values:
        return []
    option = {"id": _id(f"cost:{pk}"), "service_id": service_id, "option": str(Cost(cost).label)}
    return [option | {"amount": 0}] if cost == Cost.FREE else [option]


def _attributes(record: dict, service_id: str) -> list[dict]:
    terms = [("category", _id(f"category:{record['category__slug']}"))] + [
        ("audience", _id(f"welcoming-to:{value}"))
        for value in dict.fromkeys(record["welcoming_to"])
        if value in WelcomingTo.values
    ]
    return [
        {
            "id": _id(f"asset:{record['id']}:term:{term_id}"),
            "link_id": service_id,
            "link_type": link_type,
            "taxonomy_term_id": term_id,
        }
        for link_type, term_id in terms
    ]


def openreferral_location(record: dict) -> dict:
    pk = record["id"]
    location_id = _id(f"location:{pk}")
    address = {
        "id": _id(f"address:{pk}"),
        "location_id": location_id,
        "address_1": record["address"],
        "city": record["areas__local_authority__name_en"] or "",
        "state_province": "Wales",
        "postal_code": record["postcode"],
        "country": "GB",
        "address_type": "physical",
    }
    accessibility = {
        "id": _id(f"accessibility:{pk}"),
        "location_id": location_id,
        "description": record["accessibility"],
    }
    return _compact(
        {
            "id": location_id,
            "location_type": "physical",
            "name": record["name"],
            "latitude": record["latitude"],
            "longitude": record["longitude"],
            "addresses": [address] if record["address"] else [],
            "accessibility": [accessibility] if record["accessibility"] else [],
        }
    )


def _term(key: str, taxonomy: dict, *, name: str, description: str, welsh: str, **fields) -> dict:
    if welsh and welsh != name:
        description = f"{description} Welsh: {welsh}."
    return _compact(
        {
            "id": _id(key),
            "name": name,
            "description": description,
            **fields,
            "taxonomy": taxonomy["name"],
            "taxonomy_id": taxonomy["id"],
        }
    )


def _category_terms(records: list[dict] | None) -> list[dict]:
    """The categories the assets use, with every parent above them (one query); all of them
    when `records` is None."""
    categories = {category.pk: category for category in AssetCategory.objects.all()}
    wanted: set[int] = set(categories) if records is None else set()
    for record in records or []:
        pk = record["category_id"]
        while pk is not None and pk not in wanted:
            wanted.add(pk)
            pk = categories[pk].parent_id
    return [
        _term(
            f"category:{category.slug}",
            CATEGORY_TAXONOMY,
            name=category.name_en,
            description=f"{Domain(category.domain).label} asset.",
            welsh=category.name_cy,
            code=category.slug,
            parent_id=category.parent_id and _id(f"category:{categories[category.parent_id].slug}"),
        )
        for category in categories.values()
        if category.pk in wanted
    ]


def _audience_terms(records: list[dict] | None) -> list[dict]:
    if records is None:
        used = set(WelcomingTo.values)
    else:
        used = {value for record in records for value in record["welcoming_to"]}
    terms = []
    for value, label in WelcomingTo.choices:
        if value in used:
            with translation.override("cy"):
                welsh = str(label)
            terms.append(
                _term(
                    f"welcoming-to:{value}",
                    AUDIENCE_TAXONOMY,
                    name=str(label),
                    description=f"Especially welcoming to: {label}.",
                    welsh=welsh,
                    code=value,
                )
            )
    return terms
