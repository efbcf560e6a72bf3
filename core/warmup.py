"""What a web process would otherwise do on its first requests, done once in gunicorn's
master before it forks the workers (gunicorn.conf.py `when_ready`): import every view (the
URLconf imports them, with DRF, WeasyPrint, networkx…), read the translation catalogues,
compile every template and work out the release token (core.release). The workers then
share those memory pages, and a worker that gunicorn restarts (max_requests) answers its
first requests at once instead of after about a second of imports while its requests
queue."""

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver, reverse
from django.utils import translation

from core.release import release_token


def app_warm() -> int:
    """Import the views, load the catalogues and the reverse URL lookups, compile the
    templates; how many templates were compiled."""
    get_resolver().url_patterns  # noqa: B018 — imports every urls.py and its views
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
            reverse("core:home")  # the URL resolver's reverse lookups, per language
    release_token()
    return _templates_compile()


def _templates_compile() -> int:
    engine = engines["django"]
    names = set()
    for loader in engine.engine.template_loaders:
        for folder in map(Path, loader.get_dirs()):
            names.update(str(path.relative_to(folder)) for path in folder.rglob("*.html"))
    compiled = 0
    for name in sorted(names):
        try:
            engine.get_template(name)
        except Exception:  # noqa: BLE001 — e.g. a library's template for an app not installed
            continue  # not one this site renders; a page that does will say so when asked
        compiled += 1
    return compiled
