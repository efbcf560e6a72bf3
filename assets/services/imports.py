"""Importing assets from a file: CSV, GeoJSON or Open Referral UK JSON (DESIGN §3, §8).

A coordinator uploads a file (`import_start`). `import_check` reads every row into a preview
without writing any asset: each row's problems (row, field, why) and its likely duplicates.
The coordinator confirms, and `import_commit` creates every asset in one transaction, all or
nothing. Files of up to IN_REQUEST_ROWS rows are handled in the request; larger ones by the
worker (assets.tasks), which records its progress on the AssetImport row for the page to show.
"""

import csv
import io
import json
import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from assets.geo import geometry_clean
from assets.models import (
    Asset,
    AssetCategory,
    AssetImport,
    AssetSource,
    AssetStatus,
    Cost,
    Domain,
    ImportFormat,
    ImportStatus,
    WelcomingTo,
)
from assets.services.areas import areas_assign
from assets.services.assets import (
    DUPLICATE_CANDIDATES,
    DUPLICATE_DISTANCE_DEGREES,
    DUPLICATE_NAME_SIMILARITY,
    _similar,
    asset_create,
)
from core.languages import LANGUAGES

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
IN_REQUEST_ROWS = 200  # larger files are checked and imported by the worker
PROGRESS_STEP = 5  # percent: a long job writes its progress about twenty times, not per row
DUPLICATES_SHOWN = 5  # as asset_duplicates' limit
# A job with no sign of life for this long lost its worker: longer than a task may run
# (assets.tasks.IMPORT_LIMITS) and than a queued job should wait.
STALE_AFTER = timedelta(minutes=20)
# rapidfuzz's ratio (2 × longest common subsequence / both lengths) is never below
# SequenceMatcher's, so names under this cut-off cannot be similar (the tolerance is for floats).
QUICK_CUTOFF = DUPLICATE_NAME_SIMILARITY * 100 - 1e-6
QUICK_CHUNK = 100
COLUMNS = (
    "name", "category", "latitude", "longitude", "address", "postcode", "description",
    "website", "contact", "opening_times", "cost", "languages", "welcoming_to",
    "accessibility", "name_cy", "description_cy",
)  # fmt: skip
TEXT_COLUMNS = (
    "name_cy", "description", "description_cy", "address", "postcode", "contact",
    "opening_times", "accessibility",
)  # fmt: skip
# Checked by the model's own field rules (lengths, web address), so they say it the same way.
MODEL_CHECKED = {*TEXT_COLUMNS, "website"}


# --- Reading the file -------------------------------------------------------------------------


@dataclass
class _Candidate:
    """One row of the file as read: column → value, the category names it gives, and a
    GeoJSON geometry if it had one. Problems found while reading go in `problems`."""

    row: int
    values: dict
    categories: list[str] = field(default_factory=list)
    geometry: dict | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)


def _column(name: str) -> str:
    return name.strip().casefold().replace(" ", "_").replace("-", "_")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _with_categories(candidate: _Candidate) -> _Candidate:
    if _text(candidate.values.get("category")):
        candidate.categories = [_text(candidate.values["category"])]
    return candidate


def _parse_csv(content: str) -> list[_Candidate]:
    first_line = content.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel writes ";" in some countries
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        columns = [_column(name) for name in next(reader, [])]
        if "name" not in columns:
            raise ValidationError(
                _(
                    "The first line of the file must name its columns, and one of them must be "
                    "“name”. The columns we read are: %(columns)s."
                )
                % {"columns": ", ".join(COLUMNS)}
            )
        candidates = []
        # Row numbers as a spreadsheet shows them: the column names are row 1.
        for number, cells in enumerate(reader, start=2):
            values = {c: v.strip() for c, v in zip(columns, cells, strict=False) if c in COLUMNS}
            if any(values.values()):
                candidates.append(_with_categories(_Candidate(number, values)))
    except csv.Error as error:
        raise ValidationError(
            _("Line %(line)s of the file cannot be read as CSV (%(why)s).")
            % {"line": reader.line_num, "why": error}
        ) from error
    return candidates


def _json_load(content: str):
    try:
        return json.loads(content)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The file is not valid JSON (line %(line)s: %(why)s). Check it was saved whole.")
            % {"line": error.lineno, "why": error.msg}
        ) from error
    except RecursionError as error:
        raise ValidationError(
            _(
                "The file has lists or objects nested too deeply to read, so it is not a "
                "GeoJSON or Open Referral file we can import. Nothing was imported."
            )
        ) from error


