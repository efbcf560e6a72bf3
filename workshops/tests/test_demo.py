import pytest
from django.core.management import call_command
from django.utils import timezone

from participants.models import Cohort
from workshops.models import Action, Attendance, Barrier, Workshop
from workshops.services import is_overdue

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Workshop.objects.values_list("pk", "title", "starts_at")),
        sorted(Attendance.objects.values_list("workshop_id", "participant_id")),
        sorted(Barrier.objects.values_list("pk", "title", "priority_votes", "lsoa_id")),
        sorted(Action.objects.values_list("pk", "title", "status", "due_on")),
    )


def test_six_workshops_over_six_months_with_both_groups_outputs_and_actions():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first
    assert Workshop.objects.filter(site__slug="butetown-grangetown").count() == 2
    for row in (*Barrier.objects.all(), *Action.objects.all()):  # of their workshop's site
        assert row.site_id == row.workshop.site_id
    for attended in Attendance.objects.select_related("participant", "workshop"):
        assert attended.participant.site_id == attended.workshop.site_id
    workshops = list(Workshop.objects.filter(site__slug="townhill-mayhill").order_by("starts_at"))
    assert len(workshops) == 6
    assert (workshops[-1].starts_at - workshops[0].starts_at).days >= 140
    for workshop in workshops:
        cohorts = set(workshop.attendance.values_list("participant__cohort", flat=True))
        assert Cohort.TENANT in cohorts and cohorts & set(Cohort.sanctuary())
        assert workshop.barriers.exists()
    assert Barrier.objects.filter(affects="both").count() >= 5
    assert Barrier.objects.filter(latitude__isnull=False, lsoa__isnull=False).count() >= 2
    assert all(action.barriers.exists() for action in Action.objects.all())
    assert any(is_overdue(action) for action in Action.objects.all())
    assert workshops[0].starts_at < timezone.now()
