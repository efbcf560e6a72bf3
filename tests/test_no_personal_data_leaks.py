"""No page or download that a participant, evaluator, partner or anonymous visitor can reach
shows any demo participant's name, phone number or e-mail address. It signs in as each role
and follows every link it can reach from every page of the project (DESIGN §6)."""

from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import Role
from participants.models import PersonalDetails
from tests.test_permission_matrix import project_urls

MAX_PAGES = 700
SKIP = ("/admin/", "/static/", "/en/sign-out/", "/cy/sign-out/")


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


def crawl(client: Client, start: list[str] | None = None) -> dict[str, str]:
    """Every page reachable from the start URLs: {url: body}."""
    seen, bodies, queue = set(), {}, deque(start or start_urls())
    while queue and len(bodies) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        body = response.content.decode("utf-8", errors="replace")
        bodies[url] = body
        if response["Content-Type"].startswith("text/html"):
            queue.extend(links(body, url))
    return bodies


@pytest.mark.django_db
def test_no_reachable_page_shows_a_participants_name_phone_or_email(make_user):
    call_command("seed_demo", verbosity=0)
    secrets = {
        value
        for details in PersonalDetails.objects.all()
        for value in (details.full_name, details.phone, details.email)
        if value
    }
    assert len(secrets) == 150
    for role in (None, Role.PARTICIPANT, Role.EVALUATOR, Role.PARTNER):
        client = Client()
        if role:
            client.force_login(make_user(role), backend="django.contrib.auth.backends.ModelBackend")
        bodies = crawl(client)
        assert len(bodies) > 20, f"the crawl as {role} reached only {sorted(bodies)}"
        leaks = [(url, s) for url, body in bodies.items() for s in secrets if s in body]
        assert not leaks, f"As {role or 'anonymous'}: {leaks[:5]}"


@pytest.mark.django_db
def test_the_crawl_would_see_a_leak(coordinator_client):
    call_command("seed_demo", verbosity=0)
    name = PersonalDetails.objects.get(participant__code="P-002").full_name
    bodies = crawl(coordinator_client, start=[reverse("participant-list")])
    assert any(name in body for body in bodies.values())