def _properties(properties: dict) -> dict:
    pairs = ((_column(key), value) for key, value in properties.items() if isinstance(key, str))
    return {key: value for key, value in pairs if key in COLUMNS}


def _feature_candidate(number: int, feature) -> _Candidate:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return _Candidate(number, {}, problems=[("feature", _("is not a GeoJSON Feature"))])
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        return _Candidate(number, {}, problems=[("properties", _("must be an object"))])
    return _with_categories(
        _Candidate(number, _properties(properties), geometry=feature.get("geometry"))
    )


def _parse_geojson(content: str) -> list[_Candidate]:
    data = _json_load(content)
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not (
        isinstance(data, dict)
        and data.get("type") == "FeatureCollection"
        and isinstance(data.get("features"), list)
    ):
        raise ValidationError(
            _(
                "The file is not a GeoJSON FeatureCollection: it needs “type”: "
                "“FeatureCollection” and a list of “features”."
            )
        )
    return [_feature_candidate(n, feature) for n, feature in enumerate(data["features"], start=1)]


def _id(value) -> str | int | None:
    """An id from the file, usable as a key (a list or an object is not)."""
    return value if isinstance(value, str | int) else None


def _by_id(table) -> dict:
    return {_id(item.get("id")): item for item in _dicts(table) if _id(item.get("id")) is not None}


def _items(value) -> list:
    return value if isinstance(value, list) else []


def _dicts(value) -> list[dict]:
    return [item for item in _items(value) if isinstance(item, dict)]


@dataclass(frozen=True)
class _Package:
    """The tables of an HSDS package that sit beside the services rather than inside them."""

    locations: dict
    service_locations: dict
    addresses: dict
    terms: dict
    attributes: dict

    @classmethod
    def read(cls, data) -> "_Package":
        data = data if isinstance(data, dict) else {}
        by = defaultdict(lambda: defaultdict(list))
        for name, key in [
            ("service_at_locations", "service_id"),
            ("addresses", "location_id"),
            ("attributes", "link_id"),
        ]:
            for item in _dicts(data.get(name)):
                if (link := _id(item.get(key))) is not None:
                    by[name][link].append(item)
        return cls(
            locations=_by_id(data.get("locations")),
            service_locations=by["service_at_locations"],
            addresses=by["addresses"],
            terms=_by_id(data.get("taxonomy_terms")),
            attributes=by["attributes"],
        )

    def location(self, service: dict) -> dict:
        for link in _dicts(service.get("service_at_locations")):
            if isinstance(link.get("location"), dict):
                return link["location"]
        for link in self.service_locations.get(_id(service.get("id")), []):
            if location := self.locations.get(_id(link.get("location_id"))):
                return location
        return {}

    def address(self, location: dict) -> dict:
        addresses = _dicts(location.get("addresses")) or self.addresses.get(
            _id(location.get("id")), []
        )
        return addresses[0] if addresses else {}

    def terms_of(self, service: dict, *, audience: bool) -> list[str]:
        """The names and codes of the taxonomy terms the service links to: its audience ("who
        it is especially welcoming to", as our export writes it), or else its categories."""
        attributes = _dicts(service.get("attributes")) + self.attributes.get(
            _id(service.get("id")), []
        )
        terms = []
        for attribute in attributes:
            if (attribute.get("link_type") == "audience") != audience:
                continue
            term = attribute.get("taxonomy_term") or self.terms.get(
                _id(attribute.get("taxonomy_term_id"))
            )
            if isinstance(term, dict):
                keys = ("code",) if audience else ("code", "term", "name", "id")
                terms += [_text(term.get(key)) for key in keys]
        return [term for term in dict.fromkeys(terms) if term]


def _oruk_cost(options) -> str | None:
    """Our cost from the first cost option we can read: its label (as our export writes it),
    or its amount (nothing to pay is free; any amount is paid)."""
    with translation.override("en"):
        labels = {key.casefold(): v for v, label in Cost.choices for key in (v, str(label))}
    for option in _dicts(options):
        if cost := labels.get(_text(option.get("option")).casefold()):
            return cost
        amount = option.get("amount")
        if isinstance(amount, int | float) and not isinstance(amount, bool):
            return Cost.FREE if amount == 0 else Cost.PAID
    return None


def _oruk_address(address: dict) -> str:
    street, city = _text(address.get("address_1")), _text(address.get("city"))
    return (
        street if city.casefold() in street.casefold() else ", ".join(filter(None, [street, city]))
    )


def _first(items, key: str):
    items = _dicts(items)
    return items[0].get(key) if items else None


