"""The demo as a whole (`manage.py seed_demo`, every app's part of it): seeding it again
changes nothing, there is a sign-in per role, and the site is in Swansea. What each app's
part holds is tested in that app (assets, participants, workshops: tests/test_demo*.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from assets.models import Area, AreaLevel, Asset, AssetEndorsement, TiePlace
from core.models import Role, Site, User
from indicators.models import IndicatorValue
from participants.models import AuditEvent, Participant, QuestionnaireResponse, Tie
from workshops.models import Action, Attendance, Barrier, Workshop

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """The rows the demo makes (workshops and what they found by the fields the demo sets;
    their edit stamps move on every save)."""
    return {
        "users": sorted(User.objects.values_list("pk", "username")),
        "areas": sorted(Area.objects.values_list("pk", "code", "level", "parent__code")),
        "assets": list(Asset.objects.order_by("pk").values()),
        "endorsements": list(AssetEndorsement.objects.order_by("pk").values()),
        "participants": list(Participant.objects.order_by("pk").values()),
        "responses": list(QuestionnaireResponse.objects.order_by("pk").values()),
        "ties": list(Tie.objects.order_by("pk").values()),
        "workshops": sorted(Workshop.objects.values_list("pk", "title", "starts_at")),
        "attendance": sorted(Attendance.objects.values_list("workshop_id", "participant_id")),
        "barriers": sorted(
            Barrier.objects.values_list("pk", "title", "priority_votes", "areas__lsoa_id")
        ),
        "actions": sorted(Action.objects.values_list("pk", "title", "status", "due_on")),
        "tie_places": sorted(TiePlace.objects.values_list("tie_id", "asset_id")),
        "indicator_values": sorted(
            IndicatorValue.objects.values_list("indicator_id", "area_id", "period", "value")
        ),
    }


def test_seeding_the_demo_again_leaves_every_row_as_it_was(demo):
    first, audited = snapshot(), AuditEvent.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == first
    assert AuditEvent.objects.count() == audited  # nothing changed, so nothing was written
    for said in (demo, out.getvalue()):
        assert "Demo participants: 50 in Swansea and 12 in Cardiff" in said
        assert "Demo assets: 174 (18 waiting for moderation" in said
        assert "Demo outcomes: 50 baseline, 40 follow-up, 30 midpoint" in said


def test_the_demo_has_a_sign_in_per_role_with_its_published_passphrase(demo):
    for role in Role:
        assert User.objects.get(username=role.value).role == role
        assert f"passphrase {role.value}-demo-passphrase" in demo
    assert User.objects.get(username="participant").check_password("participant-demo-passphrase")


def test_demo_site_is_in_swansea_with_real_boundaries(demo):
    site = Area.objects.get(level=AreaLevel.SITE, code="SITE-SWA-TM")
    assert site.site.slug == "townhill-mayhill"
    assert site.parent.code == "W06000011"
    assert site.parent.name_cy == "Abertawe"
    assert Area.objects.filter(level=AreaLevel.MSOA, parent=site.parent).count() == 31
    assert Area.objects.filter(level=AreaLevel.LSOA, parent__isnull=True).count() == 0
    lsoa = Area.objects.get(code="W01000736")  # Swansea 028A
    assert lsoa.parent.name_en == "Swansea 028"
    assert site.boundary["type"] in ("Polygon", "MultiPolygon")


def test_the_second_demo_site_is_in_cardiff_with_its_own_coordinator(demo):
    cardiff = Site.objects.get(slug="butetown-grangetown")
    area = Area.objects.get(site=cardiff, level=AreaLevel.SITE)
    assert area.parent.code == "W06000015"
    assert cardiff.boundary == area.boundary
    coordinator = User.objects.get(username="coordinator-cardiff")
    assert coordinator.role == Role.COORDINATOR
    assert list(coordinator.sites.all()) == [cardiff]
    assert coordinator.check_password("coordinator-cardiff-demo-passphrase")
    for role in Role:  # the README's sign-ins all work at Townhill and Mayhill
        sites = User.objects.get(username=role.value).sites.values_list("slug", flat=True)
        assert list(sites) == ["townhill-mayhill"]
    assert cardiff.participants.count() == 12
