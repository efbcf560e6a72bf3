"""Attendance on withdrawal (participants/erasure.py). A held workshop's report has been
published, so attendance there stays as an anonymous count: the group is kept, the link to
the person is not. Attendance at a planned or cancelled workshop is deleted."""

from workshops.models import Attendance, WorkshopStatus


def attendance_erase(participant, *, keep_anonymised: bool) -> int:
    theirs = Attendance.objects.filter(participant=participant)
    deleted = theirs.exclude(workshop__status=WorkshopStatus.HELD).delete()[0]
    return deleted + theirs.update(participant=None, cohort=participant.cohort)
