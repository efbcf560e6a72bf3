import django.db.models.deletion
from django.db import migrations, models


def first_site(apps, schema_editor):
    """Every participant from before sites belongs to the first site."""
    from core.sites import first_site_for_migration

    Participant = apps.get_model("participants", "Participant")
    if Participant.objects.exists():
        Participant.objects.update(site=first_site_for_migration(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_sites"),
        ("participants", "0010_remove_tie_formed_at_asset"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="site",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participants",
                to="core.site",
                verbose_name="site",
            ),
        ),
        migrations.RunPython(first_site, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="participant",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participants",
                to="core.site",
                verbose_name="site",
            ),
        ),
    ]
