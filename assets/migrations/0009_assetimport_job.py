"""AssetImport becomes a background job of the job layer (core.models.Job): its one status
splits into the job's status and its step, and existing rows keep what their pages showed."""

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LEASE = timedelta(minutes=20)

# The old status → (step, job status); INVALID keeps its problems in problem_count.
STATES = {
    "checking": ("check", "running"),
    "ready": ("check", "done"),
    "invalid": ("check", "done"),
    "importing": ("import", "running"),
    "done": ("import", "done"),
    "failed": ("check", "failed"),
}


def split_status(apps, schema_editor):
    AssetImport = apps.get_model("assets", "AssetImport")
    for job in AssetImport.objects.only("status", "preview", "message", "heartbeat_at"):
        old = job.status
        job.step, job.status = STATES.get(old, ("check", "failed"))
        if old == "invalid":
            errors = sum(len(row.get("errors", [])) for row in job.preview if "row" in row)
            job.problem_count = errors or 1
        if job.status == "running":
            job.attempts = 1
            job.started_at = job.heartbeat_at
        job.lease_expires_at = job.heartbeat_at + LEASE
        job.save(
            update_fields=[
                "step",
                "status",
                "problem_count",
                "attempts",
                "started_at",
                "lease_expires_at",
            ]
        )


def join_status(apps, schema_editor):
    AssetImport = apps.get_model("assets", "AssetImport")
    for job in AssetImport.objects.only("status", "step", "problem_count", "lease_expires_at"):
        if job.status == "failed":
            old = "failed"
        elif job.step == "check":
            done = "invalid" if job.problem_count else "ready"
            old = done if job.status == "done" else "checking"
        else:
            old = "done" if job.status == "done" else "importing"
        job.status = old
        job.heartbeat_at = (job.lease_expires_at or job.created_at + LEASE) - LEASE
        job.save(update_fields=["status", "heartbeat_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0008_tieplace"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("assetimport", "created_by", "requested_by"),
        migrations.RenameField("assetimport", "error", "message"),
        migrations.AddField(
            model_name="assetimport",
            name="step",
            field=models.CharField(
                choices=[("check", "Check the file"), ("import", "Import the assets")],
                default="check",
                max_length=6,
            ),
        ),
        migrations.AddField(
            model_name="assetimport",
            name="problem_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="assetimport",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="assetimport",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="assetimport",
            name="result_files",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="assetimport",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(split_status, join_status),
        migrations.AlterField(
            model_name="assetimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting to start"),
                    ("running", "Running"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="assetimport",
            name="requested_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveField(model_name="assetimport", name="heartbeat_at"),
        migrations.AddIndex(
            model_name="assetimport",
            index=models.Index(
                fields=["status", "lease_expires_at"], name="assets_assetimport_lease"
            ),
        ),
    ]
