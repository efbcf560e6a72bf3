"""Who may add assets and say they value one (DESIGN §2)."""

from django.db import migrations

GRANTS = {
    "add_asset": ["participant", "facilitator", "coordinator"],
    "add_assetendorsement": ["participant"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for codename, roles in GRANTS.items():
        model = codename.removeprefix("add_")
        content_type, _ = ContentType.objects.get_or_create(app_label="assets", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": f"Can add {model}"}
        )
        for role in roles:
            Group.objects.get(name=role).permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("assets", "0004_imports"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
