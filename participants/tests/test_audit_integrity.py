"""The audit log on PostgreSQL: no TRUNCATE, and the application's own database role (which
owns no table) can add and read entries but can neither change them nor switch the triggers
off."""

import os
import secrets

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from core.models import Role
from participants.models import AuditEvent
from participants.services import audit_record
from tests.services import require_service

INSERT = (
    "INSERT INTO participants_auditevent (at, actor_name, action, subject, participant_code, "
    "detail) VALUES (now(), 'app', 'read', 'consent', 'P-001', '')"
)


@pytest.fixture
def postgresql():
    require_service("postgresql", connection.vendor == "postgresql")


@pytest.mark.django_db
def test_the_owner_cannot_truncate_the_audit_log_either(postgresql, make_user):
    audit_record(actor=make_user(Role.COORDINATOR), action="read", subject="consent")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL cymuned.allow_audit_truncate = 'off'")
        cursor.execute("TRUNCATE participants_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_granting_refuses_a_role_that_owns_the_tables(postgresql):
    owner = connection.settings_dict["USER"]
    with pytest.raises(CommandError, match="must own no table"):
        call_command("grant_app_role", owner)


@pytest.fixture
def app_role(postgresql):
    """A role like the one the application runs as in production: owns nothing, granted what
    `grant_app_role` grants. Committed (so it can connect), dropped afterwards."""
    role, password = f"cymuned_app_test_{os.getpid()}", secrets.token_hex(16)
    with connection.cursor() as cursor:
        # A password too: CI's PostgreSQL asks for one over TCP.
        cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    try:
        call_command("grant_app_role", role, verbosity=0)
        settings = connection.settings_dict
        app = psycopg2.connect(
            host=settings["HOST"],
            port=settings["PORT"],
            dbname=settings["NAME"],
            user=role,
            password=password,
        )
        app.autocommit = True
        yield app
        app.close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def refused(app, statement: str) -> str:
    with pytest.raises(psycopg2.Error) as error, app.cursor() as cursor:
        cursor.execute(statement)
    return str(error.value)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_applications_role_can_add_to_the_audit_log_but_not_rewrite_it(app_role):
    with app_role.cursor() as cursor:
        cursor.execute(INSERT)
        cursor.execute("SELECT actor_name FROM participants_auditevent")
        assert cursor.fetchall() == [("app",)]
        cursor.execute("UPDATE core_user SET first_name = '' WHERE false")  # other tables: rows

    assert "permission denied" in refused(app_role, "UPDATE participants_auditevent SET detail='x'")
    assert "permission denied" in refused(app_role, "DELETE FROM participants_auditevent")
    assert "permission denied" in refused(
        app_role, "SET cymuned.allow_audit_truncate = 'on'; TRUNCATE participants_auditevent"
    )
    for statement in (
        "ALTER TABLE participants_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE participants_auditevent DISABLE TRIGGER participants_auditevent_no_truncate",
        "DROP TRIGGER participants_auditevent_append_only ON participants_auditevent",
    ):
        assert "must be owner" in refused(app_role, statement), statement
    assert AuditEvent.objects.filter(actor_name="app").count() == 1
