"""Backups and moving a site (docs/operations.md): a pg_dump restored into a fresh database
keeps every row, the audit log's trigger and personal details that still decrypt; the site
export never holds personal details in plain text."""

import io
import json
import os
import shutil
import subprocess
import zipfile

import psycopg2
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from assets.tests.factories import AssetFactory
from core.models import Role
from participants import services
from participants.models import InformationSheet, PersonalDetails
from tests.data import restore_migrated_data
from tests.services import require_service
from workshops.tests.factories import BarrierFactory, WorkshopFactory

PEOPLE = [
    ("Amal Haddad", "01632 960123", "amal.haddad@example.org"),
    ("Dawit Tesfaye", "01632 960456", "dawit.tesfaye@example.org"),
    ("Gwenllian Morgan", "01632 960789", "gwen.morgan@example.org"),
]


def seed(make_user) -> dict[str, str]:
    """A small site: three registered people with personal details (audited), assets, a
    workshop with a barrier. Returns each participant's code → full name."""
    restore_migrated_data()
    coordinator = make_user(Role.COORDINATOR)
    names = {}
    for full_name, phone, email in PEOPLE:
        participant = services.participant_register(
            by=coordinator,
            profile={"cohort": "tenant", "display_name": "X"},
            personal={"full_name": full_name, "phone": phone, "email": email},
            sheet=InformationSheet.objects.get(version="1.0"),
            scopes=["take_part", "contact"],
            method="written",
        )
        services.participant_sign_in_issue(participant=participant, by=coordinator)
        names[participant.code] = full_name
    AssetFactory.create_batch(3)
    BarrierFactory(workshop=WorkshopFactory())
    return names


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    args += ["-U", db["USER"]] if db["USER"] else []
    return args, {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}


def _run(*command: str, env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - Django's own table names
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def restored_copy(tmp_path):
    """Dump the test database with pg_dump -Fc and restore it into a fresh database with
    createdb + pg_restore, as docs/operations.md says; yields a connection to the copy."""
    require_service("postgresql (DATABASE_URL)", connection.vendor == "postgresql")
    for tool in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        require_service(tool, shutil.which(tool) is not None)
    args, env = _pg_args()
    source = connection.settings_dict["NAME"]
    copy = f"{source}_restored"
    dump = tmp_path / "cymuned.dump"
    _run("dropdb", *args, "--if-exists", copy, env=env)

    def restore():
        _run("pg_dump", *args, "-Fc", "-f", str(dump), source, env=env)
        _run("createdb", *args, copy, env=env)
        _run("pg_restore", *args, "--no-owner", "--exit-on-error", "-d", copy, str(dump), env=env)
        db = connection.settings_dict
        return psycopg2.connect(
            dbname=copy,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"],
        )

    opened = []
    yield lambda: opened.append(restore()) or opened[-1]
    for conn in opened:
        conn.close()
    _run("dropdb", *args, "--if-exists", copy, env=env)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restored_dump_has_every_row_the_audit_trigger_and_readable_names(
    make_user, restored_copy
):
    names = seed(make_user)
    restored = restored_copy()

    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        original = _counts(cursor, tables)
    with restored.cursor() as cursor:
        assert _counts(cursor, tables) == original
    assert original["participants_personaldetails"] == 3
    assert original["participants_auditevent"] > 0

    with restored.cursor() as cursor, pytest.raises(psycopg2.Error, match="append-only"):
        cursor.execute("UPDATE participants_auditevent SET detail = 'rewritten'")
    restored.rollback()

    field = PersonalDetails._meta.get_field("full_name")
    with restored.cursor() as cursor:
        cursor.execute(
            "SELECT p.code, d.full_name FROM participants_personaldetails d "
            "JOIN participants_participant p ON p.id = d.participant_id"
        )
        decrypted = {code: field.from_db_value(value, None, None) for code, value in cursor}
    assert decrypted == names


def _export(tmp_path, *options) -> dict[str, bytes]:
    path = tmp_path / "site.zip"
    out = io.StringIO()
    call_command("export_site", str(path), *options, stdout=out)
    assert f"to {path}" in out.getvalue()
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _assert_no_personal_details(files: dict[str, bytes]) -> None:
    for name, content in files.items():
        text = content.decode("utf-8", errors="replace").lower()
        for person in PEOPLE:
            for value in (*person, person[0].split()[1], person[1].replace(" ", "")):
                assert value.lower() not in text, f"{value!r} in {name}"


@pytest.mark.django_db
def test_the_site_export_holds_every_model_and_personal_details_only_as_ciphertext(
    make_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "reports").mkdir(parents=True)
    (tmp_path / "media" / "reports" / "workshop.pdf").write_bytes(b"%PDF-1.7")
    names = seed(make_user)

    files = _export(tmp_path)

    _assert_no_personal_details(files)
    manifest = json.loads(files["manifest.json"])
    assert manifest["rows"]["participants.Participant"] == 3
    assert manifest["rows"]["assets.Asset"] == 3
    assert manifest["rows"]["workshops.Barrier"] == 1
    assert manifest["media_files"] == 1 and files["media/reports/workshop.pdf"] == b"%PDF-1.7"
    details = next(content for name, content in files.items() if "personaldetails" in name)
    field = PersonalDetails._meta.get_field("full_name")
    stored = [row["fields"]["full_name"] for row in json.loads(details)]
    assert sorted(field.from_db_value(value, None, None) for value in stored) == sorted(
        names.values()
    )


@pytest.mark.django_db
def test_the_site_export_can_leave_personal_details_out(make_user, tmp_path):
    seed(make_user)

    files = _export(tmp_path, "--without-personal-details", "--no-media")

    _assert_no_personal_details(files)
    assert not any("personaldetails" in name for name in files)
    manifest = json.loads(files["manifest.json"])
    assert manifest["personal_details"] == "left out" and manifest["media_files"] == 0
    assert manifest["rows"]["participants.Participant"] == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_site_export_loads_into_an_empty_installation(make_user, tmp_path):
    names = seed(make_user)
    files = _export(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    for name, content in files.items():
        if name.startswith("data/"):
            (data / name.removeprefix("data/")).write_bytes(content)

    call_command("flush", "--noinput", verbosity=0)
    assert not PersonalDetails.objects.exists()
    call_command("loaddata", *sorted(str(path) for path in data.iterdir()), verbosity=0)

    restored = {d.participant.code: d.full_name for d in PersonalDetails.objects.all()}
    assert restored == names
    assert set(Group.objects.values_list("name", flat=True)) == {role.value for role in Role}
