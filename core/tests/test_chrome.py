"""The menu and footer are rendered once per process for each language and menu (core.chrome):
what a person sees in them is still their own, in their language, with their own sign-out
token."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_sign_out_button_carries_this_sessions_token_and_signs_out(make_user):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_user("participant"))
    second.force_login(make_user("participant"))
    pages = [c.get(reverse("core:accessibility")).content.decode() for c in (first, second)]
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert "__chrome-csrf-token__" not in pages[0] + pages[1]
    assert tokens[0] != tokens[1]

    refused = first.post(reverse("core:sign-out"), {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403 and SESSION_KEY in first.session

    first.post(reverse("core:sign-out"), {"csrfmiddlewaretoken": tokens[0]})
    assert SESSION_KEY not in first.session
    assert SESSION_KEY in second.session


def test_the_menu_and_footer_are_in_the_pages_language(client_as):
    client = client_as("facilitator")
    english = client.get("/en/").content.decode()
    welsh = client.get("/cy/").content.decode()

    assert ">Workshops<" in english and ">Sign out<" in english
    assert ">Gweithdai<" in welsh and ">Allgofnodi<" in welsh and ">Workshops<" not in welsh
    assert 'href="/cy/" aria-current="page"' in welsh
    assert ">Accessibility statement<" in english and ">Datganiad hygyrchedd<" in welsh
    # Signed out, the same language's menu offers a sign-in, not the signed-in person's items.
    public = Client().get("/cy/").content.decode()
    assert "Gweithdai" not in public and ">Mewngofnodi<" in public
