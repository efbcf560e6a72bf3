import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assets.models import AssetCategory, AssetEndorsement, AssetStatus, Domain
from assets.services.assets import (
    asset_create,
    asset_merge,
    asset_publish,
    asset_reject,
    endorsement_set,
)
from assets.services.duplicates import asset_duplicates
from assets.tests.factories import AssetFactory, point
from core.models import Role
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def category(slug):
    return AssetCategory.objects.get(slug=slug)


def test_a_participants_asset_waits_for_moderation_with_its_areas(swansea, make_user):
    user = make_user(Role.PARTICIPANT)
    asset = asset_create(
        recorded_by=user,
        fields={"name": "Tuesday Tea", "category": category("community-group")},
        geometry=point(),
    )
    assert asset.status == AssetStatus.SUBMITTED
    assert asset.domain == Domain.COMMUNITY
    assert asset.areas.msoa.code == "W02000186"
    assert asset.areas.local_authority.name_cy == "Abertawe"


def test_a_skill_cannot_have_a_place(make_user):
    with pytest.raises(ValidationError) as error:
        asset_create(
            recorded_by=make_user(Role.PARTICIPANT),
            fields={"name": "Bike repair", "category": category("skills")},
            geometry=point(),
        )
    assert "has no place on the map" in str(error.value.message_dict["geometry"])


def test_publishing_needs_a_place_for_place_based_assets():
    asset = AssetFactory(status=AssetStatus.SUBMITTED, geometry=None, latitude=None, longitude=None)
    with pytest.raises(ValidationError, match="Place this asset on the map"):
        asset_publish(asset=asset, not_a_home=True)


def test_publish_marks_it_checked_today_and_cannot_happen_twice():
    asset = AssetFactory(status=AssetStatus.SUBMITTED)
    asset_publish(asset=asset, not_a_home=True)
    assert asset.status == AssetStatus.PUBLISHED
    assert asset.last_verified_on == timezone.localdate()
    with pytest.raises(ValidationError, match="now “Published”"):
        asset_publish(asset=asset, not_a_home=True)


def test_rejecting_needs_a_reason_that_is_kept_for_the_sender():
    asset = AssetFactory(status=AssetStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        asset_reject(asset=asset, reason="  ")
    asset_reject(asset=asset, reason="This looks like someone's home.")
    assert asset.status == AssetStatus.REJECTED
    assert asset.rejection_reason == "This looks like someone's home."


def test_likely_duplicates_are_similar_names_nearby_only():
    asset = AssetFactory(name="Townhill Community Centre", status=AssetStatus.SUBMITTED)
    near = AssetFactory(name="Townhill Community Center")
    AssetFactory(
        name="Townhill Community Centre", geometry=point(51.7, -3.9), latitude=51.7, longitude=-3.9
    )
    AssetFactory(name="Mayhill Library")
    assert asset_duplicates(asset=asset) == [near]


def test_merge_keeps_one_asset_with_both_sets_of_endorsements():
    keep = AssetFactory(name="Gors Park", languages=["en"])
    duplicate = AssetFactory(name="Gors park", languages=["ar"], website="https://example.org")
    both, only_dup = ParticipantFactory(), ParticipantFactory()
    AssetEndorsement.objects.create(asset=keep, participant=both)
    AssetEndorsement.objects.create(asset=duplicate, participant=both)
    AssetEndorsement.objects.create(asset=duplicate, participant=only_dup)
    asset_merge(duplicate=duplicate, keep=keep)
    duplicate.refresh_from_db()
    assert duplicate.status == AssetStatus.ARCHIVED and duplicate.merged_into == keep
    assert set(keep.endorsements.values_list("participant", flat=True)) == {both.pk, only_dup.pk}
    assert keep.languages == ["ar", "en"] and keep.website == "https://example.org"
    with pytest.raises(ValidationError):
        asset_merge(duplicate=keep, keep=keep)


def test_endorsing_sets_a_state_so_sending_it_twice_changes_nothing_more():
    asset, person = AssetFactory(), ParticipantFactory(cohort=Cohort.REFUGEE)
    endorsement_set(asset=asset, participant=person, valued=True)
    endorsement_set(asset=asset, participant=person, valued=True)
    assert list(AssetEndorsement.objects.values_list("asset", "participant")) == [
        (asset.pk, person.pk)
    ]
    endorsement_set(asset=asset, participant=person, valued=False)
    endorsement_set(asset=asset, participant=person, valued=False)
    assert not AssetEndorsement.objects.exists()
