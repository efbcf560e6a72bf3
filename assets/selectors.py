"""Reads behind the map: the published layer (lean, one query) and the filtered list
(filtered by assets.filters.AssetFilterSet), and who values an asset."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from assets.maps import LAYER_VERSION, cell_layer, point_layer
from assets.models import Asset, AssetEndorsement, AssetStatus, Cost, WelcomingTo
from assets.services.assets import RECHECK_AFTER
from assets.versions import ROWS_VERSION
from core.compression import compress
from core.languages import language_name
from core.localmemo import memo_new
from core.models import in_project
from core.versions import version_get, versions_get
from participants.disclosure import Row, row_shown
from participants.models import Cohort, Participant


def published_for(user) -> QuerySet:
    """The published assets this person may see on the map and in its list. Inside the
    project that is every published asset: their own published ones are among them, so
    no condition (and no join) for them."""
    if in_project(user):
        return Asset.objects.published()
    return Asset.objects.visible_to(user).filter(status=AssetStatus.PUBLISHED)


def moderation_queue(*, user) -> QuerySet:
    """Submissions waiting for a check in `user`'s sites (core.sites), oldest first: the
    columns the queue shows, not every asset's description, geometry and contact details."""
    return (
        Asset.objects.for_user(user)
        .filter(status=AssetStatus.SUBMITTED)
        .select_related("category", "recorded_by", "on_behalf_of")
        .only(
            "name",
            "latitude",
            "domain",
            "created_at",
            "category__name_en",
            "category__name_cy",
            "recorded_by__username",
            "on_behalf_of__code",
        )
        .order_by("created_at")
    )


def recheck_due(*, user) -> QuerySet:
    """Published assets of `user`'s sites nobody has checked for RECHECK_AFTER (12 months),
    least recent first."""
    cutoff = timezone.localdate() - RECHECK_AFTER
    return (
        Asset.objects.for_user(user)
        .filter(status=AssetStatus.PUBLISHED)
        .filter(Q(last_verified_on__lt=cutoff) | Q(last_verified_on__isnull=True))
        .select_related("category")
        .order_by("last_verified_on", "name")
    )


def map_list(assets: QuerySet) -> QuerySet:
    """The list beside the map: the same (filtered) assets, by name."""
    return assets.select_related("category").order_by("name", "pk")


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
    bridging places the programme looks for. Found from the endorsements (a small table)
    and only then joined to `assets`, rather than counting every asset's endorsements."""
    both = (
        AssetEndorsement.objects.order_by()
        .values("asset_id")
        .annotate(
            tenants=Count("pk", filter=Q(participant__cohort=Cohort.TENANT)),
            sanctuary=Count("pk", filter=Q(participant__cohort__in=Cohort.sanctuary())),
        )
        .filter(tenants__gt=0, sanctuary__gt=0)
        .values("asset_id")
    )
    return with_endorsements(assets.filter(pk__in=both))


def map_layer(assets: QuerySet) -> bytes:
    """The published layer as GeoJSON, lean: a point, a name and a domain per asset (the rest
    loads on click). One query (assets.maps.point_layer)."""
    return point_layer(assets, "name", "domain")


def layer_build(assets: QuerySet, *, zoom: int | None) -> bytes:
    """The layer a map at `zoom` draws: every point (map_layer), or, zoomed out below
    MAP_POINTS_ZOOM with more than MAP_POINTS_MAX assets in view, counts per grid cell
    (assets.maps.cell_layer), so a zoomed-out first screen never ships every point."""
    placed = assets.filter(latitude__isnull=False, longitude__isnull=False)
    if (
        zoom is None
        or zoom >= settings.MAP_POINTS_ZOOM
        or placed.count() <= settings.MAP_POINTS_MAX
    ):
        return map_layer(assets)
    if placed.query.annotations:  # grouped already ("valued by both"): group its rows anew
        placed = Asset.objects.filter(pk__in=placed.values("pk"))
    return cell_layer(placed, zoom)


