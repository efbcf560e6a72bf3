"""Importing assets from a file: CSV, GeoJSON or Open Referral UK JSON (DESIGN §3, §8).

A coordinator uploads a file (`import_start`). Its rows are read (`reading`, `openreferral`,
`formats`) and checked (`checking`) into a preview without writing any asset: each row's
problems (row, field, why) and its likely duplicates (assets.services.duplicates, the one
rule). The coordinator confirms, and every asset is created in one transaction, all or
nothing (`run`). Files of up to IN_REQUEST_ROWS rows are handled in the request; larger ones
by the worker, through the job layer (core.jobs), which records progress on the AssetImport
row for the page to show. See docs/imports.md.
"""

from assets.services.imports.formats import import_format_detect
from assets.services.imports.reading import COLUMNS
from assets.services.imports.run import (
    IN_REQUEST_ROWS,
    import_check,
    import_commit,
    import_confirm,
    import_preview_rows,
    import_retry,
    import_start,
)

__all__ = [
    "COLUMNS",
    "IN_REQUEST_ROWS",
    "import_check",
    "import_commit",
    "import_confirm",
    "import_format_detect",
    "import_preview_rows",
    "import_retry",
    "import_start",
]