def _service_candidate(number: int, service, package: _Package) -> _Candidate:
    if not isinstance(service, dict):
        return _Candidate(number, {}, problems=[("service", _("is not an Open Referral service"))])
    location = package.location(service)
    address = package.address(location)
    languages = [
        item if isinstance(item, str) else _text(item.get("code") or item.get("name"))
        for item in _items(service.get("languages"))
        if isinstance(item, str | dict)
    ]
    values = {
        "name": service.get("name"),
        "description": service.get("description"),
        "website": service.get("url"),
        "contact": service.get("email") or _first(service.get("contacts"), "name"),
        "opening_times": _first(service.get("schedules"), "description"),
        "cost": _oruk_cost(service.get("cost_options")),
        "languages": languages,
        "welcoming_to": package.terms_of(service, audience=True),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "address": _oruk_address(address),
        "postcode": address.get("postal_code"),
        "accessibility": _first(location.get("accessibility"), "description"),
    }
    values = {key: value for key, value in values.items() if value not in (None, "", [])}
    return _Candidate(number, values, categories=package.terms_of(service, audience=False))


def _parse_openreferral(content: str) -> list[_Candidate]:
    data = _json_load(content)
    if isinstance(data, list):
        services = data
    elif isinstance(data, dict) and isinstance(data.get("services"), list):
        services = data["services"]
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):  # a paged list
        services = data["contents"]
    elif isinstance(data, dict) and "name" in data:
        services = [data]
    else:
        raise ValidationError(
            _(
                "The file is not Open Referral UK: it must hold a list of services, one service, "
                "or an object with a list of “services”."
            )
        )
    package = _Package.read(data)
    return [_service_candidate(n, service, package) for n, service in enumerate(services, start=1)]


PARSERS = {
    ImportFormat.CSV: _parse_csv,
    ImportFormat.GEOJSON: _parse_geojson,
    ImportFormat.OPENREFERRAL: _parse_openreferral,
}


def _parse(*, content: str, format: str) -> list[_Candidate]:
    candidates = PARSERS[ImportFormat(format)](content.removeprefix("\ufeff"))
    if not candidates:
        raise ValidationError(
            _("The file has no assets in it: add one row for each asset, then upload it again.")
        )
    return candidates


def import_format_detect(*, file_name: str, content: str) -> str:
    """The file's format from its name (and, for .json, from what it holds)."""
    suffix = Path(file_name).suffix.casefold()
    if suffix == ".csv":
        return ImportFormat.CSV
    if suffix == ".geojson":
        return ImportFormat.GEOJSON
    if suffix == ".json":
        try:
            data = json.loads(content)
        except (json.JSONDecodeError, RecursionError):
            return ImportFormat.OPENREFERRAL  # the check says what is wrong with it
        is_geojson = isinstance(data, dict) and data.get("type") in ("FeatureCollection", "Feature")
        return ImportFormat.GEOJSON if is_geojson else ImportFormat.OPENREFERRAL
    raise ValidationError(
        _(
            "We cannot tell the file's format from its name: choose CSV, GeoJSON or "
            "Open Referral UK."
        )
    )


# --- Checking each row ------------------------------------------------------------------------


def _lookup(pairs) -> dict[str, str]:
    """A case-insensitive lookup; a key that two values claim is dropped, not guessed."""
    claimed = defaultdict(set)
    for key, value in pairs:
        claimed[_text(key).casefold()].add(value)
    return {key: values.pop() for key, values in claimed.items() if key and len(values) == 1}


def _language_names():
    with translation.override("en"):
        for code, name, own in LANGUAGES:
            english = str(name)
            yield from [(code, code), (english, code), (own, code)]
            if "(" in english:  # "Farsi (Persian)" → also "Farsi" and "Persian"
                outer, inner = english.rstrip(")").split("(", 1)
                yield from [(outer, code), (inner, code)]


@dataclass(frozen=True)
class _Lookups:
    """Everything a row is checked against, read once per file."""

    categories: dict
    default_category: AssetCategory | None
    languages: dict
    welcoming_to: dict
    costs: dict

    @classmethod
    def load(cls, default_category_id: int | None) -> "_Lookups":
        categories = list(AssetCategory.objects.all())
        with translation.override("en"):  # values and their English labels: "Low cost" → low
            welcoming_to = [(key, v) for v, label in WelcomingTo.choices for key in (v, str(label))]
            costs = [(key, v) for v, label in Cost.choices for key in (v, str(label))]
        return cls(
            categories=_lookup(
                (key, c) for c in categories for key in (c.slug, c.name_en, c.name_cy)
            ),
            default_category=next((c for c in categories if c.pk == default_category_id), None),
            languages=_lookup(_language_names()),
            welcoming_to=_lookup(welcoming_to),
            costs=_lookup(costs),
        )


