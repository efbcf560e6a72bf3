"""Reads behind the map: the published layer (lean, one query) and the filtered list."""

from dataclasses import dataclass

import orjson
from django.db.models import Count, Q, QuerySet

from assets.models import Cost, Domain, WelcomingTo
from core.languages import CODES
from participants.disclosure import Row, row_shown
from participants.models import Cohort


@dataclass(frozen=True)
class AssetFilters:
    """The map's and the list's filters, as the query string gives them."""

    domain: str = ""
    category: str = ""
    welcoming: str = ""
    language: str = ""
    free: bool = False
    valued_by_both: bool = False
    q: str = ""

    @classmethod
    def from_query(cls, query) -> "AssetFilters":
        return cls(
            domain=query.get("domain", "") if query.get("domain") in Domain.values else "",
            category=query.get("category", "")[:60],
            welcoming=query.get("welcoming", "")
            if query.get("welcoming") in WelcomingTo.values
            else "",
            language=query.get("language", "") if query.get("language") in CODES else "",
            free=query.get("free") == "1",
            valued_by_both=query.get("both") == "1",
            q=query.get("q", "").strip()[:100],
        )

    def apply(self, assets: QuerySet) -> QuerySet:
        if self.domain:
            assets = assets.filter(domain=self.domain)
        if self.category:
            assets = assets.filter(
                Q(category__slug=self.category) | Q(category__parent__slug=self.category)
            )
        if self.welcoming:
            assets = assets.filter(welcoming_to__icontains=f'"{self.welcoming}"')
        if self.language:
            assets = assets.filter(languages__icontains=f'"{self.language}"')
        if self.free:
            assets = assets.filter(cost=Cost.FREE)
        if self.q:
            assets = assets.filter(
                Q(name__icontains=self.q)
                | Q(name_cy__icontains=self.q)
                | Q(description__icontains=self.q)
                | Q(address__icontains=self.q)
            )
        if self.valued_by_both:
            assets = valued_by_both(assets)
        return assets


def with_endorsements(assets: QuerySet) -> QuerySet:
    """Each asset with how many tenants, people seeking sanctuary and people in all value it
    (tenant_endorsements, sanctuary_endorsements, all_endorsements)."""
    return assets.annotate(
        tenant_endorsements=Count(
            "endorsements", filter=Q(endorsements__participant__cohort=Cohort.TENANT)
        ),
        sanctuary_endorsements=Count(
            "endorsements",
            filter=Q(endorsements__participant__cohort__in=Cohort.sanctuary()),
        ),
        all_endorsements=Count("endorsements"),
    )


def endorsements_shown(asset, *, exact: bool) -> Row:
    """Who values an asset, by group, as any page may show it: one breakdown (tenants, people
    seeking sanctuary, everyone else) wherever it is shown (participants.disclosure). `asset`
    is annotated by `with_endorsements`."""
    tenants, sanctuary = asset.tenant_endorsements, asset.sanctuary_endorsements
    return row_shown(
        {
            "tenants": tenants,
            "sanctuary": sanctuary,
            "other": asset.all_endorsements - tenants - sanctuary,
        },
        exact=exact,
    )


def valued_by_both(assets: QuerySet) -> QuerySet:
    """Assets endorsed by at least one tenant and at least one person seeking sanctuary: the
    bridging places the programme looks for."""
    return with_endorsements(assets).filter(tenant_endorsements__gt=0, sanctuary_endorsements__gt=0)


def map_layer(assets: QuerySet) -> bytes:
    """The published layer as GeoJSON, lean: a point, a name and a domain per asset (the rest
    loads on click). One query with values_list, encoded by orjson."""
    rows = (
        assets.filter(latitude__isnull=False)
        .order_by()
        .values_list("id", "name", "domain", "longitude", "latitude")
    )
    return orjson.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": pk,
                    "geometry": {"type": "Point", "coordinates": [lng, lat]},
                    "properties": {"name": name, "domain": domain},
                }
                for pk, name, domain, lng, lat in rows
            ],
        }
    )
