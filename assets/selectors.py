"""Reads behind the map: the published layer (lean, one query) and the filtered list
(filtered by assets.filters.AssetFilterSet), and who values an asset."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from assets.maps import LAYER_VERSION, cell_layer, point_layer
from assets.models import Asset, AssetStatus
from assets.services.assets import RECHECK_AFTER
from core.compression import compress
from core.models import in_project
from core.versions import version_get
from participants.disclosure import Row, row_shown
from participants.models import Cohort


def published_for(user) -> QuerySet:
    """The published assets this person may see on the map and in its list."""
    return Asset.objects.visible_to(user).filter(status=AssetStatus.PUBLISHED)


def moderation_queue(*, user) -> QuerySet:
    """Submissions waiting for a check in `user`'s sites (core.sites), oldest first."""
    return (
        Asset.objects.for_user(user)
        .filter(status=AssetStatus.SUBMITTED)
        .select_related("category", "recorded_by", "on_behalf_of")
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
    bridging places the programme looks for."""
    return with_endorsements(assets).filter(tenant_endorsements__gt=0, sanctuary_endorsements__gt=0)


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


@dataclass(frozen=True)
class CachedLayer:
    """One request's layer: its ETag and Last-Modified (known before any encoding), and the
    body, from the cache or built once per data version."""

    key: str
    etag: str
    last_modified: datetime | None
    assets: QuerySet
    zoom: int | None

    def content(self) -> bytes:
        body = cache.get(self.key)
        if body is None:
            body = layer_build(self.assets, zoom=self.zoom)
            cache.set(self.key, body, timeout=settings.MAP_LAYER_CACHE_SECONDS)
        return body

    def coded(self, coding: str) -> bytes:
        """The body in `coding` (core.compression), compressed once per version: compressing
        every point takes longer than encoding them."""
        if coding == "identity":
            return self.content()
        key = f"{self.key}:{coding}"
        body = cache.get(key)
        if body is None:
            body = compress(self.content(), coding)
            cache.set(key, body, timeout=settings.MAP_LAYER_CACHE_SECONDS)
        return body


def _scope(user) -> str:
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


def layer_cached(assets: QuerySet, *, user, filters: dict, zoom: int | None) -> CachedLayer:
    """The layer of `assets` (published_for(user), filtered by `filters`, the cleaned filter
    data), cached under the published assets' version (assets.maps.LAYER_VERSION), whose
    scope, filters (those set, in a fixed order) and zoom make the key."""
    version, changed_at = version_get(LAYER_VERSION)
    # The time too: a version row made again (a restored database) never reuses old entries.
    stamp = f"{version}.{int(changed_at.timestamp() * 1e6) if changed_at else 0}"
    asked = {name: _normal(value) for name, value in sorted(filters.items()) if value}
    digest = hashlib.sha256(
        orjson.dumps([_scope(user), asked, zoom], option=orjson.OPT_NON_STR_KEYS)
    ).hexdigest()[:24]
    return CachedLayer(
        key=f"map-layer:{stamp}:{digest}",
        # Weak: the same layer is sent in several codings (RFC 9110 §8.8.1).
        etag=f'W/"{stamp}-{digest}"',
        last_modified=changed_at,
        assets=assets,
        zoom=zoom,
    )


def endorsement_counts(asset: Asset, *, exact: bool) -> dict:
    """Who values the asset, by group, as common ground shows it too (one breakdown)."""
    counted = with_endorsements(Asset.objects.filter(pk=asset.pk)).get()
    return endorsements_shown(counted, exact=exact).cells
