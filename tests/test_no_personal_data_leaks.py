"""No page, download or form response that a participant, facilitator, evaluator, partner or
anonymous visitor can reach shows any participant's name, phone number, e-mail address or
home address (DESIGN §6).

It signs in as each role — the demo's own accounts, so the facilitator runs workshops and
the participant has a record of their own — follows every link it can reach from every page
of the project, and submits every form it finds there (searches, filters and POST forms
alike) with plausible values, checking each response too. Besides the demo's participants,
a few are registered with details made up afresh on every run.
"""

import secrets as random_secrets
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from core.models import Role, User
from participants.models import ConsentScope, InformationSheet, PersonalDetails
from participants.services import participant_register
from tests.test_permission_matrix import project_urls
from workshops.models import Attendance, Workshop

MAX_PAGES = 700
# Pages of one kind (one URL pattern, one language) render one template over different rows:
# the crawl reads up to this many of each (every asset page of a site would otherwise be most
# of it), and every kind of page, form and download still.
PER_KIND = 12
SKIP = ("/admin/", "/static/", "/en/sign-out/", "/cy/sign-out/")
PERSONAL = ("full_name", "phone", "email", "address")


def start_urls() -> list[str]:
    urls = []
    with translation.override("en"):
        for name, pattern in project_urls().items():
            if not pattern.pattern.regex.groupindex and not name.startswith("admin:"):
                urls.append(reverse(name))
    return urls + [url.replace("/en/", "/cy/", 1) for url in urls if url.startswith("/en/")]


def links(html: str, base: str) -> list[str]:
    found = []
    for chunk in html.split('href="')[1:]:
        href = chunk.split('"', 1)[0].replace("&amp;", "&")
        url = urljoin(base, href)
        parsed = urlparse(url)
        if parsed.netloc in ("", "testserver") and not url.startswith("#"):
            found.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return found


class FormFinder(HTMLParser):
    """Every form on a page: its method, action and what a person might send — hidden
    values as they are, the first of each set of choices, plausible text elsewhere."""

    PLAUSIBLE = {
        "email": "someone@example.org",
        "tel": "01632 960000",
        "number": "1",
        "password": "not-the-passphrase",
        "url": "https://example.org",
    }

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._data: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._data = {}
            method = (attrs.get("method") or "get").lower()
            self.forms.append(
                {"method": method, "action": attrs.get("action") or "", "data": self._data}
            )
            return
        if self._data is None:
            return
        if tag == "option" and self._select and attrs.get("value"):
            self._data.setdefault(self._select, attrs["value"])
            return
        name, kind = attrs.get("name"), (attrs.get("type") or "text").lower()
        if not name:
            return
        if tag == "select":
            self._select = name
        elif tag == "textarea":
            self._data[name] = "Met at the language café"
        elif tag != "input" or kind in ("submit", "button", "file", "image", "reset"):
            return
        elif kind in ("checkbox", "radio"):
            self._data.setdefault(name, attrs.get("value", "on"))
        elif kind == "date":
            self._data[name] = attrs.get("value") or timezone.localdate().isoformat()
        else:
            self._data[name] = attrs.get("value") or self.PLAUSIBLE.get(kind, "Swansea")

    def handle_endtag(self, tag):
        if tag == "form":
            self._data = None
        elif tag == "select":
            self._select = None


def forms(html: str) -> list[dict]:
    finder = FormFinder()
    finder.feed(html)
    return finder.forms


def _submit(client: Client, url: str, form: dict, sent: set, bodies: dict) -> None:
    target = urlparse(urljoin(url, form["action"] or url)).path
    # The same form in Welsh sends the same thing: submit it once.
    key = (form["method"], target.replace("/cy/", "/en/", 1), tuple(sorted(form["data"])))
    if key in sent or target.startswith(SKIP):
        return
    sent.add(key)
    send = client.post if form["method"] == "post" else client.get
    response = send(target, form["data"], follow=True)
    if not getattr(response, "streaming", False):
        label = f"{form['method'].upper()} {target} {sorted(form['data'].items())}"
        bodies[label] = response.content.decode("utf-8", errors="replace")