# This process's copies of the layers it served (core.localmemo): a layer is read on every
# view of the map, and its whole body crossing from Redis took longer than the rest of the
# request. Keyed by version like the shared cache, so a change still shows on the next request.
_bodies = memo_new(max_entries=64, max_bytes=32 * 2**20)


@dataclass(frozen=True)
class CachedLayer:
    """One request's layer: its ETag and Last-Modified (known before any encoding), and the
    body, from this process's copy, the cache, or built (from `assets()`, the filtered
    published assets) once per data version."""

    key: str
    etag: str
    last_modified: datetime | None
    version: tuple  # the published assets' (version, changed_at) the layer stands for
    assets: Callable[[], QuerySet]
    zoom: int | None

    def content(self) -> bytes:
        return self._kept(self.key, lambda: layer_build(self.assets(), zoom=self.zoom))

    def coded(self, coding: str) -> bytes:
        """The body in `coding` (core.compression), compressed once per version: compressing
        every point takes longer than encoding them."""
        if coding == "identity":
            return self.content()
        return self._kept(f"{self.key}:{coding}", lambda: compress(self.content(), coding))

    @staticmethod
    def _kept(key: str, build: Callable[[], bytes]) -> bytes:
        body = _bodies.get(key)
        if body is None:
            body = cache.get(key)
            if body is None:
                body = build()
                cache.set(key, body, timeout=settings.MAP_LAYER_CACHE_SECONDS)
            _bodies.set(key, body)
        return body


def layer_scope(user) -> str:
    """Whose layer it is: everyone inside the project sees the same assets, and so does the
    public; anyone else signed in also sees their own (Asset.objects.visible_to)."""
    if in_project(user):
        return "project"
    return f"user-{user.pk}" if user.is_authenticated else "public"


