"""Reading an Open Referral UK file (HSDS 3.0, UK profile) into candidate rows: a list of
services, one service, a package with its tables beside the services, or a paged list."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from assets.models import Cost
from assets.services.imports.reading import _Candidate, _json_load, _text


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
