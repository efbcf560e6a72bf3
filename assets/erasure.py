"""What the map holds about a participant, erased on withdrawal (participants/erasure.py)."""

from assets.maps import published_changed
from assets.models import Asset, AssetEndorsement, Domain
from assets.versions import moderation_changed


def own_skills_erase(participant, *, keep_anonymised: bool) -> int:
    """Their own skills and time describe them: always deleted. Places and groups they
    added stay on the map, no longer linked to them."""
    theirs = Asset.objects.filter(on_behalf_of=participant)
    deleted = theirs.filter(domain=Domain.INDIVIDUAL).delete()[0]
    changed = deleted + theirs.update(on_behalf_of=None)
    if changed:  # the map shows a person their own assets: its layer changes
        published_changed()
        moderation_changed()  # the queue shows who sent a submission
    return changed


def endorsements_erase(participant, *, keep_anonymised: bool) -> int:
    """ "I use or value this": kept under anonymised sharing (only ever counted by group),
    deleted otherwise."""
    if keep_anonymised:
        return 0
    deleted = AssetEndorsement.objects.filter(participant=participant).delete()[0]
    if deleted:  # the map's "valued by both" filter reads them
        published_changed()
    return deleted
