import pytest
from django.utils import timezone

from participants.models import Cohort
from workshops.models import Action, Attendance, Barrier, Workshop
from workshops.services import is_overdue

pytestmark = pytest.mark.django_db


def test_six_workshops_over_six_months_with_both_groups_outputs_and_actions(demo):
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
    assert Barrier.objects.filter(latitude__isnull=False, areas__lsoa__isnull=False).count() >= 2
    assert all(action.barriers.exists() for action in Action.objects.all())
    assert any(is_overdue(action) for action in Action.objects.all())
    assert workshops[0].starts_at < timezone.now()
