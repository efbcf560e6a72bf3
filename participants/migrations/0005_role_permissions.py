"""Coordinators manage participants and read their personal details and the audit log;
evaluators see the participant list by code."""

from django.db import migrations

from core.roles import grant_permissions

GRANTS = {
    ("participants", "participant", "view_participant"): ["coordinator", "evaluator"],
    ("participants", "participant", "add_participant"): ["coordinator"],
    ("participants", "participant", "change_participant"): ["coordinator"],
    ("participants", "personaldetails", "view_personaldetails"): ["coordinator"],
    ("participants", "personaldetails", "change_personaldetails"): ["coordinator"],
    ("participants", "consent", "add_consent"): ["coordinator"],
    ("participants", "consent", "change_consent"): ["coordinator"],
    ("participants", "auditevent", "view_auditevent"): ["coordinator"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_information_sheet_v1"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
