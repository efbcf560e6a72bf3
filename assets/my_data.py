"""What the map contributes to pages other apps own (registered in assets/apps.py): a
participant's "my data" section and the counts on the coordinator's home page (submissions
waiting, assets due to be re-checked), each of the coordinator's sites only (core.sites)."""

from assets.models import Asset, AssetEndorsement, AssetStatus


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
    return Asset.objects.for_user(user).filter(status=AssetStatus.SUBMITTED).count()


def recheck_waiting(user) -> int:
    from assets.selectors import recheck_due

    return recheck_due(user=user).order_by().count()
