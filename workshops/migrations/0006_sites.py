import django.db.models.deletion
from django.db import migrations, models

MODELS = ("workshop", "barrier", "action")


def first_site(apps, schema_editor):
    """Every workshop, barrier and action from before sites belongs to the first site."""
    from core.sites import first_site_for_migration

    for name in MODELS:
        model = apps.get_model("workshops", name)
        if model.objects.exists():
            model.objects.update(site=first_site_for_migration(apps))


def site(null: bool):
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="core.site",
        verbose_name="site",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_sites"),
        ("workshops", "0005_barrier_located"),
    ]

    operations = [
        *(migrations.AddField(model_name=name, name="site", field=site(True)) for name in MODELS),
        migrations.RunPython(first_site, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name=name, name="site", field=site(False))
            for name in MODELS
        ),
    ]
