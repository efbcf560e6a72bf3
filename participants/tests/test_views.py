import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from participants.models import AuditEvent, InformationSheet, Participant, PersonalDetails
from tests.pages import hidden_value

pytestmark = pytest.mark.django_db


def register_data(**overrides):
    data = {
        "cohort": "asylum_seeker",
        "display_name": "Dawit",
        "preferred_language": "ti",
        "interpreter_needed": "on",
        "sheet": InformationSheet.objects.get(version="1.0").pk,
        "scopes": ["take_part", "contact"],
        "method": "verbal_interpreter",
        "interpreter_language": "ti",
        "given_on": "2026-11-02",
        "full_name": "Dawit Tesfaye",
        "phone": "01632 960456",
    }
    data.update(overrides)
    return data


def test_coordinator_registers_someone_with_an_interpreter(coordinator_client):
    response = coordinator_client.post(
        reverse("participants:participant-register"), register_data(), follow=True
    )
    participant = Participant.objects.get()
    assert f"Registered as {participant.code}" in response.content.decode()
    assert participant.interpreter_needed and participant.preferred_language == "ti"
    assert participant.consents.count() == 2
    assert PersonalDetails.objects.get().full_name == "Dawit Tesfaye"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"scopes": ["contact"]}, "They must agree to take part"),
        ({"cohort": ""}, "Choose which group they are in"),
        ({"interpreter_language": ""}, "Choose the language the interpreter used"),
        ({"given_on": "2999-01-01"}, "Consent cannot be dated in the future"),
        ({"given_on": "yesterday"}, "Enter the date as day, month and year"),
        ({"email": "not-an-email"}, "Enter an e-mail address like name@example.org"),
    ],
)
def test_registration_errors_say_which_field_and_save_nothing(
    coordinator_client, overrides, message
):
    response = coordinator_client.post(
        reverse("participants:participant-register"), register_data(**overrides)
    )
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not Participant.objects.exists()


def test_list_filters_and_shows_codes_not_names_to_evaluators(coordinator_client, evaluator_client):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    coordinator_client.post(
        reverse("participants:participant-register"),
        register_data(cohort="tenant", display_name="Gwen"),
    )
    page = evaluator_client.get(
        reverse("participants:participant-list"), {"cohort": "tenant"}
    ).content.decode()
    assert "P-002" in page and "P-001" not in page
    assert "Gwen" not in page and "Dawit" not in page
    assert (
        "Gwen" in coordinator_client.get(reverse("participants:participant-list")).content.decode()
    )


def test_opening_personal_details_is_audited_and_not_cached(coordinator_client):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    response = coordinator_client.get(reverse("participants:participant-personal", args=["P-001"]))
    assert "Dawit Tesfaye" in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="read", subject="personal_details").count() == 1


def test_withdrawal_from_the_page_erases_details(coordinator_client):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    response = coordinator_client.post(
        reverse("participants:participant-withdraw", args=["P-001"]), follow=True
    )
    assert "P-001 has withdrawn" in response.content.decode()
    assert not PersonalDetails.objects.exists()


def test_audit_log_is_searchable_by_code(coordinator_client):
    for _ in range(2):
        coordinator_client.post(
            reverse("participants:participant-register"), register_data(), follow=True
        )
    page = coordinator_client.get(
        reverse("participants:audit-log"), {"q": "P-002"}
    ).content.decode()
    assert "P-002" in page and "P-001" not in page


def test_the_database_refuses_to_edit_the_audit_log(coordinator_client):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL; the model refuses on every database")
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.update(detail="rewritten")


def test_opening_a_participants_record_is_audited(coordinator_client):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    coordinator_client.get(reverse("participants:participant-detail", args=["P-001"]))
    coordinator_client.get(
        reverse("participants:participant-answers", args=["P-001", "ons4", "baseline"])
    )
    reads = AuditEvent.objects.filter(action="read", participant_code="P-001")
    assert sorted(reads.values_list("subject", flat=True)) == ["answers", "consent and answers"]


def test_a_double_tap_on_register_registers_one_person(coordinator_client):
    url = reverse("participants:participant-register")
    data = register_data(
        form_token=hidden_value(coordinator_client.get(url).content.decode(), "form_token")
    )
    first = coordinator_client.post(url, data)
    second = coordinator_client.post(url, data, follow=True)
    participant = Participant.objects.get()
    assert first["Location"] == reverse("participants:participant-detail", args=[participant.code])
    assert second.redirect_chain == [(first["Location"], 302)]
    assert "This form was already sent: here is who it registered." in second.content.decode()
    assert participant.consents.count() == 2 and PersonalDetails.objects.count() == 1


def test_a_resent_registration_with_a_sign_in_does_not_change_the_passphrase(coordinator_client):
    url = reverse("participants:participant-register")
    token = hidden_value(coordinator_client.get(url).content.decode(), "form_token")
    first = coordinator_client.post(url, register_data(form_token=token, sign_in="on"))
    participant = Participant.objects.get()
    assert "passphrase" in first.content.decode() and participant.user is not None
    password = participant.user.password
    again = coordinator_client.post(url, register_data(form_token=token, sign_in="on"))
    assert again["Location"] == reverse("participants:participant-detail", args=[participant.code])
    participant.user.refresh_from_db()
    assert participant.user.password == password and Participant.objects.count() == 1


def test_each_new_register_form_has_a_new_token(coordinator_client):
    url = reverse("participants:participant-register")
    first, second = (
        hidden_value(coordinator_client.get(url).content.decode(), "form_token") for _ in range(2)
    )
    assert first != second
    coordinator_client.post(url, register_data(form_token=first))
    coordinator_client.post(url, register_data(form_token=second, display_name="Gwen"))
    assert list(Participant.objects.values_list("display_name", flat=True)) == ["Dawit", "Gwen"]


