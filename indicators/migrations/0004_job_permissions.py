"""Who may run the indicators' jobs: coordinators and evaluators recompute the area summaries;
coordinators import indicator values."""

from django.db import migrations

from core.roles import grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            ("indicators", "areasummary", "recompute_areasummary"): ["coordinator", "evaluator"],
            ("indicators", "indicatorvalue", "add_indicatorvalue"): ["coordinator"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_jobs"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
