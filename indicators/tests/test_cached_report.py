"""The evaluation report is computed once per change of answers or ties (core.computed)."""

import pytest
from django.urls import reverse

from participants.tests.test_networks import contact, name, taking_part

pytestmark = pytest.mark.django_db


def test_a_new_tie_changes_the_evaluation_report(
    coordinator_client, django_capture_on_commit_callbacks
):
    a, b, c = (taking_part(cohort="tenant") for _ in range(3))
    report_url = reverse("indicators:evaluation-report")
    with django_capture_on_commit_callbacks(execute=True):
        name(a, contact("tenant", alter=b))
    first = coordinator_client.get(report_url)
    assert first.context["report"].sociograms[0]["drawing"]["edge_count"] == 1
    assert "Ties between participants: 1." in first.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        name(c, contact("tenant", alter=b))

    second = coordinator_client.get(report_url)
    assert second.context["report"].sociograms[0]["drawing"]["edge_count"] == 2
    assert "Ties between participants: 2." in second.content.decode()
