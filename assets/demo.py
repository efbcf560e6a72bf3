"""The demo test sites: Townhill and Mayhill, Swansea, and Butetown and Grangetown, Cardiff
(two of Wales's four dispersal areas), with the real 2011 boundaries of Swansea and Cardiff
shipped in assets/data/boundaries; the assets written for Townhill and Mayhill in
assets/data/demo_assets.json (places, groups and people's skills) and a few for Cardiff
here, some of each waiting in their site's moderation queue."""

import gzip
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo import CARDIFF, SWANSEA
from core.models import Site
from participants.demo_outcomes import tie_places
from participants.models import Participant, Tie, TieFormed

from .geo import geometry_clean
from .maps import published_changed
from .models import AreaLevel, Asset, AssetCategory, AssetEndorsement, AssetStatus, TiePlace
from .selectors import valued_by_both
from .services.areas import PARENT_LEVEL, areas_import_geojson, site_define
from .services.assets import EDITABLE_FIELDS, asset_create, asset_update
from .versions import moderation_changed

DATA = Path(__file__).resolve().parent / "data"
BOUNDARIES = DATA / "boundaries"
DEMO_ASSETS = DATA / "demo_assets.json"
SITE_CODE = "SITE-SWA-TM"
CARDIFF_SITE_CODE = "SITE-CDF-BG"
# (local authority, site slug, area code, English name, Welsh name, member MSOAs)
DEMO_SITES = [
    ("W06000011", SWANSEA, SITE_CODE, "Townhill and Mayhill, Swansea",
     "Townhill a Mayhill, Abertawe", ["W02000186", "W02000192"]),  # Swansea 019 and 025
    ("W06000015", CARDIFF, CARDIFF_SITE_CODE, "Butetown and Grangetown, Cardiff",
     "Butetown a Grangetown, Caerdydd", ["W02000422", "W02000423"]),  # Cardiff 048 and 049
]  # fmt: skip


def _point(lat: float, lng: float) -> dict:
    return {"type": "Point", "coordinates": [lng, lat]}


# Cardiff's demo assets, in the rows' format of demo_assets.json.
CARDIFF_ASSETS = [
    {"name": "Butetown Community Centre", "name_cy": "Canolfan Gymunedol Butetown",
     "category": "community-centre", "geometry": _point(51.4655, -3.1669),
     "address": "Loudoun Square, Butetown, Cardiff", "cost": "low", "languages": ["en", "so"],
     "welcoming_to": ["tenants", "sanctuary", "families"], "source": "coordinator",
     "recorded_by": "coordinator-cardiff", "verified_days_ago": 40,
     "site": CARDIFF},
    {"name": "Grangetown Hub", "name_cy": "Hyb Grangetown", "category": "community-centre",
     "geometry": _point(51.4715, -3.1790), "address": "Havelock Place, Grangetown, Cardiff",
     "cost": "free", "languages": ["en", "cy", "ar"], "welcoming_to": ["sanctuary", "tenants"],
     "source": "coordinator", "recorded_by": "coordinator-cardiff", "verified_days_ago": 400,
     "site": CARDIFF},
    {"name": "Bay Walking Group", "category": "community-centre",
     "geometry": _point(51.4640, -3.1600), "source": "participant",
     "status": "submitted", "on_behalf_of": "P-202", "site": CARDIFF},
    {"name": "Somali Women's Sewing Circle", "category": "community-centre",
     "geometry": _point(51.4660, -3.1700), "source": "participant",
     "status": "submitted", "on_behalf_of": "P-206", "site": CARDIFF},
    {"name": "Grangetown Pavilion Garden", "category": "community-centre",
     "geometry": _point(51.4725, -3.1760), "source": "participant",
     "status": "submitted", "on_behalf_of": "P-201", "site": CARDIFF},
]  # fmt: skip


def _load(name: str) -> dict:
    return json.loads((BOUNDARIES / name).read_text())


def seed() -> list[str]:
    return [_seed_site(), _seed_assets()]


WALES = BOUNDARIES / "wales"


def wales_seed() -> list[str]:
    return [wales_load()]


def tie_places_seed() -> list[str]:
    """Link the demo ties formed at a place on the map (participants.demo_outcomes) to that
    place; idempotent."""
    places = dict(
        Asset.objects.filter(status=AssetStatus.PUBLISHED)
        .order_by("-pk")  # the oldest, if a name repeats
        .values_list("name", "pk")
    )
    ties = Tie.objects.filter(formed=TieFormed.ASSET, alter__isnull=False).values_list(
        "pk", "participant__code", "time_point", "alter__code"
    )
    tie_ids = {(code, time_point, alter): pk for pk, code, time_point, alter in ties}
    linked = 0
    for code, time_point, alter, place in tie_places():
        tie_id, asset_id = tie_ids.get((code, time_point, alter)), places.get(place)
        if tie_id and asset_id:
            TiePlace.objects.update_or_create(tie_id=tie_id, defaults={"asset_id": asset_id})
            linked += 1
    return [f"Demo ties formed at a place on the map: {linked}"]


