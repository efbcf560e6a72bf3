"""Reads behind the map: the published layer (lean, one query) and the filtered list
(filtered by assets.filters.AssetFilterSet), and who values an asset."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assets.maps import point_layer
from assets.models import Asset, AssetEndorsement, AssetStatus
from assets.services.assets import RECHECK_AFTER
from core.models import in_project
from participants.disclosure import Row, row_shown
from participants.models import Cohort


def published_for(user) -> QuerySet:
    """The published assets this person may see on the map and in its list. Inside the
    project that is every published asset: their own published ones are among them, so
    no condition (and no join) for them."""
    if in_project(user):
        return Asset.objects.published()
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


def endorsement_counts(asset: Asset, *, exact: bool) -> dict:
    """Who values the asset, by group, as common ground shows it too (one breakdown)."""
    counted = with_endorsements(Asset.objects.filter(pk=asset.pk)).get()
    return endorsements_shown(counted, exact=exact).cells
