"""What the map holds about a participant, erased on withdrawal (participants/erasure.py)."""

from assets.models import Asset, AssetEndorsement, Domain


def own_skills_erase(participant, *, keep_anonymised: bool) -> int:
    """Their own skills and time describe them: always deleted. Places and groups they
    added stay on the map, no longer linked to them."""
    theirs = Asset.objects.filter(on_behalf_of=participant)
    deleted = theirs.filter(domain=Domain.INDIVIDUAL).delete()[0]
    return deleted + theirs.update(on_behalf_of=None)


def endorsements_erase(participant, *, keep_anonymised: bool) -> int:
    """ "I use or value this": kept under anonymised sharing (only ever counted by group),
    deleted otherwise."""
    if keep_anonymised:
        return 0
    return AssetEndorsement.objects.filter(participant=participant).delete()[0]
