"""Withdrawing consent to take part erases what identifies a person in every app: their
details and sign-in (participants) and their own skill and endorsements (assets), unless
they agreed to anonymised sharing. The full
journey, downloads and pages included, is tests/test_withdrawal_erasure.py."""

import pytest

from assets.models import AssetCategory, AssetEndorsement
from assets.tests.factories import AssetFactory
from core.models import Role, User
from participants import services
from participants.models import AuditEvent, ConsentScope, ParticipantStatus, PersonalDetails
from participants.tests.test_services import TODAY, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


def test_withdrawing_consent_to_take_part_erases_what_identifies_them(coordinator, make_user):
    participant = register(coordinator, full_name="Amal Haddad")
    participant.user = make_user(Role.PARTICIPANT, username="amal")
    participant.save()
    skill = AssetFactory(
        category=AssetCategory.objects.get(slug="skills"), geometry=None, latitude=None,
        longitude=None, on_behalf_of=participant,
    )  # fmt: skip
    AssetEndorsement.objects.create(asset=AssetFactory(), participant=participant)
    services.consent_withdraw(participant=participant, scope=ConsentScope.TAKE_PART, by=coordinator)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.WITHDRAWN and participant.withdrawn_on == TODAY
    assert participant.display_name == "" and participant.user is None
    assert not PersonalDetails.objects.exists()
    assert not User.objects.filter(username="amal").exists()
    assert not type(skill).objects.filter(pk=skill.pk).exists()
    assert not AssetEndorsement.objects.exists()
    assert participant.code == "P-001"  # the pseudonymous record stays consistent
    assert AuditEvent.objects.filter(action="erase", participant_code="P-001").exists()


def test_anonymised_answers_are_kept_when_that_was_consented(coordinator):
    participant = register(
        coordinator, scopes=[ConsentScope.TAKE_PART, ConsentScope.SHARE_ANONYMISED]
    )
    AssetEndorsement.objects.create(asset=AssetFactory(), participant=participant)
    services.participant_withdraw(participant=participant, by=coordinator)
    assert AssetEndorsement.objects.count() == 1
    assert participant.consents.current().get().scope == ConsentScope.SHARE_ANONYMISED
