"""A bad map pin on the barrier form is explained and nothing is saved (the same rules as an
asset's: assets/tests/test_bad_input.py)."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.tests.test_bad_input import DEEP, NOT_FINITE, point
from core.tests.factories import default_site
from workshops.models import Barrier, Workshop

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("geometry", "message"),
    [(point(DEEP), "nested too deeply to read"), (point("[Infinity, 51.6]"), NOT_FINITE)],
)
def test_the_barrier_form_explains_a_bad_map_pin_and_saves_nothing(
    coordinator_client, geometry, message
):
    now = timezone.now()
    workshop = Workshop.objects.create(
        site=default_site(),
        title="W",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        status="held",
    )
    response = coordinator_client.post(
        reverse("workshops:workshop-barrier", args=[workshop.pk]),
        {"title": "No buses", "kind": "transport", "affects": "both", "geometry": geometry},
    )
    assert message in unescape(response.content.decode())
    assert not Barrier.objects.exists()
