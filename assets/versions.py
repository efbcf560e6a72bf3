"""The version of what moderation reads (core.versions): the moderation queue keeps its
rendered table under it, and the coordinators' home page its counts of submissions waiting
and of assets due to be re-checked (core.home).

Every write to what those read bumps it inside its own transaction: a save or delete of an
asset (any status: a submission, a publication, a re-check, a move to another site) or of a
category (the queue shows its name), and a change to the username or the participant code
the queue shows as who sent it, by signal, so that the Django admin and every service are
covered; and explicitly where a service writes assets with a queryset's update(), which
sends no signal (moderation_changed)."""

from core.versions import version_bump, version_follows

MODERATION_VERSION = "assets:moderation"


def moderation_changed() -> None:
    """What moderation reads changed (call inside the transaction that changed it)."""
    version_bump(MODERATION_VERSION)


def signals_connect() -> None:
    from assets.models import Asset, AssetCategory
    from core.models import User
    from participants.models import Participant

    version_follows(MODERATION_VERSION, Asset, AssetCategory)
    version_follows(MODERATION_VERSION, User, fields=frozenset({"username"}))
    version_follows(MODERATION_VERSION, Participant, fields=frozenset({"code"}))
