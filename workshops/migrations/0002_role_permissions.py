"""Who logs workshops, records barriers and tracks actions (DESIGN §2)."""

from django.db import migrations

from core.roles import grant_permissions

C, F, P = "coordinator", "facilitator", "participant"
GRANTS = {
    ("workshops", "workshop", "view_all_workshops"): [C],
    ("workshops", "workshop", "view_workshop"): [C, F],
    ("workshops", "workshop", "add_workshop"): [C, F],
    ("workshops", "workshop", "change_workshop"): [C, F],
    ("workshops", "attendance", "add_attendance"): [C, F],
    ("workshops", "barrier", "add_barrier"): [C, F, P],
    ("workshops", "barrier", "change_barrier"): [C, F],
    ("workshops", "action", "add_action"): [C, F],
    ("workshops", "action", "change_action"): [C, F],
    ("workshops", "action", "view_action"): [C, F],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("workshops", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
