"""Welsh with nothing left in English. Every role walks the main /cy/ pages of the demo: no
text on them may be a string the Welsh catalogue translates but that was rendered in
English (a translation forgotten in a template, a label evaluated too early, a message from
outside the catalogue). Plus the content that has its own Welsh: shown in Welsh, or in
English marked as such."""

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import polib
import pytest
from django.test import Client

from core.models import Role, User

PO = Path(__file__).resolve().parents[1] / "locale" / "cy" / "LC_MESSAGES" / "django.po"
PAGES_PER_ROLE = 60
PER_KIND = 2  # pages of one kind (/cy/assets/<n>/…) looked at: they share a template
# Never followed: files to download, the API and its docs (English by design, for developers),
# the admin (staff only, Django's own), and what signs out or starts a download job.
SKIP = ("/api/", "/admin/", "/sign-out/", ".csv", ".pdf", ".xlsx", ".json", ".geojson", ".zip")
# Texts that are the same word in a page's Welsh because they are names, not words to
# translate: the programme's and instruments' names as people know them.
NOT_WORDS = {"SWEMWBS", "ONS4", "API", "CSV", "PDF", "GeoJSON", "XLSX", "Open Referral UK"}


def translated_in_catalogue() -> set[str]:
    """The msgids the catalogue gives a different Welsh for, long enough to be unambiguous
    (under 4 letters: "No", "Map", "OK"… can be a name or code) and with no placeholder (a
    string rendered with its values can never equal its msgid)."""
    return {
        entry.msgid
        for entry in polib.pofile(str(PO))
        if not entry.obsolete
        and not entry.msgid_plural
        and entry.msgstr
        and entry.msgstr != entry.msgid
        and len(entry.msgid) >= 4
        and "%" not in entry.msgid
        and entry.msgid not in NOT_WORDS
    }


class Page(HTMLParser):
    """A page's text nodes a person can see or hear (not scripts, styles or text marked as
    another language with lang=…) and the links it has."""

    IGNORED = {"script", "style", "template", "noscript"}
    VOID = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    }  # fmt: skip

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.texts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in self.VOID:
            return
        lang = attrs.get("lang")
        skipped = (self.stack and self.stack[-1]) or tag in self.IGNORED
        other_language = lang and not lang.startswith("cy")
        # translate="no": a name people chose (a username), never a word to translate.
        self.stack.append(bool(skipped or other_language or attrs.get("translate") == "no"))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not (self.stack and self.stack[-1]):
            self.texts.append(text)


def walk(client: Client, start: str) -> dict[str, Page]:
    """Breadth-first over the Welsh pages reachable from `start`, up to PAGES_PER_ROLE and
    PER_KIND of a kind (answers: of an instrument)."""
    seen, queue, pages, kinds = {start}, [start], {}, Counter()
    while queue and len(pages) < PAGES_PER_ROLE:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(response.content.decode())
        pages[url] = page
        for href in page.links:
            link = urldefrag(href).url
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/cy/") or any(s in link for s in SKIP):
                continue
            kind = re.sub(r"\d+|/(baseline|midpoint|follow_up)/", "N", parts.path)
            if "page=" in parts.query or link in seen or kinds[kind] >= PER_KIND:
                continue
            kinds[kind] += 1
            seen.add(link)
            queue.append(link)
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *Role])
def test_no_welsh_page_shows_english_the_catalogue_translates(demo, role):
    catalogue = translated_in_catalogue()
    client = Client()
    if role is not None:
        client.force_login(User.objects.get(username=role.value))
    pages = walk(client, "/cy/")
    assert len(pages) >= (2 if role is None else 5), f"the walk found too few pages: {list(pages)}"
    english = {
        (url, text) for url, page in pages.items() for text in page.texts if text in catalogue
    }
    assert not english, "English left on Welsh pages:\n" + "\n".join(
        f"{url}: {text!r}" for url, text in sorted(english)
    )


def test_the_check_finds_an_english_string_on_a_welsh_page():
    """The walk's parser and catalogue would catch a forgotten translation."""
    page = Page()
    page.feed(
        '<main><h1>Add an asset</h1><p lang="en">Add an asset</p><script>"Sign in"</script>'
        '<td translate="no">Add an asset</td></main>'
    )
    assert "Add an asset" in translated_in_catalogue()
    assert [t for t in page.texts if t in translated_in_catalogue()] == ["Add an asset"]


@pytest.mark.django_db
def test_the_welcome_heading_mutates_the_name_in_welsh(client):
    assert (
        '<h1 class="govuk-heading-xl">Croeso i Gymuned</h1>' in client.get("/cy/").content.decode()
    )
    assert (
        '<h1 class="govuk-heading-xl">Welcome to Cymuned</h1>'
        in client.get("/en/").content.decode()
    )
