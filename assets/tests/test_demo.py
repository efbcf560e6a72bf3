from datetime import timedelta

import pytest
from django.utils import timezone
from shapely.geometry import Point, shape

from assets.demo import SITE_CODE
from assets.models import Area, Asset, AssetEndorsement, AssetStatus, Domain, TiePlace
from assets.selectors import valued_by_both
from participants.demo_outcomes import MEETING_PLACES
from participants.models import Cohort, Consent, Participant, PersonalDetails, Tie, TieFormed

pytestmark = pytest.mark.django_db

SITE_MSOAS = {"W02000186", "W02000192"}  # Swansea 019 and 025


def test_ties_formed_at_a_place_are_linked_to_a_meeting_place_on_the_map(demo):
    at_places = Tie.objects.filter(formed=TieFormed.ASSET, alter__isnull=False)
    links = TiePlace.objects.select_related("asset")
    assert at_places.exists()
    assert set(links.values_list("tie", flat=True)) == set(at_places.values_list("pk", flat=True))
    assert {link.asset.name for link in links} <= set(MEETING_PLACES)
    assert "Demo ties formed at a place on the map: " in demo


def test_demo_has_assets_in_all_three_domains(demo):
    assert Asset.objects.count() >= 140
    by_domain = {domain: Asset.objects.filter(domain=domain).count() for domain in Domain}
    assert by_domain[Domain.INDIVIDUAL] >= 25
    assert by_domain[Domain.COMMUNITY] >= 40
    assert by_domain[Domain.STRUCTURAL] >= 60


def test_every_located_demo_asset_is_inside_the_site(demo):
    site = shape(Area.objects.get(code=SITE_CODE).boundary)
    located = Asset.objects.filter(
        latitude__isnull=False, site__slug="townhill-mayhill"
    ).select_related("areas__lsoa__parent")
    assert located.count() >= 120
    for asset in located:
        assert asset.areas.lsoa is not None, asset.name
        assert asset.areas.lsoa.parent.code in SITE_MSOAS, asset.name
        assert site.contains(Point(asset.longitude, asset.latitude)), asset.name
        assert site.contains(shape(asset.geometry)), asset.name
    shapes = {asset.geometry["type"] for asset in located}
    assert shapes == {"Point", "Polygon", "LineString"}


def test_peoples_skills_have_no_place_and_no_address(demo):
    individual = Asset.objects.filter(domain=Domain.INDIVIDUAL)
    assert not individual.filter(geometry__isnull=False).exists()
    assert not individual.exclude(address="").exists()
    assert not individual.filter(on_behalf_of__isnull=True).exists()
    assert individual.filter(publish_consent=True).exists()


def test_outside_the_project_the_demo_shows_only_skills_whose_owner_agreed(demo, make_user):
    individual = Asset.objects.published().filter(domain=Domain.INDIVIDUAL)
    consented = set(individual.filter(publish_consent=True).values_list("name", flat=True))
    inside = {role: make_user(role) for role in ("participant", "facilitator", "coordinator")}
    for role in ("partner", "evaluator"):
        seen = Asset.objects.visible_to(make_user(role)).filter(domain=Domain.INDIVIDUAL)
        assert set(seen.values_list("name", flat=True)) == consented, role
    for user in inside.values():
        assert Asset.objects.visible_to(user).filter(domain=Domain.INDIVIDUAL).count() == len(
            individual
        )
    assert 0 < len(consented) < len(individual)  # the difference shows in the demo


def test_demo_has_submissions_waiting_and_reasons_for_rejections(demo):
    submitted = Asset.objects.filter(status=AssetStatus.SUBMITTED)
    assert submitted.count() >= 10
    assert submitted.filter(
        recorded_by__username="participant", on_behalf_of__code="P-001"
    ).exists()
    rejected = Asset.objects.filter(status=AssetStatus.REJECTED)
    assert not rejected.filter(rejection_reason="").exists()
    assert rejected.filter(
        rejection_reason="This looks like someone's home, so we can't show it on the map."
    ).exists()


def test_some_published_demo_assets_need_rechecking(demo):
    published = Asset.objects.filter(status=AssetStatus.PUBLISHED)
    year_ago = timezone.localdate() - timedelta(days=365)
    assert not published.filter(last_verified_on__isnull=True).exists()
    assert 5 <= published.filter(last_verified_on__lt=year_ago).count() <= published.count() / 3
    assert published.filter(last_verified_on__gte=year_ago).count() >= 100


def test_demo_has_places_valued_by_tenants_and_people_seeking_sanctuary(demo):
    both = valued_by_both(Asset.objects.all())
    assert both.count() >= 5
    assert both.filter(name="Tuesday Conversation Club").exists()
    assert AssetEndorsement.objects.values("asset").distinct().count() > both.count() * 3


def test_every_cardiff_demo_asset_is_inside_its_site_and_in_its_queue(demo):
    cardiff = Area.objects.get(code="SITE-CDF-BG")
    assets = Asset.objects.filter(site=cardiff.site)
    assert assets.filter(status="submitted").count() == 3
    for asset in assets:
        assert shape(cardiff.boundary).contains(Point(asset.longitude, asset.latitude)), asset
        assert asset.areas.local_authority.code == "W06000015", asset.name


def test_demo_has_50_consenting_participants_half_tenants_and_p001_signs_in(demo):
    swansea = Participant.objects.filter(site__slug="townhill-mayhill")
    assert swansea.count() == 50
    assert Participant.objects.filter(site__slug="butetown-grangetown").count() == 12
    assert swansea.filter(cohort=Cohort.TENANT).count() == 25
    assert swansea.filter(cohort__in=Cohort.sanctuary()).count() == 25
    assert Consent.objects.current().filter(scope="take_part").count() == 62
    assert PersonalDetails.objects.count() == 62
    assert Participant.objects.get(user__username="participant").code == "P-001"
    assert not Participant.objects.exclude(joined_on__year=2026).exists()
