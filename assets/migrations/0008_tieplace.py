import django.db.models.deletion
from django.db import migrations, models


def copy_tie_places(apps, schema_editor):
    """Where each tie formed, from the field participants used to hold (removed next)."""
    tie = apps.get_model("participants", "Tie")
    tie_place = apps.get_model("assets", "TiePlace")
    formed = tie.objects.filter(formed_at_asset__isnull=False).values_list("pk", "formed_at_asset")
    tie_place.objects.bulk_create(
        tie_place(tie_id=tie_id, asset_id=asset_id) for tie_id, asset_id in formed
    )


def copy_back(apps, schema_editor):
    tie = apps.get_model("participants", "Tie")
    for tie_id, asset_id in apps.get_model("assets", "TiePlace").objects.values_list(
        "tie_id", "asset_id"
    ):
        tie.objects.filter(pk=tie_id).update(formed_at_asset=asset_id)


class Migration(migrations.Migration):
    """The link from a participant's tie to the place where it formed moves from participants
    to assets, so that participants never names a higher app (docs/architecture.md)."""

    dependencies = [
        ("assets", "0007_area_version"),
        ("participants", "0009_data_access_agreement"),
    ]
    run_before = [("participants", "0010_remove_tie_formed_at_asset")]

    operations = [
        migrations.CreateModel(
            name="TiePlace",
            fields=[
                (
                    "tie",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="participants.tie",
                    ),
                ),
                (
                    "asset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ties_formed",
                        to="assets.asset",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_tie_places, copy_back),
    ]
