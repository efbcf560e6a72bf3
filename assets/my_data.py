"""What the map contributes to pages other apps own (registered in assets/apps.py): a
participant's "my data" section and the counts on the coordinator's home page (submissions
waiting, assets due to be re-checked), each of the coordinator's sites only (core.sites)."""

from django.db.models import Count, Q
from django.utils import timezone

from assets.models import Asset, AssetEndorsement, AssetStatus
from assets.selectors import RECHECK_AFTER


def assets_data(participant) -> dict:
    """For the participant's download: what they added and what they value."""
    added = Asset.objects.filter(on_behalf_of=participant).order_by("pk")
    valued = AssetEndorsement.objects.filter(participant=participant).select_related("asset")
    return {
        "assets_added": [
            {"name": a.name, "status": a.status, "added_on": a.created_at.date()} for a in added
        ],
        "assets_valued": [e.asset.name for e in valued.order_by("pk")],
    }


def assets_page(participant) -> dict:
    """For their own page: the 50 they added most recently."""
    added = Asset.objects.filter(on_behalf_of=participant).select_related("category")
    return {"assets": added.order_by("-created_at")[:50]}


def moderation_waiting(user) -> int:
    return waiting_counts(user)["submitted"]


def recheck_waiting(user) -> int:
    return waiting_counts(user)["recheck"]


def waiting_counts(user) -> dict[str, int]:
    """Submissions waiting for a check, and published assets due to be re-checked (the
    moderation queue's and the re-check list's rules), counted in one query and kept on the
    request's user, so that the home page's two cards read the assets once."""
    if "_assets_waiting" not in user.__dict__:
        cutoff = timezone.localdate() - RECHECK_AFTER
        due = Q(status=AssetStatus.PUBLISHED) & (
            Q(last_verified_on__lt=cutoff) | Q(last_verified_on__isnull=True)
        )
        user.__dict__["_assets_waiting"] = Asset.objects.for_user(user).aggregate(
            submitted=Count("pk", filter=Q(status=AssetStatus.SUBMITTED)),
            recheck=Count("pk", filter=due),
        )
    return user.__dict__["_assets_waiting"]