@dataclass
class _Checked:
    """A row after checking: the fields for asset_create, or the problems that stop it."""

    row: int
    name: str
    fields: dict
    category: AssetCategory | None
    category_given: str
    category_default: bool
    geometry: dict | None = None
    latitude: float | None = None
    longitude: float | None = None
    errors: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)

    def add(self, field_name: str, message) -> None:
        self.errors.append({"field": field_name, "message": str(message)})

    def as_preview(self) -> dict:
        place = ", ".join(filter(None, [self.fields.get("address"), self.fields.get("postcode")]))
        return {
            "row": self.row,
            "name": self.name,
            "category": self.category.slug if self.category else None,
            "category_given": self.category_given,
            "category_default": self.category_default,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "place": place,
            "errors": self.errors,
            "duplicates": self.duplicates,
        }


def _category(checked: _Checked, terms: list[str], lookups: _Lookups) -> None:
    for term in terms:
        if category := lookups.categories.get(term.casefold()):
            checked.category = category
            return
    if lookups.default_category:
        checked.category, checked.category_default = lookups.default_category, True
    elif terms:
        checked.add(
            "category",
            _(
                "no category matches “%(given)s”; use one of ours by its name or slug, or "
                "choose a default category on the upload page"
            )
            % {"given": ", ".join(terms)},
        )
    else:
        checked.add(
            "category",
            _(
                "no category matches; name one of ours, or choose a default category on the "
                "upload page"
            ),
        )


def _number(text: str, limit: int) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def _point(checked: _Checked, values: dict) -> dict | None:
    latitude, longitude = _text(values.get("latitude")), _text(values.get("longitude"))
    if not latitude and not longitude:
        return None
    if not latitude or not longitude:
        missing = "latitude" if not latitude else "longitude"
        checked.add(missing, _("is empty; give both latitude and longitude, or neither"))
        return None
    lat, lng = _number(latitude, 90), _number(longitude, 180)
    if lat is None:
        checked.add(
            "latitude",
            _("must be a number between -90 and 90, not “%(value)s”") % {"value": latitude},
        )
    if lng is None:
        checked.add(
            "longitude",
            _("must be a number between -180 and 180, not “%(value)s”") % {"value": longitude},
        )
    return None if lat is None or lng is None else {"type": "Point", "coordinates": [lng, lat]}


def _location(checked: _Checked, candidate: _Candidate) -> None:
    geometry = candidate.geometry or _point(checked, candidate.values)
    if not geometry:
        return
    try:
        checked.geometry, checked.latitude, checked.longitude = geometry_clean(geometry)
    except ValidationError as error:
        checked.add("location", " ".join(error.messages))
        return
    if checked.category and checked.category.domain == Domain.INDIVIDUAL:
        checked.add(
            "location",
            _(
                "a person's skill or time has no place on the map: leave the location empty, "
                "or choose another category"
            ),
        )


def _choices(checked: _Checked, name: str, value, lookup: dict, explain: str) -> list[str]:
    """Values separated by ";" or "," (or a JSON list), each matched case-insensitively."""
    tokens = value if isinstance(value, list) else re.split(r"[;,]", _text(value))
    chosen, unknown = [], []
    for token in filter(None, map(_text, tokens)):
        match = lookup.get(token.casefold())
        if match is None:
            unknown.append(f"“{token}”")
        elif match not in chosen:
            chosen.append(match)
    if unknown:
        checked.add(name, f"{', '.join(unknown)}: {explain}")
    return chosen


def _lists(checked: _Checked, values: dict, lookups: _Lookups) -> None:
    checked.fields["languages"] = _choices(
        checked,
        "languages",
        values.get("languages"),
        lookups.languages,
        _(
            "not a language we list; use codes such as cy, ar or fa, or English names such as "
            "Welsh or Arabic, separated by ; or ,"
        ),
    )
    checked.fields["welcoming_to"] = _choices(
        checked,
        "welcoming_to",
        values.get("welcoming_to"),
        lookups.welcoming_to,
        _("not one we list; use %(allowed)s, separated by ; or ,")
        % {"allowed": ", ".join(WelcomingTo.values)},
    )
    cost = _text(values.get("cost"))
    checked.fields["cost"] = lookups.costs.get(cost.casefold(), "")
    if cost and not checked.fields["cost"]:
        checked.add("cost", _("must be free, low or paid, not “%(value)s”") % {"value": cost})


