"""Who may add assets and say they value one (DESIGN §2)."""

from django.db import migrations

from core.roles import grant_permissions

GRANTS = {
    ("assets", "asset", "add_asset"): ["participant", "facilitator", "coordinator"],
    ("assets", "assetendorsement", "add_assetendorsement"): ["participant"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("assets", "0004_imports"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
