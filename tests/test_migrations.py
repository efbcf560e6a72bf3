import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration_committed():
    # Exits with SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
