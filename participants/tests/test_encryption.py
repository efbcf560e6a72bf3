"""A wrong key fails loudly: undecryptable details are never shown or saved over, `check
--deploy` fails, and rotating to a new salt keeps old rows readable until re-encryption."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection
from django.urls import reverse

from core.models import Role
from participants import services
from participants.encryption import CANARY
from participants.models import AuditEvent, InformationSheet, KeyCanary, PersonalDetails

pytestmark = pytest.mark.django_db

OLD_SALT = "old-salt-0123456789-0123456789-0123456789"
NEW_SALT = "new-salt-9876543210-9876543210-9876543210"


def register(by, **personal):
    return services.participant_register(
        by=by,
        profile={"cohort": "refugee", "display_name": "Amal"},
        personal=personal,
        sheet=InformationSheet.objects.get(version="1.0"),
        scopes=["take_part"],
        method="written",
    )


def stored(column="full_name") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM participants_personaldetails")  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def amal(coordinator, settings):
    """Amal's details written with OLD_SALT; the keys then change to another salt."""
    settings.SALT_KEY = [OLD_SALT]
    participant = register(coordinator, full_name="Amal Haddad", phone="01632 960123")
    KeyCanary.objects.update_or_create(pk=1, defaults={"token": CANARY})
    settings.SALT_KEY = [NEW_SALT]
    return participant


def test_details_encrypted_with_another_key_read_as_undecryptable_not_as_a_name(amal):
    details = PersonalDetails.objects.get()
    assert details.undecryptable
    assert details.full_name == stored()  # the ciphertext, kept as it is, never decrypted


def test_the_page_says_the_key_is_missing_and_offers_no_form(amal, coordinator_client):
    page = coordinator_client.get(
        reverse("participants:participant-personal", args=[amal.code])
    ).content
    page = page.decode()
    assert "encrypted with a key this installation does not have" in page
    assert 'name="full_name"' not in page and "Save</button>" not in page
    assert stored()[:20] not in page  # no ciphertext shown as if it were a name


def test_saving_over_undecryptable_details_is_refused_and_changes_nothing(
    amal, coordinator_client, coordinator
):
    before = {column: stored(column) for column in ("full_name", "phone")}

    response = coordinator_client.post(
        reverse("participants:participant-personal", args=[amal.code]),
        {"full_name": "Someone Else"},
    )

    assert "encrypted with a key this installation does not have" in response.content.decode()
    assert {column: stored(column) for column in ("full_name", "phone")} == before
    with pytest.raises(ValidationError, match="Nothing was saved"):
        services.personal_details_save(participant=amal, values={"phone": "1"}, by=coordinator)
    assert not AuditEvent.objects.filter(action="change", subject="personal_details").exists()


def test_the_old_key_restored_reads_the_real_name_again(amal, settings):
    PersonalDetails.objects.get().save()  # a save of the row writes the ciphertext back as it was
    settings.SALT_KEY = [OLD_SALT]
    assert PersonalDetails.objects.get().full_name == "Amal Haddad"


def test_check_deploy_fails_when_the_canary_does_not_decrypt(amal, settings):
    with pytest.raises(SystemCheckError, match="participants.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")

    settings.SALT_KEY = [OLD_SALT]
    call_command(
        "check", "--deploy", "--tag", "security", "--fail-level", "ERROR"
    )  # passes with the right keys


def test_migrate_warns_when_the_canary_does_not_decrypt(amal):
    with pytest.raises(SystemCheckError, match="participants.W001"):
        call_command("check", "--database", "default", "--fail-level", "WARNING")


def test_migrate_writes_the_canary_with_the_current_keys(settings):
    KeyCanary.objects.all().delete()
    call_command("migrate", "participants", verbosity=0)
    assert KeyCanary.objects.get().token == CANARY
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM participants_keycanary")
        assert cursor.fetchone()[0].startswith("gAAAA")


def test_a_new_salt_first_still_reads_old_rows_and_writes_with_the_new_one(coordinator, settings):
    settings.SALT_KEY = [OLD_SALT]
    participant = register(coordinator, full_name="Amal Haddad")
    settings.SALT_KEY = [NEW_SALT, OLD_SALT]

    assert PersonalDetails.objects.get().full_name == "Amal Haddad"
    services.personal_details_save(
        participant=participant,
        values={"full_name": "Amal Haddad", "phone": "01632 960123"},
        by=coordinator,
    )
    settings.SALT_KEY = [NEW_SALT]
    assert PersonalDetails.objects.get().phone == "01632 960123"


def test_reencryption_moves_every_row_to_the_first_key_so_old_salts_can_go(coordinator, settings):
    settings.SALT_KEY = [OLD_SALT]
    register(coordinator, full_name="Amal Haddad", email="amal@example.org")
    KeyCanary.objects.update_or_create(pk=1, defaults={"token": CANARY})
    before = stored()
    settings.SALT_KEY = [NEW_SALT, OLD_SALT]

    out = io.StringIO()
    call_command("reencrypt_personal_data", stdout=out)

    assert "Re-encrypted 2 rows" in out.getvalue()  # the details and the canary
    assert stored() != before
    settings.SALT_KEY = [NEW_SALT]
    details = PersonalDetails.objects.get()
    assert (details.full_name, details.email) == ("Amal Haddad", "amal@example.org")
    assert KeyCanary.objects.get().token == CANARY
    assert AuditEvent.objects.filter(detail="2 rows re-encrypted with the first key").exists()


def test_reencryption_without_the_old_key_is_refused_and_changes_nothing(amal):
    before = stored()
    with pytest.raises(CommandError, match=f"Personal details of {amal.code}"):
        call_command("reencrypt_personal_data")
    assert stored() == before


def test_dumpdata_never_holds_a_plain_name(coordinator):
    register(coordinator, full_name="Amal Haddad", phone="01632 960123")
    out = io.StringIO()
    call_command("dumpdata", "participants.personaldetails", stdout=out)
    assert "Amal Haddad" not in out.getvalue() and "960123" not in out.getvalue()
    assert '"full_name": "gAAAA' in out.getvalue()


def test_a_new_secret_key_with_the_old_one_as_fallback_still_reads_old_rows(coordinator, settings):
    settings.SALT_KEY = [OLD_SALT]
    register(coordinator, full_name="Amal Haddad")
    KeyCanary.objects.update_or_create(pk=1, defaults={"token": CANARY})
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert PersonalDetails.objects.get().full_name == "Amal Haddad"

    call_command("reencrypt_personal_data", stdout=io.StringIO())

    settings.SECRET_KEY_FALLBACKS = []
    assert PersonalDetails.objects.get().full_name == "Amal Haddad"
