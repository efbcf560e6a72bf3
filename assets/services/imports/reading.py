"""Reading an import file into candidate rows: what every format yields, and the CSV and
GeoJSON readers (Open Referral UK has a module of its own)."""

import csv
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COLUMNS = (
    "name", "category", "latitude", "longitude", "address", "postcode", "description",
    "website", "contact", "opening_times", "cost", "languages", "welcoming_to",
    "accessibility", "name_cy", "description_cy",
)  # fmt: skip


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
