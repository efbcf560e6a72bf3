"""Data that migrations create (roles, the asset taxonomy, the first information sheet).
Transactional tests (browser, worker) flush the database between tests and take it with
them; these put it back the same way the migrations made it."""

from importlib import import_module

from django.apps import apps

from assets.models import AssetCategory

DATA_MIGRATIONS = [
    ("core.migrations.0002_roles", "create_roles"),
    ("assets.migrations.0003_categories", "seed"),
    ("assets.migrations.0003_categories", "grant_moderation"),
    ("assets.migrations.0005_role_permissions", "grant"),
    ("participants.migrations.0004_information_sheet_v1", "create"),
    ("participants.migrations.0005_role_permissions", "grant"),
    ("workshops.migrations.0002_role_permissions", "grant"),
    ("toolkit.migrations.0002_seed_sections", "seed"),
    ("toolkit.migrations.0002_seed_sections", "grant"),
    ("indicators.migrations.0002_seed_indicators", "seed"),
    ("indicators.migrations.0004_job_permissions", "grant"),
    ("toolkit.migrations.0004_export_permissions", "grant"),
    ("core.migrations.0006_api_keys", "grant"),
]


def restore_migrated_data() -> None:
    if AssetCategory.objects.exists():
        return
    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