def wales_load() -> str:
    """All of Wales (22 local authorities, 410 MSOAs, 1,909 LSOAs, shipped gzipped in
    assets/data/boundaries/wales), each level's parents found by containment; every asset
    and barrier is re-assigned after each level."""
    counts = []
    for level, name, code, label, name_cy in [
        (AreaLevel.LOCAL_AUTHORITY, "la", "LAD13CD", "LAD13NM", "LAD13NMW"),
        (AreaLevel.MSOA, "msoa", "MSOA11CD", "MSOA11NM", None),
        (AreaLevel.LSOA, "lsoa", "LSOA11CD", "LSOA11NM", None),
    ]:
        with gzip.open(WALES / f"{name}.geojson.gz", "rt", encoding="utf-8") as file:
            collection = json.load(file)
        counts.append(
            areas_import_geojson(
                collection=collection,
                level=level,
                code_field=code,
                name_field=label,
                name_cy_field=name_cy,
                parent_level=PARENT_LEVEL.get(level),
            )
        )
    return "All of Wales: {} local authorities, {} MSOAs, {} LSOAs".format(*counts)


def _seed_site() -> str:
    return "\n".join(_seed_one_site(*row) for row in DEMO_SITES)


def _seed_one_site(lad, slug, code, name_en, name_cy, members) -> str:
    town = "Swansea" if slug == SWANSEA else "Cardiff"
    areas_import_geojson(
        collection=_load(f"lad_{lad}.json"),
        level=AreaLevel.LOCAL_AUTHORITY,
        code_field="LAD13CD",
        name_field="LAD13NM",
        name_cy_field="LAD13NMW",
    )
    msoas = areas_import_geojson(
        collection=_load(f"msoa_{lad}.json"),
        level=AreaLevel.MSOA,
        code_field="MSOA11CD",
        name_field="MSOA11NM",
        parent_level=AreaLevel.LOCAL_AUTHORITY,
    )
    lsoas = areas_import_geojson(
        collection=_load(f"lsoa_{lad}.json"),
        level=AreaLevel.LSOA,
        code_field="LSOA11CD",
        name_field="LSOA11NM",
        parent_level=AreaLevel.MSOA,
    )
    area = site_define(
        code=code,
        name_en=name_en,
        name_cy=name_cy,
        member_codes=members,
        site=Site.objects.get(slug=slug),
    )
    return f"Demo site: {area.name_en} ({town}: {msoas} MSOAs, {lsoas} LSOAs)"


def _seed_assets() -> str:
    """Each demo asset, matched by its name: created through the service the first time,
    brought up to date after; then its status, dates and endorsements."""
    rows = json.loads(DEMO_ASSETS.read_text()) + CARDIFF_ASSETS
    sites = {site.slug: site for site in Site.objects.filter(slug__in=[SWANSEA, CARDIFF])}
    categories = {category.slug: category for category in AssetCategory.objects.all()}
    usernames = {row["recorded_by"] for row in rows if row.get("recorded_by")}
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=usernames)
    }
    participants = {participant.code: participant for participant in Participant.objects.all()}
    today = timezone.localdate()
    pks = []
    for row in rows:
        asset = _asset_upsert(row, categories[row["category"]])
        _asset_pin(
            asset,
            row,
            users=users,
            participants=participants,
            site=sites[row.get("site", SWANSEA)],
            today=today,
        )
        for code in row.get("valued_by", []):
            AssetEndorsement.objects.get_or_create(asset=asset, participant=participants[code])
        pks.append(asset.pk)
    published_changed()  # statuses and endorsements were written directly
    moderation_changed()
    demo = Asset.objects.filter(pk__in=pks)
    waiting = demo.filter(status=AssetStatus.SUBMITTED).count()
    both = valued_by_both(demo).count()
    return (
        f"Demo assets: {len(pks)} ({waiting} waiting for moderation, {both} valued by "
        "tenants and people seeking sanctuary alike)"
    )


def _asset_upsert(row: dict, category: AssetCategory) -> Asset:
    fields = {
        name: row.get(name, Asset._meta.get_field(name).get_default()) for name in EDITABLE_FIELDS
    }
    fields["category"] = category
    geometry = row.get("geometry")
    asset = Asset.objects.filter(name=row["name"]).order_by("pk").first()
    if asset is None:
        return asset_create(
            recorded_by=None, fields=fields, geometry=geometry, source=row["source"]
        )
    if _differs(asset, fields, geometry):
        asset_update(asset=asset, fields=fields, geometry=geometry)
    return asset


def _differs(asset: Asset, fields: dict, geometry: dict | None) -> bool:
    # Compare with the geometry as stored (cleaned, then through JSON), so an unchanged asset
    # is not saved again and keeps its updated_at.
    wanted = json.loads(json.dumps(geometry_clean(geometry)[0])) if geometry else None
    return asset.geometry != wanted or any(
        getattr(asset, name) != value for name, value in fields.items()
    )


def _asset_pin(
    asset: Asset, row: dict, *, users: dict, participants: dict, site: Site, today: date
) -> None:
    """Who recorded the asset, its site, its status, and when it was last checked. Checks are
    counted back from today, so the demo always has some assets due for re-checking (over
    12 months)."""
    status = row.get("status", AssetStatus.PUBLISHED)
    checked = None
    if status == AssetStatus.PUBLISHED:
        checked = today - timedelta(days=row["verified_days_ago"])
    Asset.objects.filter(pk=asset.pk).update(
        status=status,
        rejection_reason=row.get("rejection_reason", ""),
        source=row["source"],
        recorded_by=users.get(row.get("recorded_by")),
        on_behalf_of=participants.get(row.get("on_behalf_of")),
        site=site,
        last_verified_on=checked,
        published_at=timezone.make_aware(datetime.combine(checked, time(10))) if checked else None,
    )
