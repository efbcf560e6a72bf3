"""The version of the toolkit's text (core.versions), under which the toolkit page keeps its
rendered sections (core.pagecache.PageFragments).

A save or delete of a section bumps it inside its own transaction, by signal, so that the
Django admin and toolkit.services.toolkit_section_update are both covered."""

from core.versions import version_follows

TOOLKIT_VERSION = "toolkit"


def signals_connect() -> None:
    from toolkit.models import ToolkitSection

    version_follows(TOOLKIT_VERSION, ToolkitSection)