def test_a_form_with_errors_keeps_its_token_and_registers_once_when_corrected(coordinator_client):
    url = reverse("participants:participant-register")
    token = hidden_value(coordinator_client.get(url).content.decode(), "form_token")
    page = coordinator_client.post(url, register_data(form_token=token, cohort="")).content.decode()
    assert hidden_value(page, "form_token") == token and not Participant.objects.exists()
    for _ in range(2):
        coordinator_client.post(url, register_data(form_token=token))
    assert Participant.objects.count() == 1


# --- Consent and personal details, judged by what they change -----------------------------


def detail_page(client, code="P-001") -> str:
    return client.get(reverse("participants:participant-detail", args=[code])).content.decode()


def consent_row(page: str, label: str) -> str:
    """The consent table's row for a scope, as HTML."""
    return page.split(label, 1)[1].split("</tr>", 1)[0]


def test_recording_more_consent_saves_it_and_shows_it(coordinator_client):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    response = coordinator_client.post(
        reverse("participants:participant-consent", args=["P-001"]),
        {
            "sheet": InformationSheet.objects.get(version="1.0").pk,
            "scopes": ["photos", "contact"],  # contact is current already: left as it is
            "method": "written",
            "given_on": "2026-11-20",
        },
        follow=True,
    )
    assert "Consent recorded." in response.content.decode()
    participant = Participant.objects.get(code="P-001")
    current = participant.consents.current()
    assert sorted(current.values_list("scope", flat=True)) == ["contact", "photos", "take_part"]
    photos = current.get(scope="photos")
    assert (photos.method, str(photos.given_on)) == ("written", "2026-11-20")
    row = consent_row(response.content.decode(), "Appear in photos")
    assert "20 November 2026" in row and "Withdraw" in row
    event = AuditEvent.objects.filter(subject="consent").latest("pk")
    assert (event.action, event.detail) == ("create", "photos (written, sheet 1.0)")


def test_consent_without_a_scope_changes_nothing_and_says_why(coordinator_client):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    before = AuditEvent.objects.count()
    response = coordinator_client.post(
        reverse("participants:participant-consent", args=["P-001"]),
        {"sheet": InformationSheet.objects.get(version="1.0").pk, "method": "written",
         "given_on": "2026-11-20"},
    )  # fmt: skip
    page = response.content.decode()
    assert "There is a problem" in page and "Tick what they agree to" in page
    assert Participant.objects.get().consents.count() == 2
    assert AuditEvent.objects.count() == before


def test_withdrawing_one_consent_dates_it_and_keeps_the_rest(coordinator_client):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    url = reverse("participants:participant-consent-withdraw", args=["P-001", "contact"])
    response = coordinator_client.post(url, follow=True)
    page = response.content.decode()
    assert "Consent withdrawn." in page
    participant = Participant.objects.get()
    contact = participant.consents.get(scope="contact")
    assert contact.withdrawn_on is not None
    assert participant.status == "active"
    assert list(participant.consents.current().values_list("scope", flat=True)) == ["take_part"]
    assert PersonalDetails.objects.get().full_name == "Dawit Tesfaye"
    assert url not in page  # nothing left to withdraw there
    again = coordinator_client.post(url, follow=True).content.decode()
    assert "There is no current consent for that." in again
    assert participant.consents.filter(scope="contact").count() == 1


def test_withdrawing_consent_to_take_part_withdraws_them(coordinator_client):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    coordinator_client.post(
        reverse("participants:participant-consent-withdraw", args=["P-001", "take_part"]),
        follow=True,
    )
    participant = Participant.objects.get()
    assert participant.status == "withdrawn" and participant.display_name == ""
    assert not participant.consents.current().exists()
    assert not PersonalDetails.objects.exists()
    page = detail_page(coordinator_client)
    assert "Dawit" not in page and "Record more consent" not in page


def test_saving_personal_details_changes_them_and_audits_the_fields_not_values(
    coordinator_client,
):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    url = reverse("participants:participant-personal", args=["P-001"])
    response = coordinator_client.post(
        url,
        {"full_name": "Dawit Tesfaye", "phone": "07700 900123",
         "email": "dawit@example.org", "address": "1 Heol y Dderwen, Abertawe"},
        follow=True,
    )  # fmt: skip
    assert "Personal details saved." in response.content.decode()
    details = PersonalDetails.objects.get()
    assert (details.phone, details.email, details.address) == (
        "07700 900123", "dawit@example.org", "1 Heol y Dderwen, Abertawe",
    )  # fmt: skip
    page = coordinator_client.get(url).content.decode()
    assert 'value="07700 900123"' in page and "1 Heol y Dderwen, Abertawe" in page
    event = AuditEvent.objects.filter(action="change", subject="personal_details").get()
    assert event.detail == "phone, email, address"
    assert "07700" not in event.detail and "Heol" not in event.detail


def test_personal_details_of_someone_withdrawn_are_refused_and_nothing_is_kept(
    coordinator_client,
):
    coordinator_client.post(reverse("participants:participant-register"), register_data())
    coordinator_client.post(reverse("participants:participant-withdraw", args=["P-001"]))
    response = coordinator_client.post(
        reverse("participants:participant-personal", args=["P-001"]), {"full_name": "Dawit Tesfaye"}
    )
    page = response.content.decode()
    assert "Record consent to take part before any personal details." in page
    assert not PersonalDetails.objects.exists()
