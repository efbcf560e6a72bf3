"""Coordinators build and delete their sites' toolkit exports; partners and coordinators read
the latest one."""

from django.db import migrations

from core.roles import grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            ("toolkit", "toolkitexport", "add_toolkitexport"): ["coordinator"],
            ("toolkit", "toolkitexport", "view_toolkitexport"): ["coordinator", "partner"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("toolkit", "0003_export"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
