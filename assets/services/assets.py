"""The life of an asset: recorded (by a participant, or for one), moderated, endorsed."""

from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets.geo import areas_save, geometry_clean, place, site_at
from assets.geocoding import geocode_postcode
from assets.maps import published_changed
from assets.models import Asset, AssetEndorsement, AssetSource, AssetStatus, Domain
from assets.versions import assets_changed, moderation_changed
from core.changes import change_record
from core.models import Site
from core.services import version_check
from core.sites import sites_of
from participants.models import Participant

RECHECK_AFTER = timedelta(days=365)

EDITABLE_FIELDS = [
    "name", "name_cy", "description", "description_cy", "category", "address", "postcode",
    "contact", "website", "opening_times", "cost", "languages", "accessibility",
    "welcoming_to", "publish_consent",
]  # fmt: skip


def _locate(asset: Asset, geometry: dict | None, *, areas: bool = True) -> None:
    """Set the asset's geometry, point and areas (or clear them)."""
    if asset.category.domain == Domain.INDIVIDUAL and geometry:
        raise ValidationError(
            {"geometry": _("A person's skill or time has no place on the map: remove the pin.")}
        )
    place(asset, geometry, areas=areas)


def _point_from_postcode(postcode: str) -> dict | None:
    """A point from the postcode when a geocoder answers inside Wales. Over the network, so
    never called inside a transaction (a slow geocoder would hold rows locked)."""
    found = geocode_postcode(postcode)
    if found is None:
        return None
    candidate = {"type": "Point", "coordinates": [found[1], found[0]]}
    try:
        geometry_clean(candidate)
    except ValidationError:
        return None
    return candidate


def asset_locate_from_postcode(*, asset_id: int) -> bool:
    """Place an asset still without a location from its postcode: the geocoder is asked first,
    outside any transaction; then the row is locked and placed if it is still unplaced.
    Runs after the transaction that recorded the asset commits. Returns whether it moved."""
    postcode = (
        Asset.objects.filter(pk=asset_id, geometry__isnull=True)
        .exclude(domain=Domain.INDIVIDUAL)
        .values_list("postcode", flat=True)
        .first()
    )
    geometry = _point_from_postcode(postcode) if postcode else None
    if geometry is None:
        return False
    with transaction.atomic():
        asset = Asset.objects.select_for_update().filter(pk=asset_id).first()
        if asset is None or asset.geometry is not None:
            return False
        place(asset, geometry)
        change_record(reason="asset placed", area_ids=asset.area_ids)
        if asset.status == AssetStatus.PUBLISHED:
            published_changed()
        asset.save(update_fields=["geometry", "latitude", "longitude", "updated_at"])
        areas_save(asset)
    return True


def asset_site(*, asset: Asset, recorded_by, on_behalf_of=None) -> Site | None:
    """Whose moderation queue a new asset is in (docs: README, Sites):
    1. the site of the participant it comes from or is recorded for;
    2. else the recorder's only site (a coordinator's asset, an import);
    3. else, among the recorder's sites (every site, with no recorder or a superuser), the one
       whose test-site area contains its point;
    4. else the first of the recorder's sites; none for someone with none (it then waits in
       a superuser's queue only).
    A workshop's asset is its workshop's site (workshops.services.workshop_asset_record)."""
    if on_behalf_of is not None:
        return on_behalf_of.site
    mine = sites_of(recorded_by) if recorded_by is not None else Site.objects.all()
    first_two = list(mine.order_by("pk")[:2])
    if recorded_by is not None and len(first_two) == 1:
        return first_two[0]
    found = site_at(asset.latitude, asset.longitude, sites=mine)
    if found is not None:
        return Site.objects.get(pk=found)
    return first_two[0] if first_two and recorded_by is not None else None


