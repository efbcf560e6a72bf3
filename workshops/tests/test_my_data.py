"""The workshops a participant came to, on their page and in their data download (the
section workshops registers in core.registry)."""

import json

import pytest
from django.urls import reverse

from core.tests.factories import default_site
from participants.tests.test_answers import consenting

pytestmark = pytest.mark.django_db


def test_my_page_and_my_data_list_the_workshops_i_came_to(client_as):
    from datetime import UTC, datetime, timedelta

    from workshops.models import Attendance, Workshop

    client = client_as("participant")
    person = consenting(user=client.user)
    start = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)
    workshop = Workshop.objects.create(
        site=default_site(),
        title="What makes Townhill good",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    Attendance.objects.create(workshop=workshop, participant=person)
    assert (
        "What makes Townhill good – 4 March 2026"
        in client.get(reverse("participants:me")).content.decode()
    )
    data = json.loads(client.get(reverse("participants:my-data")).content)
    assert data["workshops_attended"] == [
        {"title": "What makes Townhill good", "date": "2026-03-04"}
    ]
