"""The screenshot tour (`make tour`): each role's main journey at phone width, in English and
Welsh, against the demo site seeded into a test database, in headless Chromium with the
browser tests' helpers (tests/browser.py). Saves compressed PNGs to docs/tour/ and the
captioned sequence to docs/tour.md.

Not part of `make test` (its file name is not test_*.py); run it on its own:
    pytest tests/tour.py -p no:randomly
"""

import contextlib
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from core.demo import DEMO_PASSPHRASE
from tests.browser import PHONE, ROOT, sign_in
from workshops.models import Workshop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOUR = ROOT / "docs" / "tour"
MARKDOWN = ROOT / "docs" / "tour.md"
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
MAX_HEIGHT = 1500  # px of a long page kept in its picture: the top of the journey's page
COLOURS = 96  # a palette this size keeps text crisp and a picture near 50–120 kB


@dataclass
class Shot:
    role: str
    caption: str
    path: Path


def save(page, name: str, anchor: str | None = None) -> Path:
    """A phone-width picture of the page from its top, or from the `anchor` element, up to
    MAX_HEIGHT, as a small palette PNG."""
    from PIL import Image

    TOUR.mkdir(parents=True, exist_ok=True)
    path = TOUR / f"{name}.png"
    height = page.evaluate("() => document.scrollingElement.scrollHeight")
    top = 0
    if anchor:
        where = "el => el.getBoundingClientRect().top + window.scrollY"
        top = max(0, int(page.locator(anchor).first.evaluate(where)) - 16)
    clip = {"x": 0, "y": top, "width": PHONE["width"], "height": min(height - top, MAX_HEIGHT)}
    page.screenshot(path=str(path), full_page=True, clip=clip)
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    return path


def settle(page) -> None:
    """Wait for the page's own requests (a map's layer) to finish, but not for ever."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # a page that keeps polling is still shown
        page.wait_for_load_state("networkidle", timeout=5_000)


class Journey:
    """One role's walk through the site in one language, numbering its pictures."""

    def __init__(self, new_page, shots: list[Shot], role: str, language: str):
        self.page = new_page(PHONE)
        self.shots, self.role, self.language = shots, role, language

    def sign_in(self, username: str) -> None:
        sign_in(self.page, username, DEMO_PASSPHRASE.format(role=username), self.language)

    def go(self, path: str) -> None:
        self.page.goto(f"/{self.language}/{path}" if not path.startswith("/") else path)
        settle(self.page)

    def shot(self, slug: str, caption: str, anchor: str | None = None) -> None:
        number = len(self.shots) + 1
        name = f"{number:02d}-{self.role}-{slug}-{self.language}"
        self.shots.append(Shot(self.role, caption, save(self.page, name, anchor)))


def anonymous(j: Journey) -> None:
    j.go("")
    j.shot("home", "The home page, before signing in")
    j.go("map/")
    j.shot("map", "The asset map and its list, open to everyone")


def participant(j: Journey) -> None:
    j.go("sign-in/")
    j.page.get_by_label({"en": "Username", "cy": "Enw defnyddiwr"}[j.language]).fill("participant")
    j.shot("sign-in", "Signing in with a username and a passphrase of four words")
    j.sign_in("participant")
    j.go("map/")
    j.shot("map", "The map, signed in")
    j.go("assets/new/")
    j.shot("add-asset", "Adding an asset: what it is and where (never anyone's home)")
    j.go("me/")
    j.shot("my-page", "My page: a greeting, what they added (change or withdraw while it waits)")
    j.shot("my-answers", "My page: their questionnaire answers in words", anchor="#answers")
    j.go("barriers/name/")
    j.page.locator("#id_title").fill(
        {"en": "No bus after six", "cy": "Dim bws ar ôl chwech"}[j.language]
    )
    j.shot("name-barrier", "Naming a barrier: it goes to a facilitator of their site")


def facilitator(j: Journey) -> None:
    j.sign_in("facilitator")
    j.go("")
    j.shot("home", "A facilitator's home: their workshops and the barriers waiting")
    j.go("barriers/named/")
    j.shot("barriers-named", "Barriers participants named: accept or decline each one")


def coordinator(j: Journey) -> None:
    j.sign_in("coordinator")
    j.go("")
    j.shot("home", "A coordinator's home: everything at their site")
    j.go("moderation/")
    j.shot("moderation", "Moderation: submissions waiting for a check, as cards on a phone")
    workshop = Workshop.objects.order_by("starts_at").first()
    j.go(f"workshops/{workshop.pk}/")
    j.shot("workshop", "A workshop: register, what it found and the actions agreed")


def evaluator(j: Journey) -> None:
    j.sign_in("evaluator")
    j.go("evaluation/report/")
    j.shot(
        "evaluation-report",
        "The evaluation report: tables as cards on a phone, small numbers suppressed",
        anchor="main table",
    )
    j.go("areas/")
    link = j.page.locator("main a[href*='/areas/W']").first
    j.go(link.get_attribute("href"))
    j.shot("area-profile", "An area profile: indicators and what the project holds there")


def partner(j: Journey) -> None:
    j.sign_in("partner")
    j.go("api-keys/")
    j.shot("keys", "A partner's API keys")
    j.go("/api/docs/")
    j.shot("api-docs", "The partner API's interactive documentation")


JOURNEYS = [
    ("anonymous", anonymous),
    ("participant", participant),
    ("facilitator", facilitator),
    ("coordinator", coordinator),
    ("evaluator", evaluator),
    ("partner", partner),
]


def write_markdown(shots: list[Shot]) -> None:
    lines = [
        "# Screenshot tour",
        "",
        "Each role's main journey on a phone (375px wide), in English and then Welsh, against",
        "the demo site. Made by `make tour` (`tests/tour.py`); long pages show their top.",
        "",
    ]
    role = None
    for shot in shots:
        if shot.role != role:
            role = shot.role
            lines += [f"## {role.capitalize()}", ""]
        language = LANGUAGES[shot.path.stem.rsplit("-", 1)[1]]
        lines += [
            f"**{shot.caption}** ({language})",
            "",
            f"![{shot.caption} ({language})](tour/{shot.path.name})",
            "",
        ]
    MARKDOWN.write_text("\n".join(lines))


def test_tour(new_page):
    call_command("seed_demo", stdout=StringIO())
    for old in TOUR.glob("*.png"):
        old.unlink()
    shots: list[Shot] = []
    for role, walk in JOURNEYS:
        for language in LANGUAGES:
            with translation.override(language):
                walk(Journey(new_page, shots, role, language))
    write_markdown(shots)
    assert len(shots) <= 40