@transaction.atomic
def asset_create(
    *,
    recorded_by,
    fields: dict,
    geometry: dict | None = None,
    on_behalf_of: Participant | None = None,
    source: AssetSource = AssetSource.PARTICIPANT,
    publish: bool = False,
    areas: bool = True,
    site: Site | None = None,
) -> Asset:
    """Record an asset. It waits for moderation unless a moderator publishes it at once, in
    `site`'s queue (without one, asset_site decides). Without a pin, it is placed from its
    postcode once this transaction commits. With areas=False its areas are left for the
    caller to assign in bulk (`areas_assign`)."""
    asset = Asset(recorded_by=recorded_by, on_behalf_of=on_behalf_of, source=source)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(asset, name, fields[name])
    asset.domain = asset.category.domain
    _locate(asset, geometry, areas=areas)
    asset.site = site or asset_site(asset=asset, recorded_by=recorded_by, on_behalf_of=on_behalf_of)
    if publish:
        asset.status = AssetStatus.PUBLISHED
        asset.published_at = timezone.now()
        asset.last_verified_on = timezone.localdate()
    asset.full_clean(exclude=["category", "recorded_by", "on_behalf_of", "merged_into", "site"])
    asset.save()
    areas_save(asset)
    if publish and areas:  # without areas, areas_assign records the change in bulk
        change_record(reason="asset published", area_ids=asset.area_ids)
    if publish:
        published_changed()
    if not geometry and asset.postcode and asset.domain != Domain.INDIVIDUAL:
        transaction.on_commit(partial(asset_locate_from_postcode, asset_id=asset.pk), robust=True)
    return asset


@transaction.atomic
def asset_update(
    *, asset: Asset, fields: dict, geometry: dict | None, version: str | None = None
) -> Asset:
    """A moderator's edit: any field and the location; the areas follow the location.
    Refused (EditConflict) if the asset was saved since `version`, the one the edit began
    on; applied to the row as it is now, locked, so a status changed meanwhile stays."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    version_check(current=asset, seen=version)
    areas_before = asset.area_ids
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(asset, name, fields[name])
    asset.domain = asset.category.domain
    _locate(asset, geometry)
    asset.full_clean(exclude=["category", "recorded_by", "on_behalf_of", "merged_into", "site"])
    asset.save()
    areas_save(asset)
    change_record(reason="asset changed", area_ids=[*areas_before, *asset.area_ids])
    if asset.status == AssetStatus.PUBLISHED:
        published_changed()
    return asset


def _locked(*assets: Asset) -> list[Asset]:
    """The assets as they are now, their rows locked until the transaction ends. Locked in
    the order of their keys, so two moderators acting on the same pair (merging A into B
    while B is merged into A) wait for each other instead of deadlocking."""
    rows = Asset.objects.select_for_update().filter(pk__in=[a.pk for a in assets]).order_by("pk")
    found = {row.pk: row for row in rows}
    if len(found) < len({a.pk for a in assets}):
        raise ValidationError(_("This asset no longer exists: someone else may have removed it."))
    return [found[a.pk] for a in assets]


def _refuse_unless(asset: Asset, allowed: list[str]) -> None:
    """Refuse, with a message, an asset whose status changed since the moderator looked."""
    if asset.status in allowed:
        return
    if asset.merged_into_id:
        raise ValidationError(
            _("“%(name)s” was already merged into “%(into)s”.")
            % {"name": asset.name, "into": Asset.objects.get(pk=asset.merged_into_id).name}
        )
    raise ValidationError(
        _("This asset is now “%(status)s”: someone else may have just dealt with it.")
        % {"status": asset.get_status_display()}
    )


def _transition(asset: Asset, allowed: list[str], **changes) -> None:
    # Locked and checked first: of two moderators acting at once, the second is told why.
    (current,) = _locked(asset)
    _refuse_unless(current, allowed)
    Asset.objects.filter(pk=asset.pk).update(updated_at=timezone.now(), **changes)
    moderation_changed()  # update() sends no signal
    asset.refresh_from_db()


HOME_CHECK_MISSING = gettext_lazy(
    "Say whether this could be someone's home before publishing it: a home is never published."
)


def _own_waiting(asset: Asset, participant: Participant) -> Asset:
    """The participant's own submission as it is now, locked; refused once it was checked."""
    (current,) = _locked(asset)
    if current.on_behalf_of_id != participant.pk:
        raise PermissionDenied("Only the participant who sent it may change or withdraw it.")
    if current.status != AssetStatus.SUBMITTED:
        raise ValidationError(
            _(
                "“%(name)s” has already been checked, so it can no longer be changed or "
                "withdrawn here. Ask your coordinator if something needs changing."
            )
            % {"name": current.name}
        )
    return current


@transaction.atomic
def asset_submission_change(
    *, asset: Asset, participant: Participant, fields: dict, geometry: dict | None
) -> Asset:
    """A participant changes what they sent while it still waits for a check (not after it
    was published or turned down); it stays in the same moderation queue."""
    current = _own_waiting(asset, participant)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    current.domain = current.category.domain
    _locate(current, geometry)
    current.full_clean(exclude=["category", "recorded_by", "on_behalf_of", "merged_into", "site"])
    current.save()
    areas_save(current)
    return current