def _normal(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def layer_stamp() -> tuple[str, tuple]:
    """The published assets' version (assets.maps.LAYER_VERSION) as it names cached layers,
    and as it is: (version, changed_at). The time too: a version row made again (a restored
    database) never reuses old entries."""
    version, changed_at = current = version_get(LAYER_VERSION)
    return f"{version}.{int(changed_at.timestamp() * 1e6) if changed_at else 0}", current


def layer_digest(*, scope: str, filters: dict, zoom: int | None) -> str:
    """What names one layer of a version: its scope, the filters set (the cleaned filter
    data, in a fixed order) and the zoom."""
    asked = {name: _normal(value) for name, value in sorted(filters.items()) if value}
    return hashlib.sha256(
        orjson.dumps([scope, asked, zoom], option=orjson.OPT_NON_STR_KEYS)
    ).hexdigest()[:24]


def layer_cached(
    *,
    stamp: str,
    version: tuple,
    digest: str,
    assets: Callable[[], QuerySet],
    zoom: int | None,
) -> CachedLayer:
    """The layer named by `digest` (layer_digest) at the version `stamp` (layer_stamp), built
    from `assets()` (published_for(user), filtered) when neither this process nor the cache
    holds it."""
    return CachedLayer(
        key=f"map-layer:{stamp}:{digest}",
        # Weak: the same layer is sent in several codings (RFC 9110 §8.8.1).
        etag=f'W/"{stamp}-{digest}"',
        last_modified=version[1],
        version=version,
        assets=assets,
        zoom=zoom,
    )


# --- What a moderator sees -------------------------------------------------------------------

# Published assets within this many degrees of a submission on each axis (about 550 m north to
# south, 350 m east to west in Wales) are shown around it on the review page's map.
NEARBY_DEGREES = 0.005
NEARBY_SHOWN = 20


def asset_fields(asset: Asset) -> list[tuple[str, str]]:
    """Every field a person fills in when they add an asset, as (label, value shown), in the
    form's order; "" for one left empty. The review page lists them, and lines a submission
    up against a likely duplicate with them."""
    where = f"{asset.latitude:.5f}, {asset.longitude:.5f}" if asset.latitude is not None else ""
    return [
        (gettext("Name"), asset.name),
        (gettext("Name in Welsh"), asset.name_cy),
        (gettext("Category"), str(asset.category.name) if asset.category_id else ""),
        (gettext("Description"), asset.description),
        (gettext("Description in Welsh"), asset.description_cy),
        (gettext("Address"), asset.address),
        (gettext("Postcode"), asset.postcode),
        (gettext("Place on the map"), where),
        (gettext("How to get in touch"), asset.contact),
        (gettext("Website"), asset.website),
        (gettext("When it is open"), asset.opening_times),
        (gettext("Cost"), str(Cost(asset.cost).label) if asset.cost in Cost.values else ""),
        (gettext("Languages spoken"), ", ".join(language_name(c) for c in asset.languages)),
        (gettext("Accessibility"), asset.accessibility),
        (
            gettext("Especially welcoming to"),
            ", ".join(
                str(WelcomingTo(v).label) for v in asset.welcoming_to if v in WelcomingTo.values
            ),
        ),
    ]


def duplicates_side_by_side(asset: Asset, duplicates: list[Asset]) -> list[dict]:
    """Each likely duplicate with the submission's fields beside its own, marking the ones
    that differ."""
    mine = asset_fields(asset)
    return [
        {
            "other": other,
            "rows": [
                {"label": label, "mine": value, "theirs": theirs, "differs": value != theirs}
                for (label, value), (_label, theirs) in zip(mine, asset_fields(other), strict=True)
            ],
        }
        for other in duplicates
    ]


def nearby_published(asset: Asset, *, user) -> list[dict]:
    """The published assets nearest a placed submission (within NEARBY_DEGREES), nearest
    first, for the review page's map and the list beside it: id, name, category, position."""
    if asset.latitude is None:
        return []
    d = NEARBY_DEGREES
    rows = (
        published_for(user)
        .exclude(pk=asset.pk)
        .in_bbox(asset.longitude - d, asset.latitude - d, asset.longitude + d, asset.latitude + d)
        .select_related("category")
        .order_by()[:500]
    )

    def distance(other: Asset) -> float:
        return (other.latitude - asset.latitude) ** 2 + (other.longitude - asset.longitude) ** 2

    nearest = sorted(rows, key=distance)[:NEARBY_SHOWN]
    return [
        {
            "id": other.pk,
            "name": other.display_name,
            "category": str(other.category.name),
            "lat": other.latitude,
            "lng": other.longitude,
        }
        for other in nearest
    ]


# --- An asset's page -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetReader:
    """What an asset's page needs on every request beside the page kept for the project: the
    versions of the published assets and of the asset rows as they name the kept page (None
    before either's first change: nothing is kept), and the reader's participant record and
    whether it values the asset (their own button)."""

    stamp: str | None
    participant_id: int | None
    valued: bool


def asset_reader(*, user, asset_id: int) -> AssetReader:
    """One query (core.versions.versions_get)."""
    found, rows = versions_get(
        (LAYER_VERSION, ROWS_VERSION),
        rows=[
            ("participant", _participant_sql(), [user.pk]),
            ("valued", _valued_sql(), [asset_id, user.pk]),
        ],
    )
    moments = [found[name][1] for name in (LAYER_VERSION, ROWS_VERSION)]
    stamp = None
    if all(moments):
        stamp = ":".join(
            f"{found[name][0]}.{int(found[name][1].timestamp() * 1e6)}"
            for name in (LAYER_VERSION, ROWS_VERSION)
        )
    participant = rows["participant"]
    return AssetReader(
        stamp=stamp,
        participant_id=participant[0] if participant else None,
        valued=bool(rows["valued"]),
    )


def _participant_sql() -> str:
    people = Participant._meta
    return (
        f"SELECT p.{people.pk.column} AS v FROM {people.db_table} p"
        f" WHERE p.{people.get_field('user').column} = %s"
    )


def _valued_sql() -> str:
    people, marks = Participant._meta, AssetEndorsement._meta
    return (
        f"SELECT e.{marks.pk.column} AS v FROM {marks.db_table} e JOIN {people.db_table} p"
        f" ON p.{people.pk.column} = e.{marks.get_field('participant').column}"
        f" WHERE e.{marks.get_field('asset').column} = %s"
        f" AND p.{people.get_field('user').column} = %s"
    )