def _model_rules(checked: _Checked) -> None:
    """Lengths and the web address, by the Asset model's own rules."""
    asset = Asset(**{name: checked.fields[name] for name in MODEL_CHECKED})
    other_fields = [f.name for f in Asset._meta.fields if f.name not in MODEL_CHECKED]
    try:
        asset.clean_fields(exclude=other_fields)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                checked.add(name, message)


def _row_check(candidate: _Candidate, lookups: _Lookups) -> _Checked:
    values = candidate.values
    name = _text(values.get("name"))
    checked = _Checked(
        row=candidate.row,
        name=name,
        fields={},
        category=None,
        category_given=", ".join(candidate.categories),
        category_default=False,
    )
    for field_name, message in candidate.problems:
        checked.add(field_name, message)
    if candidate.problems:  # nothing more can be read from it
        return checked
    if not name:
        checked.add("name", _("is empty; every asset needs a name"))
    elif len(name) > 200:
        checked.add("name", _("is longer than 200 characters; shorten it"))
    _category(checked, candidate.categories, lookups)
    website = _text(values.get("website"))
    if website and "://" not in website:
        website = f"https://{website}"  # "www.example.org" is what people write
    checked.fields = {name_: _text(values.get(name_)) for name_ in TEXT_COLUMNS}
    checked.fields.update(name=name, category=checked.category, website=website)
    _lists(checked, values, lookups)
    _model_rules(checked)
    _location(checked, candidate)
    return checked


# --- Likely duplicates ------------------------------------------------------------------------


class _Names:
    """The distinct names in one cell or category (casefolded, in the order first seen), each
    with every place it was seen."""

    __slots__ = ("names", "places")

    def __init__(self):
        self.names: list[str] = []
        self.places: dict[str, list[tuple]] = {}

    def add(self, name: str, latitude: float | None, longitude: float | None, ref: dict) -> None:
        key = name.casefold()
        if key not in self.places:
            self.places[key] = []
            self.names.append(key)
        self.places[key].append((latitude, longitude, ref))


NO_NAMES = _Names()


class _Nearby:
    """Names indexed by place (in cells the size of the duplicate distance) and by category.
    Each distinct name is held once, so a file of one name at one spot is checked in linear
    time. A row's name is compared with at most DUPLICATE_CANDIDATES distinct names around it
    (asset_duplicates' limit): first by rapidfuzz's indel ratio, which is never below the
    SequenceMatcher ratio that decides, so the quick pass drops no match."""

    def __init__(self):
        self.cells = defaultdict(_Names)
        self.categories = defaultdict(_Names)

    @staticmethod
    def _cell(latitude: float, longitude: float) -> tuple[int, int]:
        d = DUPLICATE_DISTANCE_DEGREES
        return math.floor(latitude / d), math.floor(longitude / d)

    def add_placed(self, latitude: float, longitude: float, name: str, ref: dict) -> None:
        self.cells[self._cell(latitude, longitude)].add(name, latitude, longitude, ref)

    def add_in_category(self, category_id: int, name: str, ref: dict) -> None:
        self.categories[category_id].add(name, None, None, ref)

    def _groups(self, row: _Checked) -> list[_Names]:
        if row.latitude is None:
            return [self.categories.get(row.category.pk, NO_NAMES)]
        i, j = self._cell(row.latitude, row.longitude)
        around = [(0, 0), *((di, dj) for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj)]
        return [self.cells.get((i + di, j + dj), NO_NAMES) for di, dj in around]

    def _near(self, row: _Checked, latitude: float | None, longitude: float | None) -> bool:
        d = DUPLICATE_DISTANCE_DEGREES
        return row.latitude is None or (
            abs(latitude - row.latitude) <= d and abs(longitude - row.longitude) <= d
        )

    def _alike(self, row: _Checked, names: list[str]) -> Iterator[str]:
        """The names in `names` like the row's, in order, looked at a chunk at a time so a
        name like every other stops early."""
        query = row.name.casefold()
        for start in range(0, len(names), QUICK_CHUNK):
            chunk = names[start : start + QUICK_CHUNK]
            quick = process.extract(
                query, chunk, scorer=fuzz.ratio, score_cutoff=QUICK_CUTOFF, limit=None
            )
            for name, _score, _index in sorted(quick, key=itemgetter(2)):
                if _similar(name, row.name):
                    yield name

    def similar(self, row: _Checked) -> list[dict]:
        found, budget = [], DUPLICATE_CANDIDATES
        for group in self._groups(row):
            if not group.names:
                continue
            names = group.names[:budget]
            budget -= len(names)
            for name in self._alike(row, names):
                for latitude, longitude, ref in group.places[name]:
                    if self._near(row, latitude, longitude):
                        found.append(ref)
                        if len(found) == DUPLICATES_SHOWN:
                            return found
        return found


