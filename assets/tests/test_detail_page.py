"""An asset's page, kept for the people inside the project who do not moderate (per asset,
language and version of the published assets): every change shows on the next request,
each reader sees their own button and nothing of anyone else's, and each role sees what
it saw when every page was rendered afresh."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assets.maps import published_changed
from assets.models import AssetEndorsement, AssetStatus
from assets.services.assets import (
    asset_reject,
    asset_update,
    asset_verify,
    endorsement_set,
)
from assets.tests.factories import AssetFactory
from assets.tests.test_edit import form_data
from core.models import Role
from participants.models import Cohort
from participants.services import participant_withdraw
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def page_of(client, asset, language: str = "en") -> str:
    with translation.override(language):
        url = reverse("assets:asset-detail", args=[asset.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def shown(page: str, group: str = "tenants") -> str:
    return re.search(rf'id="valued-{group}">([^<]*)<', page).group(1)


@pytest.fixture
def asset():
    """A published asset, and the published assets' version it is kept under."""
    asset = AssetFactory(name="Gors Community Centre", description="Warm room on Tuesdays")
    published_changed()
    return asset


@pytest.fixture
def member(client_as):
    """A participant signed in, with their participant record."""
    client = client_as(Role.PARTICIPANT)
    client.participant = ParticipantFactory(user=client.user, cohort=Cohort.TENANT)
    return client


def test_a_kept_page_is_read_in_three_queries_and_is_the_page_rendered_afresh(
    member, asset, django_assert_num_queries
):
    first = page_of(member, asset)
    # The session, the person, then the version with the reader's record and mark.
    with django_assert_num_queries(3):
        again = page_of(member, asset)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    nonce = re.compile(r'nonce="[^"]+"')
    assert nonce.sub("", token.sub("", again)) == nonce.sub("", token.sub("", first))
    assert "Warm room on Tuesdays" in again and 'aria-pressed="false"' in again


def test_a_moderators_edit_shows_on_the_next_request(member, asset):
    assert "Warm room on Tuesdays" in page_of(member, asset)
    asset_update(asset=asset, fields={"description": "Closed in August"}, geometry=asset.geometry)
    page = page_of(member, asset)
    assert "Closed in August" in page and "Warm room" not in page


def test_a_moderators_edit_through_the_edit_page_shows_on_the_next_request(
    member, coordinator_client, asset
):
    assert "Warm room on Tuesdays" in page_of(member, asset)
    coordinator_client.post(
        reverse("assets:asset-edit", args=[asset.pk]),
        form_data(asset, description="Open on Sundays too"),
    )
    assert "Open on Sundays too" in page_of(member, asset)


def test_an_endorsement_by_someone_else_shows_on_the_next_request(member, asset):
    for _ in range(4):
        AssetEndorsement.objects.create(asset=asset, participant=ParticipantFactory())
    published_changed()
    assert shown(page_of(member, asset)) == "&lt;5"
    endorsement_set(asset=asset, participant=ParticipantFactory(), valued=True)
    assert shown(page_of(member, asset)) == "5"


def test_my_own_mark_shows_on_the_next_request_and_only_to_me(member, client_as, asset):
    other = client_as(Role.PARTICIPANT)
    ParticipantFactory(user=other.user)
    assert 'aria-pressed="false"' in page_of(member, asset)
    member.post(reverse("assets:asset-endorse", args=[asset.pk]), {"valued": "on"})
    mine, theirs = page_of(member, asset), page_of(other, asset)
    assert 'aria-pressed="true"' in mine and 'name="valued" value="off"' in mine
    assert 'aria-pressed="false"' in theirs and 'name="valued" value="on"' in theirs
    member.post(reverse("assets:asset-endorse", args=[asset.pk]), {"valued": "off"})
    assert 'aria-pressed="false"' in page_of(member, asset)


def test_each_reader_gets_a_csrf_token_of_their_own_that_works(member, client_as, asset):
    other = client_as(Role.PARTICIPANT)
    ParticipantFactory(user=other.user)
    page_of(member, asset)  # kept now
    token = re.compile(
        r'action="[^"]+/value/"[^>]*><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"'
    )
    mine, theirs = token.search(page_of(member, asset)), token.search(page_of(other, asset))
    assert mine and theirs and mine.group(1) != theirs.group(1)


def test_a_withdrawal_takes_its_marks_off_the_next_request(member, coordinator_client, asset):
    leaving = [ParticipantFactory() for _ in range(5)]
    for person in leaving:
        AssetEndorsement.objects.create(asset=asset, participant=person)
    published_changed()
    assert shown(page_of(member, asset)) == "5"
    participant_withdraw(participant=leaving[0], by=coordinator_client.user)
    assert shown(page_of(member, asset)) == "&lt;5"


def test_a_rejected_asset_is_gone_on_the_next_request(member, asset):
    page_of(member, asset)
    asset_reject(asset=asset, reason="It closed down.")
    response = member.get(reverse("assets:asset-detail", args=[asset.pk]))
    assert response.status_code == 404


def test_a_check_shows_on_the_next_request(member, asset):
    asset.last_verified_on = None
    asset.save(update_fields=["last_verified_on"])
    published_changed()
    assert "Last checked" not in page_of(member, asset)
    asset_verify(asset=asset)
    assert "Last checked" in page_of(member, asset)


def test_the_welsh_page_is_kept_apart_from_the_english(member):
    asset = AssetFactory(name="Community garden", name_cy="Gardd gymunedol")
    published_changed()
    english, welsh = page_of(member, asset), page_of(member, asset, "cy")
    assert "Community garden" in english and "Gardd gymunedol" not in english
    assert "Gardd gymunedol" in welsh
    assert "Gardd gymunedol" not in page_of(member, asset)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTICIPANT])
def test_the_kept_page_shows_no_moderators_parts_and_no_exact_small_counts(
    client_as, coordinator_client, asset, role
):
    for _ in range(3):
        AssetEndorsement.objects.create(asset=asset, participant=ParticipantFactory())
    published_changed()
    exact = page_of(coordinator_client, asset)  # a moderator's page is rendered afresh
    assert shown(exact) == "3" and "/edit/" in exact
    reader = client_as(role)
    for _ in range(2):  # rendered, then kept
        page = page_of(reader, asset)
        assert shown(page) == "&lt;5" and "/edit/" not in page
    assert shown(page_of(coordinator_client, asset)) == "3"


def test_no_button_for_someone_without_a_participant_record(facilitator_client, member, asset):
    assert "/value/" in page_of(member, asset)
    for _ in range(2):
        assert "/value/" not in page_of(facilitator_client, asset)


def test_someones_own_submission_is_still_theirs_alone(member, client_as):
    own = AssetFactory(status=AssetStatus.SUBMITTED, on_behalf_of=member.participant)
    published_changed()
    for _ in range(2):
        page = page_of(member, own)
        assert own.name in page and "/value/" not in page
    other = client_as(Role.PARTICIPANT)
    assert other.get(reverse("assets:asset-detail", args=[own.pk])).status_code == 404
