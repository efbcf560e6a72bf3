"""Welsh is not treated less favourably: every string has its Welsh, compiled, and the
catalogue holds every string the code and templates use."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

from tests.services import require_service

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
SOURCES = ["config", "core", "assets", "participants", "workshops", "indicators", "toolkit"]


def entries(path: Path) -> dict[tuple[str | None, str], polib.POEntry]:
    """Entries by (context, msgid): "Never" as a frequency and as a date differ in Welsh."""
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}


def test_every_welsh_entry_is_translated_and_not_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po_file():
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(e.msgstr_plural.items()))
        for e in polib.mofile(str(PO.with_suffix(".mo")))
    }
    source = {key: (e.msgstr, tuple(e.msgstr_plural.items())) for key, e in entries(PO).items()}
    stale = sorted(k for k in source if compiled.get(k) != source[k])
    assert not stale, f"Run `make messages` to recompile django.mo; stale entries: {stale}"


def test_catalogue_has_every_string_in_the_code(tmp_path):
    require_service("gettext (xgettext)", shutil.which("xgettext") is not None)
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("tests"))
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "cy", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    wanted = set(entries(tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.po")) - {(None, "")}
    assert len(wanted) > 100, "makemessages found too few strings: is the copy complete?"
    missing = sorted(wanted - set(entries(PO)))
    assert not missing, f"Strings missing from the Welsh catalogue (run `make messages`): {missing}"