def _nearby_existing(rows: list[_Checked]) -> _Nearby:
    """Existing assets that could match any row: two queries for the whole file."""
    nearby, d = _Nearby(), DUPLICATE_DISTANCE_DEGREES
    existing = Asset.objects.exclude(status=AssetStatus.ARCHIVED)
    placed = [row for row in rows if row.latitude is not None]
    if placed:
        lats, lngs = [row.latitude for row in placed], [row.longitude for row in placed]
        box = existing.in_bbox(min(lngs) - d, min(lats) - d, max(lngs) + d, max(lats) + d)
        for pk, name, lat, lng in box.values_list("pk", "name", "latitude", "longitude"):
            nearby.add_placed(lat, lng, name, {"id": pk, "name": name})
    categories = {row.category.pk for row in rows if row.latitude is None}
    if categories:
        in_categories = existing.filter(category_id__in=categories)
        for pk, name, category_id in in_categories.values_list("pk", "name", "category_id"):
            nearby.add_in_category(category_id, name, {"id": pk, "name": name})
    return nearby


def _duplicates_flag(rows: list[_Checked]) -> None:
    """Flag each row like an existing asset or an earlier row: a similar name, and nearby (or,
    without a place, in the same category) — the rule asset_duplicates applies to one asset."""
    rows = [row for row in rows if not row.errors]
    nearby = _nearby_existing(rows)
    for row in rows:
        row.duplicates = nearby.similar(row)
        ref = {"id": None, "row": row.row, "name": row.name}
        nearby.add_in_category(row.category.pk, row.name, ref)
        if row.latitude is not None:
            nearby.add_placed(row.latitude, row.longitude, row.name, ref)


# --- Progress ---------------------------------------------------------------------------------


class _Progress:
    """Reports progress in steps of PROGRESS_STEP percent through `write`."""

    def __init__(self, write: Callable[[int], object]):
        self.write, self.last = write, 0

    def __call__(self, percent: int) -> None:
        if percent >= self.last + PROGRESS_STEP:
            self.last = percent
            self.write(percent)


def _progress_key(job_id: int) -> str:
    return f"asset-import:{job_id}:progress"


def _heartbeat_key(job_id: int) -> str:
    return f"asset-import:{job_id}:heartbeat"


def import_progress(*, job: AssetImport) -> int:
    """How far a running job has got, in percent. An import writes all its rows in one
    transaction, which no one else sees until it ends, so it reports its progress in the cache."""
    if job.status == ImportStatus.IMPORTING:
        return cache.get(_progress_key(job.pk), job.progress)
    return job.progress