@transaction.atomic
def asset_submission_withdraw(*, asset: Asset, participant: Participant) -> str:
    """A participant takes back a submission still waiting for a check: it is deleted (it was
    never published, so nothing else counts it). Returns its name for the message."""
    current = _own_waiting(asset, participant)
    name = current.name
    current.delete()
    return name


@transaction.atomic
def asset_publish(*, asset: Asset, not_a_home: bool = False) -> None:
    """Publish a submitted (or previously rejected) asset; it counts as checked today. One
    that could be someone's home (`Asset.home_check_needed`) is published only when the
    moderator says it is not one (`not_a_home`)."""
    (current,) = _locked(asset)
    _refuse_unless(current, [AssetStatus.SUBMITTED, AssetStatus.REJECTED])
    if current.home_check_needed and not not_a_home:
        raise ValidationError({"home_check": HOME_CHECK_MISSING})
    if current.domain != Domain.INDIVIDUAL and current.latitude is None:
        raise ValidationError(
            _("Place this asset on the map before publishing it (edit it and add a pin).")
        )
    _transition(
        asset,
        [AssetStatus.SUBMITTED, AssetStatus.REJECTED],
        status=AssetStatus.PUBLISHED,
        rejection_reason="",
        published_at=timezone.now(),
        last_verified_on=timezone.localdate(),
    )
    change_record(reason="asset published", area_ids=asset.area_ids)
    published_changed()


@transaction.atomic
def asset_reject(*, asset: Asset, reason: str) -> None:
    """Turn a submission down with a reason the person who sent it will see."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the person who sent it understands.")})
    _transition(
        asset,
        [AssetStatus.SUBMITTED, AssetStatus.PUBLISHED],
        status=AssetStatus.REJECTED,
        rejection_reason=reason.strip(),
    )
    change_record(reason="asset rejected", area_ids=asset.area_ids)
    published_changed()  # it may have been published


@transaction.atomic
def asset_verify(*, asset: Asset) -> None:
    """Someone checked that the asset is still there and still right."""
    Asset.objects.filter(pk=asset.pk).update(last_verified_on=timezone.localdate())
    assets_changed()  # the partner API's lists show when it was last checked
    moderation_changed()  # no longer due to be re-checked
    asset.refresh_from_db(fields=["last_verified_on"])


@transaction.atomic
def asset_merge(*, duplicate: Asset, keep: Asset) -> Asset:
    """Fold a duplicate into the asset kept: blanks filled from the duplicate, endorsements
    moved, the duplicate archived and pointing at the one kept. Both rows are locked and
    checked first, so a duplicate merged (or archived) meanwhile is refused with a message."""
    if duplicate.pk == keep.pk:
        raise ValidationError(_("An asset cannot be merged into itself."))
    asked = (duplicate, keep)
    duplicate, keep = _locked(duplicate, keep)
    _refuse_unless(duplicate, [AssetStatus.SUBMITTED, AssetStatus.PUBLISHED, AssetStatus.REJECTED])
    if keep.status == AssetStatus.ARCHIVED:
        raise ValidationError(_("Merge into an asset that is not archived."))
    for name in ["description", "address", "postcode", "contact", "website", "opening_times"]:
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.languages = sorted(set(keep.languages) | set(duplicate.languages))
    keep.welcoming_to = sorted(set(keep.welcoming_to) | set(duplicate.welcoming_to))
    keep.save()
    already = keep.endorsements.values_list("participant_id", flat=True)
    duplicate.endorsements.exclude(participant_id__in=already).update(asset=keep)
    duplicate.endorsements.all().delete()
    duplicate.status = AssetStatus.ARCHIVED
    duplicate.merged_into = keep
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    change_record(reason="asset merged", area_ids=[*duplicate.area_ids, *keep.area_ids])
    published_changed()
    for asset in asked:
        asset.refresh_from_db()
    return keep


def endorsement_set(*, asset: Asset, participant: Participant, valued: bool) -> None:
    """Mark (valued=True) or unmark "I use / value this". It sets a state rather than
    toggling, so sending it twice leaves one endorsement, or none."""
    # The map's "valued by both" filter reads endorsements: its layer changes with them.
    if not valued:
        with transaction.atomic():
            if AssetEndorsement.objects.filter(asset=asset, participant=participant).delete()[0]:
                published_changed()
        return
    try:
        with transaction.atomic():
            _endorsement, created = AssetEndorsement.objects.get_or_create(
                asset=asset, participant=participant
            )
            if created:
                published_changed()
    except IntegrityError:  # the same tap, a moment earlier, in another request: marked
        pass
