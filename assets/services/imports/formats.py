"""An import file's format, and reading it by its format."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assets.models import ImportFormat
from assets.services.imports.openreferral import _parse_openreferral
from assets.services.imports.reading import _Candidate, _parse_csv, _parse_geojson

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