def _rows_check(job: AssetImport, progress: Callable[[int], None]) -> list[_Checked]:
    """Every row of the job's file, checked; progress runs 0–90 while the rows are read."""
    candidates = _parse(content=job.content, format=job.format)
    lookups = _Lookups.load(_default_category_id(job.preview))
    rows = []
    for done, candidate in enumerate(candidates, start=1):
        rows.append(_row_check(candidate, lookups))
        progress(90 * done // len(candidates))
    _duplicates_flag(rows)
    return rows


def _default_category_id(preview: list) -> int | None:
    """The upload page's default category. AssetImport has no field for it, so the preview
    holds {"default_category_id": …} until the check replaces it with rows, each of which says
    whether it took the default (see import_start)."""
    for row in preview:
        if row.get("default_category_id"):
            return row["default_category_id"]
        if row.get("category_default") and row.get("category"):
            category = AssetCategory.objects.filter(slug=row["category"]).first()
            return category.pk if category else None
    return None


# --- The job's life ---------------------------------------------------------------------------


def _check_report(checking, percent: int) -> None:
    checking.update(progress=percent, heartbeat_at=timezone.now())


def import_check(*, job_id: int) -> AssetImport:
    """Read and check every row of a CHECKING job's file, writing no asset. The preview lists
    each row with its problems (row, field, why) and likely duplicates; the job becomes READY,
    or INVALID if any row has a problem. A job that is not CHECKING is left as it is, so
    running this twice changes nothing."""
    job = AssetImport.objects.get(pk=job_id)
    if job.status != ImportStatus.CHECKING:
        return job
    checking = AssetImport.objects.filter(pk=job_id, status=ImportStatus.CHECKING)
    try:
        checking.update(heartbeat_at=timezone.now())
        rows = _rows_check(
            job,
            _Progress(
                lambda percent: checking.update(progress=percent, heartbeat_at=timezone.now())
            ),
        )
    except ValidationError as error:  # the file as a whole cannot be read
        checking.update(status=ImportStatus.INVALID, error=" ".join(error.messages), progress=100)
    else:
        checking.update(
            status=ImportStatus.INVALID if any(r.errors for r in rows) else ImportStatus.READY,
            preview=[row.as_preview() for row in rows],
            total_rows=len(rows),
            progress=100,
            error="",
        )
    job.refresh_from_db()
    return job


def _problems(rows: list[_Checked], shown: int = 5) -> str:
    problems = [
        _("Row %(row)s, %(field)s: %(message)s") % {"row": row.row, **error}
        for row in rows
        for error in row.errors
    ]
    more = len(problems) - shown
    text = " ".join(problems[:shown])
    if more <= 0:
        return text
    return " ".join([text, _("And %(count)s more.") % {"count": more}])


def _import_report(job_id: int, percent: int) -> None:
    # The row's own updates stay unseen until the import's transaction ends: progress and
    # the sign of life go through the cache meanwhile.
    cache.set(_progress_key(job_id), percent, 3600)
    cache.set(_heartbeat_key(job_id), timezone.now().timestamp(), 3600)


def _rows_import(job: AssetImport, skip_duplicates: bool) -> int:
    report = _Progress(lambda percent: _import_report(job.pk, percent))
    rows = _rows_check(job, lambda percent: report(percent * 40 // 90))
    if any(row.errors for row in rows):
        raise ValidationError(
            _("The file no longer passes the checks, so nothing was imported. %(problems)s")
            % {"problems": _problems(rows)}
        )
    chosen = [row for row in rows if not (skip_duplicates and row.duplicates)]
    created = []
    for done, row in enumerate(chosen, start=1):
        try:
            asset = asset_create(
                recorded_by=job.created_by,
                fields=row.fields,
                geometry=row.geometry,
                source=AssetSource.IMPORT,
                # A place-based asset with no location waits for a coordinator to place it.
                publish=row.geometry is not None
                or row.fields["category"].domain == Domain.INDIVIDUAL,
                areas=False,
            )
        except ValidationError as error:
            raise ValidationError(
                _("Row %(row)s: %(why)s Nothing was imported.")
                % {"row": row.row, "why": " ".join(error.messages)}
            ) from error
        created.append(asset.pk)
        report(40 + 60 * done // len(chosen))
    areas_assign(ids=created)
    return len(chosen)


def import_commit(*, job_id: int, skip_duplicates: bool) -> AssetImport:
    """Import a READY job's rows as published assets, all or nothing. The job is claimed
    (READY → IMPORTING) first: if someone else already claimed it, nothing happens, so a
    double click or a re-delivered task cannot import twice. The rows are checked again,
    because assets or categories may have changed since the preview; any problem rolls
    everything back and the job is FAILED with the reason."""
    claimed = AssetImport.objects.filter(pk=job_id, status=ImportStatus.READY).update(
        status=ImportStatus.IMPORTING, progress=0, error="", heartbeat_at=timezone.now()
    )
    job = AssetImport.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    importing = AssetImport.objects.filter(pk=job_id, status=ImportStatus.IMPORTING)
    try:
        with transaction.atomic():
            imported = _rows_import(job, skip_duplicates)
            importing.update(
                status=ImportStatus.DONE,
                imported_count=imported,
                progress=100,
                finished_at=timezone.now(),
            )
    except ValidationError as error:
        importing.update(
            status=ImportStatus.FAILED, error=" ".join(error.messages), finished_at=timezone.now()
        )
    finally:
        cache.delete_many([_progress_key(job_id), _heartbeat_key(job_id)])
    job.refresh_from_db()
    return job


def import_fail(*, job_id: int, message: str = "") -> None:
    """Mark an unfinished job FAILED with a short reason a coordinator can act on (never a
    traceback); the page then offers "Try again"."""
    AssetImport.objects.filter(
        pk=job_id, status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING]
    ).update(
        status=ImportStatus.FAILED,
        error=message
        or _("Something went wrong on our side while handling the file. Try again in a minute."),
        finished_at=timezone.now(),
    )


def _last_alive(job: AssetImport) -> datetime:
    beat = cache.get(_heartbeat_key(job.pk)) if job.status == ImportStatus.IMPORTING else None
    return max(job.heartbeat_at, datetime.fromtimestamp(beat, tz=UTC)) if beat else job.heartbeat_at


def import_is_stale(*, job: AssetImport) -> bool:
    """Checking or importing with no sign of life for STALE_AFTER: its worker stopped."""
    running = job.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)
    return running and _last_alive(job) < timezone.now() - STALE_AFTER


def import_stale_fail(*, job_id: int | None = None) -> int:
    """Mark FAILED, with "try again", every job (or the one job) whose worker stopped: left
    checking or importing with no sign of life for STALE_AFTER. Runs from beat every few
    minutes and whenever a job's page is read; returns how many it failed."""
    running = AssetImport.objects.filter(
        status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING],
        heartbeat_at__lt=timezone.now() - STALE_AFTER,
    ).only("pk", "status", "heartbeat_at")
    if job_id is not None:
        running = running.filter(pk=job_id)
    stale = [job for job in running if import_is_stale(job=job)]
    for job in stale:
        import_fail(job_id=job.pk, message=_("The worker stopped before it finished. Try again."))
    return len(stale)


def import_release(*, job_id: int) -> None:
    """Give an IMPORTING job back (→ READY) after its transaction rolled back, so a retried
    task can claim it again."""
    AssetImport.objects.filter(pk=job_id, status=ImportStatus.IMPORTING).update(
        status=ImportStatus.READY
    )


def _run_here(service: Callable[..., AssetImport], job_id: int, **kwargs) -> None:
    try:
        service(job_id=job_id, **kwargs)
    except Exception:  # shown on the job page with "Try again" rather than as an error page
        logger.exception("Asset import %s failed", job_id)
        import_fail(job_id=job_id)


def _check_start(job: AssetImport) -> None:
    from assets.tasks import import_check_task  # the tasks call these services

    if job.total_rows <= IN_REQUEST_ROWS:
        _run_here(import_check, job.pk)
    else:
        language = translation.get_language()
        transaction.on_commit(lambda: import_check_task.delay(job.pk, language=language))


def import_start(
    *,
    created_by,
    file_name: str,
    content: str,
    format: str,
    default_category: AssetCategory | None = None,
) -> AssetImport:
    """Record an upload and check it: at once for a small file, by the worker for a large
    one. Raises ValidationError, creating nothing, if the file cannot be read at all."""
    rows = _parse(content=content, format=format)
    job = AssetImport.objects.create(
        created_by=created_by,
        file_name=file_name[-200:],
        format=format,
        content=content,
        total_rows=len(rows),
        preview=[{"default_category_id": default_category.pk}] if default_category else [],
    )
    _check_start(job)
    job.refresh_from_db()
    return job


def import_confirm(*, job_id: int, skip_duplicates: bool) -> bool:
    """A coordinator confirmed the preview: import at once for a small file, else queue it for
    the worker (returns True). Confirming a job that is not READY (a second click) does nothing."""
    from assets.tasks import import_commit_task

    job = AssetImport.objects.only("status", "total_rows").get(pk=job_id)
    if job.status != ImportStatus.READY:
        return False
    if job.total_rows <= IN_REQUEST_ROWS:
        _run_here(import_commit, job_id, skip_duplicates=skip_duplicates)
        return False
    language = translation.get_language()
    transaction.on_commit(
        lambda: import_commit_task.delay(job_id, skip_duplicates, language=language)
    )
    return True


def import_retry(*, job_id: int) -> None:
    """Start a FAILED job again from the check, with the same file and default category; the
    coordinator then confirms the fresh preview. Any other job is left as it is."""
    restarted = AssetImport.objects.filter(pk=job_id, status=ImportStatus.FAILED).update(
        status=ImportStatus.CHECKING,
        progress=0,
        error="",
        finished_at=None,
        heartbeat_at=timezone.now(),
    )
    if restarted:
        _check_start(AssetImport.objects.only("total_rows").get(pk=job_id))


def import_preview_rows(*, job: AssetImport) -> list[dict]:
    """The preview's rows, each with its category named in the current language."""
    slugs = {row["category"] for row in job.preview if row.get("category")}
    names = {c.slug: c.name for c in AssetCategory.objects.filter(slug__in=slugs)}
    return [
        {**row, "category_name": names.get(row.get("category")) or row.get("category_given")}
        for row in job.preview
        if "row" in row
    ]
