from django.db import migrations


class Migration(migrations.Migration):
    """Where a tie formed on the map is now kept by assets (assets 0008_tieplace copies it
    first: it runs before this one)."""

    dependencies = [
        ("participants", "0009_data_access_agreement"),
    ]

    operations = [
        migrations.RemoveField(model_name="tie", name="formed_at_asset"),
    ]
