"""A token that changes with every release of the code: what is cached across processes
(core.pagecache) is keyed by it, so a new release never serves pages its predecessor
rendered."""

import hashlib
from functools import cache

from django.conf import settings

# What a rendered page comes from: the code, the templates and the translations.
SOURCES = ("config", "core", "assets", "participants", "workshops", "indicators", "toolkit")
SOURCES += ("templates", "locale")
SUFFIXES = {".py", ".html", ".mo", ".json"}


@cache
def release_token() -> str:
    """A digest of the name, size and modification time of every source file, once per
    process (gunicorn's master works it out before forking: core.warmup)."""
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]
