"""Imports recorded before the job layer keep what their pages showed (assets migration
0009_assetimport_job), and the migration goes back as well."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("assets", "0008_tieplace")]
AFTER = [("assets", "0009_assetimport_job")]
ROW_WITH_TWO_PROBLEMS = {"row": 2, "errors": [{"field": "a", "message": "x"}] * 2}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_imports_keep_their_status_through_the_move_to_the_job_layer():
    old = migrate(BEFORE).get_model("assets", "AssetImport")
    beat = timezone.now() - timedelta(minutes=5)
    made = {}
    for status in ["checking", "ready", "invalid", "importing", "done", "failed"]:
        preview = [ROW_WITH_TWO_PROBLEMS] if status == "invalid" else []
        made[status] = old.objects.create(
            file_name=f"{status}.csv",
            format="csv",
            content="name\nA\n",
            status=status,
            preview=preview,
            error="The worker stopped." if status == "failed" else "",
            heartbeat_at=beat,
        ).pk
    try:
        new = migrate(AFTER).get_model("assets", "AssetImport")
        rows = {
            status: new.objects.values("step", "status", "problem_count", "message").get(pk=pk)
            for status, pk in made.items()
        }
        assert {s: (r["step"], r["status"]) for s, r in rows.items()} == {
            "checking": ("check", "running"),
            "ready": ("check", "done"),
            "invalid": ("check", "done"),
            "importing": ("import", "running"),
            "done": ("import", "done"),
            "failed": ("check", "failed"),
        }
        assert rows["invalid"]["problem_count"] == 2 and rows["ready"]["problem_count"] == 0
        assert rows["failed"]["message"] == "The worker stopped."
        running = new.objects.get(pk=made["checking"])
        assert running.lease_expires_at == beat + timedelta(minutes=20)

        back = migrate(BEFORE).get_model("assets", "AssetImport")
        statuses = dict(back.objects.values_list("file_name", "status"))
        assert statuses == {f"{status}.csv": status for status in made}
    finally:
        # Back to the latest of every app: going back past 0009 took the apps after it too.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
