import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration_committed():
    # Exits with SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


BEFORE_SITES = [
    ("core", "0004_changeevent"),
    ("participants", "0010_remove_tie_formed_at_asset"),
    ("workshops", "0005_barrier_located"),
    ("assets", "0010_area_level_country"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_from_before_sites_all_belong_to_the_first_site():

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from core.models import User
    from participants.models import Participant
    from workshops.models import Action, Barrier, Workshop

    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE_SITES)
        old = executor.loader.project_state(BEFORE_SITES).apps
        _rows_before_sites(old)
    finally:
        # Always back to the latest of every app, so the tests after this one find it.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    first = User.objects.get(username="staff-before").sites.get()
    assert (first.slug, first.name_en) == ("townhill-mayhill", "Townhill and Mayhill")
    assert Participant.objects.get(code="P-900").site == first
    for model in (Workshop, Barrier, Action):
        assert model.objects.get().site == first


def _rows_before_sites(old) -> None:
    from datetime import timedelta

    from django.utils import timezone

    old.get_model("core", "User").objects.create(username="staff-before")
    old.get_model("participants", "Participant").objects.create(code="P-900", cohort="tenant")
    now = timezone.now()
    workshop = old.get_model("workshops", "Workshop").objects.create(
        title="Before", starts_at=now, ends_at=now + timedelta(hours=1)
    )
    barrier = old.get_model("workshops", "Barrier").objects.create(
        title="Hill", kind="transport", affects="both", workshop=workshop
    )
    old.get_model("workshops", "Action").objects.create(
        title="Bus", owner="Us", workshop=workshop
    ).barriers.add(barrier)
