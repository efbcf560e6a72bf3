"""Dependencies point one way (docs/architecture.md):

    core ← participants ← assets ← workshops ← indicators ← toolkit   (api and config on top)

A lower app never names a higher one: not by import, not through `apps.get_model`,
`import_module` or a lazy "app.Model" string, not by a relation name the higher app owns
(`participant.attendance`), and not by a URL namespace, include or extends in its templates.
Cross-app composition goes through core.registry; changes reach higher apps through the outbox.

What is checked: every .py file under each app, its tests included, and the app's templates
(`templates/<app>/`; the shared `templates/includes/` and `templates/forms/` count as core).

What is not, and why:
- **Migrations.** A migration is history: it names the models as they were when it was
  written (participants 0006 made the tie's old link to assets.Asset; data migrations call
  `apps.get_model` on historical models). Rewriting it would break databases already migrated.
  New cross-app moves are done the other way round: the higher app's migration runs before
  the lower one's (`run_before`), as assets 0008_tieplace does.
- **The site layout** (`templates/base.html`, the error pages, and `templates/site/`, the
  pages its footer links to): it belongs to the project, like config/urls.py, and sits on top
  of every app; its menu links each app's pages.

An app's tests follow the same rule: a test that needs a higher app lives in that higher app's
tests (workshops/tests/test_areas.py re-assigns barriers after a boundary import) or, when it
crosses many apps, in the top-level tests/ (STYLE.md).
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from core.registry import LAYERS

ROOT = Path(__file__).resolve().parent.parent
TOP = ("api",)  # above every app
TEMPLATE_DIRS = {"core": ["core", "includes", "forms"]}


def higher(app: str) -> tuple[str, ...]:
    return (*LAYERS[LAYERS.index(app) + 1 :], *TOP)


def python_files(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def _root(dotted: str) -> str:
    return dotted.split(".")[0]


def owned_relation_names(app: str) -> dict[str, str]:
    """Names that only exist because a higher app points at this app's (or a lower app's)
    models: reverse accessors and query names → the higher app that owns them."""
    names = {}
    for model in apps.get_models():
        owner = model._meta.app_label
        if owner not in higher(app):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey | models.ManyToManyField):
                continue
            target = field.related_model._meta.app_label
            if target not in LAYERS or LAYERS.index(target) > LAYERS.index(app):
                continue
            if (field.remote_field.related_name or "").endswith("+"):
                continue
            names[field.remote_field.get_accessor_name()] = owner
            names[field.related_query_name()] = owner
    return names


def violations_in_source(source: str, app: str, *, relation_names=None) -> list[str]:
    """Every place in one module's source that names an app above `app`."""
    above = higher(app)
    relation_names = relation_names or {}
    lazy = re.compile(rf"^({'|'.join(above)})\.[A-Z]\w*$")
    url_name = re.compile(rf"^({'|'.join(above)}):[\w-]+$")
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{line}: imports {a.name}" for a in node.names if _root(a.name) in above]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _root(node.module) in above:
                found.append(f"{line}: imports from {node.module}")
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0] if node.args else None
            if (
                name in ("get_model", "import_module", "is_installed", "get_app_config")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _root(first.value) in above
            ):
                found.append(f"{line}: {name}({first.value!r})")
            if name in ("select_related", "prefetch_related"):
                found += [
                    f"{line}: {relation_names[arg.value]}'s relation {arg.value!r}"
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and arg.value in relation_names
                ]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if lazy.match(node.value):
                found.append(f"{line}: names the model {node.value!r}")
            if url_name.match(node.value):
                found.append(f"{line}: names the URL {node.value!r}")
            found += _lookup(node.value, line, relation_names, quoted=True)
        elif isinstance(node, ast.keyword) and node.arg:
            found += _lookup(node.arg, getattr(node.value, "lineno", 0), relation_names)
        elif isinstance(node, ast.Attribute) and node.attr in relation_names:
            found.append(f"{line}: {relation_names[node.attr]}'s relation .{node.attr}")
    return found


def _lookup(text: str, line: int, relation_names: dict, *, quoted=False) -> list[str]:
    """A query lookup through a relation a higher app owns ("attendance__workshop"). Plain
    words are not checked: "participant" is also a role."""
    first = text.lstrip("-").split("__")[0]
    if "__" not in text or first not in relation_names:
        return []
    shown = repr(text) if quoted else text
    return [f"{line}: {relation_names[first]}'s relation {shown}"]


TEMPLATE_NAMES = re.compile(
    r"""\{%\s*(?:url\s+['"](?P<namespace>[\w-]+):|(?:include|extends)\s+['"](?P<folder>[\w-]+)/)"""
)


def template_violations(app: str) -> list[str]:
    above, found = higher(app), []
    for folder in TEMPLATE_DIRS.get(app, [app]):
        for path in sorted((ROOT / "templates" / folder).rglob("*.html")):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                for match in TEMPLATE_NAMES.finditer(line):
                    named = match["namespace"] or match["folder"]
                    if named in above:
                        found.append(f"{path.relative_to(ROOT)}:{number}: names {named}")
    return found


def module_violations(app: str) -> dict[str, list[str]]:
    names = owned_relation_names(app)
    found = {}
    for path in python_files(app):
        problems = violations_in_source(path.read_text(), app, relation_names=names)
        if problems:
            found[str(path.relative_to(ROOT))] = problems
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_no_module_names_a_higher_app(app):
    assert module_violations(app) == {}


@pytest.mark.parametrize("app", LAYERS)
def test_no_template_names_a_higher_app(app):
    assert template_violations(app) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from workshops.models import Attendance", "1: imports from workshops.models"),
        ("import indicators.tasks", "1: imports indicators.tasks"),
        ("apps.get_model('assets', 'Asset')", "1: get_model('assets')"),
        ("import_module('workshops.demo')", "1: import_module('workshops.demo')"),
        ("models.ForeignKey('assets.Asset')", "1: names the model 'assets.Asset'"),
        ("reverse('workshops:common-ground')", "1: names the URL 'workshops:common-ground'"),
        ("participant.attendance.all()", "1: workshops's relation .attendance"),
        ("qs.filter(attendance__workshop=w)", "1: workshops's relation attendance__workshop"),
        ("qs.order_by('-attendance__id')", "1: workshops's relation '-attendance__id'"),
        ("qs.prefetch_related('endorsements')", "1: assets's relation 'endorsements'"),
    ],
)
def test_the_check_catches_each_way_of_naming_a_higher_app(source, expected):
    relation_names = owned_relation_names("participants")
    assert violations_in_source(source, "participants", relation_names=relation_names) == [expected]


def test_the_check_lets_an_app_name_the_apps_below_it():
    source = "from core.models import Role\nfrom participants.models import Participant"
    assert violations_in_source(source, "assets", relation_names={}) == []


def test_the_check_catches_a_template_naming_a_higher_app(tmp_path, monkeypatch):
    (tmp_path / "templates" / "core").mkdir(parents=True)
    page = tmp_path / "templates" / "core" / "page.html"
    page.write_text("{% url 'core:home' %}\n<a href=\"{% url 'workshops:workshop-list' %}\">")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert template_violations("core") == ["templates/core/page.html:2: names workshops"]