def _kind(url: str) -> tuple:
    """The URL pattern and language a page belongs to."""
    path = urlparse(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return (path,)
    return (match.view_name, path[:4])


def crawl(
    client: Client, start: list[str] | None = None, *, submit: bool = False, until=None
) -> dict:
    """Every page reachable from the start URLs: {url: body}. With `submit`, every form on
    those pages is sent once as well, and where it led is kept under "METHOD path data".
    With `until` (a body → bool), it stops at the first page that makes it true."""
    seen, bodies, sent, queue = set(), {}, set(), deque(start or start_urls())
    kinds: Counter = Counter()
    while queue and len(bodies) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        kind = _kind(url)
        kinds[kind] += 1
        if kinds[kind] > PER_KIND:
            continue
        response = client.get(url)
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        body = response.content.decode("utf-8", errors="replace")
        bodies[url] = body
        if until and until(body):
            break
        if response["Content-Type"].startswith("text/html"):
            queue.extend(links(body, url))
            for form in forms(body) if submit else ():
                _submit(client, url, form, sent, bodies)
    return bodies


def made_up_participants(count: int = 3) -> list:
    """Participants whose details are made up on this run, on the register of a workshop the
    demo facilitator ran (so they are on the facilitator's pages by their known-as name)."""
    coordinator = User.objects.get(username=Role.COORDINATOR)
    made = []
    for _ in range(count):
        token = random_secrets.token_hex(4)
        made.append(
            participant_register(
                by=coordinator,
                profile={"cohort": "refugee", "display_name": f"Zed{token}"},
                personal={
                    "full_name": f"Zed{token} Quill{token}",
                    "phone": f"07700 9{random_secrets.randbelow(10**5):05d}",
                    "email": f"zed{token}@example.net",
                    "address": f"{random_secrets.randbelow(90) + 10} Heol {token}, Abertawe",
                },
                sheet=InformationSheet.objects.get(version="1.0"),
                scopes=[ConsentScope.TAKE_PART],
                method="written",
            )
        )
    workshop = Workshop.objects.filter(facilitators__username=Role.FACILITATOR).first()
    Attendance.objects.bulk_create(Attendance(workshop=workshop, participant=p) for p in made)
    return made


def personal_values(details) -> list[str]:
    return [value for name in PERSONAL if (value := getattr(details, name))]


@pytest.mark.django_db
def test_no_reachable_page_or_form_shows_anyones_personal_details(demo):
    made = made_up_participants()
    everyone = {d.participant_id: personal_values(d) for d in PersonalDetails.objects.all()}
    assert sum(len(values) for values in everyone.values()) == 4 * (50 + 12 + 3)
    for participant in made:
        assert len(everyone[participant.pk]) == 4
    for role in (None, Role.PARTICIPANT, Role.FACILITATOR, Role.EVALUATOR, Role.PARTNER):
        client = Client()
        own = None
        if role:
            user = User.objects.get(username=role)
            client.force_login(user, backend="core.backends.RoleBackend")
            own = getattr(getattr(user, "participant", None), "pk", None)
        # A participant may see their own details (on "my data"); nobody else's.
        secrets = {value for pk, values in everyone.items() if pk != own for value in values}
        bodies = crawl(client, submit=True)
        assert len(bodies) > 20, f"the crawl as {role} reached only {sorted(bodies)}"
        if role == Role.FACILITATOR:  # the register is among the pages, the made-up on it
            assert any(p.display_name in body for body in bodies.values() for p in made)
        submitted = [label for label in bodies if label.startswith(("GET ", "POST "))]
        assert submitted, f"the crawl as {role} found no form to submit"
        leaks = [(url, s) for url, body in bodies.items() for s in secrets if s in body]
        assert not leaks, f"As {role or 'anonymous'}: {leaks[:5]}"


@pytest.mark.django_db
def test_the_crawl_would_see_a_leak(demo):
    # The same crawl and check as above, as someone who may see the details: it finds them.
    # It stops there, as the proof is made (the rest of the crawl is the test above's).
    coordinator_client = Client()  # the demo coordinator, of the site the made-up are in
    coordinator_client.force_login(User.objects.get(username=Role.COORDINATOR))
    (made,) = made_up_participants(1)
    address = PersonalDetails.objects.get(participant=made).address
    start = [reverse("participants:participant-detail", args=[made.code])]
    bodies = crawl(coordinator_client, start=start, until=lambda body: address in body)
    leaks = [url for url, body in bodies.items() if address in body]
    assert leaks, f"the crawl reached {len(bodies)} pages and never saw the address"


def test_the_form_finder_fills_in_what_a_person_would():
    html = """<form method="post" action="/en/x/"><input type="hidden" name="csrfmiddlewaretoken"
    value="t"><input name="q"><select name="cohort"><option value="">Any</option>
    <option value="tenant">Tenant</option><option value="refugee">Refugee</option></select>
    <input type="checkbox" name="scopes" value="take_part"><input type="checkbox" name="scopes"
    value="photos"><input type="date" name="given_on"><input type="submit" name="go"></form>
    <form><input type="email" name="email"></form>"""
    first, second = forms(html)
    assert (first["method"], first["action"]) == ("post", "/en/x/")
    assert first["data"] == {
        "csrfmiddlewaretoken": "t",
        "q": "Swansea",
        "cohort": "tenant",
        "scopes": "take_part",
        "given_on": timezone.localdate().isoformat(),
    }
    assert second == {"method": "get", "action": "", "data": {"email": "someone@example.org"}}
