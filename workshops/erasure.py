"""Attendance on withdrawal (participants/erasure.py). A held workshop's report has been
published, so attendance there stays as an anonymous count: the group is kept, the link to
the person is not. Attendance at a planned or cancelled workshop is deleted."""

from workshops.models import Attendance, BarrierProposal, ProposalStatus, WorkshopStatus
from workshops.versions import workshops_changed


def attendance_erase(participant, *, keep_anonymised: bool) -> int:
    theirs = Attendance.objects.filter(participant=participant)
    deleted = theirs.exclude(workshop__status=WorkshopStatus.HELD).delete()[0]
    workshops_changed()  # update() sends no signal
    return deleted + theirs.update(participant=None, cohort=participant.cohort)


def barrier_proposals_erase(participant, *, keep_anonymised: bool) -> int:
    """Barriers a participant named: those still waiting or declined are deleted; an accepted
    one is already a barrier of the site, so only its link to the person goes."""
    theirs = BarrierProposal.objects.filter(participant=participant)
    deleted = theirs.exclude(status=ProposalStatus.ACCEPTED).delete()[0]
    return deleted + theirs.update(participant=None, description="")
