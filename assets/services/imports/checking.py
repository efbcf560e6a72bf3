"""Checking each row read from an import file: its category, place, lists and lengths, by the
rules an asset entered by hand must keep. Every problem names its row, field and why."""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from assets.geo import geometry_clean
from assets.models import Asset, AssetCategory, Cost, Domain, WelcomingTo
from assets.services.imports.reading import _Candidate, _text
from core.languages import LANGUAGES

TEXT_COLUMNS = (
    "name_cy", "description", "description_cy", "address", "postcode", "contact",
    "opening_times", "accessibility",
)  # fmt: skip
# Checked by the model's own field rules (lengths, web address), so they say it the same way.
MODEL_CHECKED = {*TEXT_COLUMNS, "website"}


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
