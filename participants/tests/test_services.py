import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from core.models import Role
from core.tests.factories import default_site
from participants import services
from participants.models import (
    AuditEvent,
    ConsentScope,
    InformationSheet,
    Participant,
    PersonalDetails,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def register(by, scopes=(ConsentScope.TAKE_PART,), **personal):
    return services.participant_register(
        by=by,
        profile={"cohort": "refugee", "display_name": "Amal"},
        personal=personal,
        sheet=InformationSheet.objects.get(version="1.0"),
        scopes=list(scopes),
        method="verbal_interpreter",
        interpreter_language="ar",
    )


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


def test_registration_gives_the_next_code_and_records_consent(coordinator):
    Participant.objects.create(site=default_site(), code="P-009", cohort="tenant")
    participant = register(coordinator, full_name="Amal Haddad", phone="01632 960123")
    assert participant.code == "P-010"
    assert participant.consents.current().get().scope == ConsentScope.TAKE_PART
    assert list(AuditEvent.objects.values_list("subject", flat=True)) == [
        "personal_details", "consent", "participant",
    ]  # fmt: skip


def test_nothing_is_kept_without_consent_to_take_part(coordinator):
    with pytest.raises(ValidationError, match="consent to take part"):
        register(coordinator, scopes=[ConsentScope.CONTACT], full_name="Amal Haddad")
    assert not Participant.objects.exists() and not PersonalDetails.objects.exists()


def test_personal_details_are_encrypted_at_rest(coordinator):
    participant = register(coordinator, full_name="Amal Haddad", email="amal@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, email FROM participants_personaldetails")
        stored = cursor.fetchone()
    assert "Amal" not in stored[0] and "amal@" not in stored[1]
    assert stored[0].startswith("gAAAA")  # a Fernet token
    assert (
        services.personal_details_read(participant=participant, by=coordinator).full_name
        == "Amal Haddad"
    )


def test_every_read_of_personal_details_is_audited(coordinator):
    participant = register(coordinator, full_name="Amal Haddad")
    services.personal_details_read(participant=participant, by=coordinator)
    event = AuditEvent.objects.filter(action="read").get()
    assert (event.actor_name, event.subject, event.participant_code) == (
        coordinator.username, "personal_details", participant.code,
    )  # fmt: skip


def test_the_audit_log_refuses_changes_and_deletion(coordinator):
    event = services.audit_record(actor=coordinator, action="read", subject="consent")
    event.detail = "edited"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_personal_details_need_current_consent(coordinator):
    participant = Participant.objects.create(site=default_site(), code="P-050", cohort="tenant")
    with pytest.raises(ValidationError, match="Record consent to take part"):
        services.personal_details_save(
            participant=participant, values={"phone": "1"}, by=coordinator
        )


def test_consent_cannot_be_withdrawn_twice(coordinator):
    participant = register(coordinator, scopes=[ConsentScope.TAKE_PART, ConsentScope.PHOTOS])
    services.consent_withdraw(participant=participant, scope=ConsentScope.PHOTOS, by=coordinator)
    with pytest.raises(ValidationError, match="no current consent"):
        services.consent_withdraw(
            participant=participant, scope=ConsentScope.PHOTOS, by=coordinator
        )


@pytest.mark.parametrize(
    ("codes", "expected"),
    [([], "P-001"), (["P-001", "P-009"], "P-010"), (["P-998", "P-999"], "P-1000")],
)
def test_the_next_code_follows_the_highest_number_in_the_database(codes, expected):
    for code in [*codes, "VISITOR-7", "P-x"]:
        Participant.objects.create(site=default_site(), code=code, cohort="tenant")
    assert services.participant_code_next() == expected


def test_a_registration_that_loses_the_race_for_a_code_takes_the_next_one(monkeypatch, make_user):
    Participant.objects.create(site=default_site(), code="P-001", cohort="tenant")
    stale = iter(["P-001", "P-001"])  # what a registration beside this one had just read
    real = services.participant_code_next
    monkeypatch.setattr(services, "participant_code_next", lambda: next(stale, None) or real())
    participant = register(make_user(Role.COORDINATOR))
    assert participant.code == "P-002"
    assert Participant.objects.filter(code="P-001").count() == 1


def test_a_welsh_speaker_gets_a_passphrase_of_welsh_words(make_user):
    from core.services import passphrase_words
    from participants.services import participant_sign_in_issue
    from participants.tests.factories import ParticipantFactory

    coordinator = make_user("coordinator")
    welsh = participant_sign_in_issue(
        participant=ParticipantFactory(preferred_language="cy"), by=coordinator
    )
    english = participant_sign_in_issue(participant=ParticipantFactory(), by=coordinator)
    assert set(welsh.split("-")) <= set(passphrase_words("cy"))
    assert set(english.split("-")) <= set(passphrase_words("en"))
