"""The throwaway database every benchmark measures in (imported after django.setup())."""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.test.utils import (
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)


@contextmanager
def throwaway_database(prefix: str = "bench"):
    """Migrate a database of its own (a temporary SQLite file, or <prefix>_<NAME> on
    PostgreSQL), so a benchmark never touches the database of a test run going on beside it,
    and drop it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="cymuned-bench-"))
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(folder / "bench.sqlite3")
    else:
        name = f"{prefix}_{settings_dict['NAME']}"
    settings_dict.setdefault("TEST", {})["NAME"] = name
    setup_test_environment()
    old_config = setup_databases(
        verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
    )
    try:
        yield
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(folder, ignore_errors=True)
