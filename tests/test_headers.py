"""Content-Security-Policy: no inline script or style on any page, the map loader allowed by
its per-response nonce, and the tile host allowed by setting."""

import os
import re

import pytest
from django.urls import reverse

from assets.tests.factories import AssetFactory
from config.settings.base import tile_host
from core.models import Role

pytestmark = pytest.mark.django_db

PAGES = [
    (None, "core:home"),
    (None, "core:sign-in"),
    (None, "assets:asset-map"),
    (Role.PARTICIPANT, "assets:asset-add"),
    (Role.COORDINATOR, "workshops:workshop-add"),
    (Role.COORDINATOR, "workshops:common-ground"),
    (Role.COORDINATOR, "core:account-list"),
    (Role.COORDINATOR, "participants:participant-list"),
    (Role.COORDINATOR, "workshops:workshop-list"),
]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize(("role", "name"), PAGES)
def test_every_main_page_forbids_inline_script_and_style(client_as, role, name):
    response = client_as(role).get(reverse(name))
    assert response.status_code == 200

    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(("role", "name"), PAGES)
def test_no_page_has_an_inline_script_handler_or_style_without_the_nonce(client_as, role, name):
    response = client_as(role).get(reverse(name))
    page = response.content.decode()
    nonces = [v for v in policy(response)["script-src"] if v.startswith("'nonce-")]

    for tag in re.findall(r"<script\b[^>]*>", page):
        runs_inline = "src=" not in tag and 'type="application/json"' not in tag
        if runs_inline:
            assert nonces and f'nonce="{nonces[0][7:-1]}"' in tag, tag
    assert not re.search(r"<[^>]+\son[a-z]+=", page)
    assert not re.search(r"<[^>]+\sstyle=", page)
    assert "javascript:" not in page
    assert "<style" not in page


def test_the_map_loader_carries_the_nonce_of_its_own_response(client):
    AssetFactory(name="Townhill Library")
    first, second = client.get(reverse("assets:asset-map")), client.get(reverse("assets:asset-map"))

    nonce = next(v for v in policy(first)["script-src"] if v.startswith("'nonce-"))[7:-1]
    assert f'<script nonce="{nonce}">' in first.content.decode()
    assert nonce not in second["Content-Security-Policy"]  # a fresh nonce per response


def test_pages_without_a_map_send_no_nonce(client):
    response = client.get(reverse("core:sign-in"))
    assert policy(response)["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "https://*.tiles.example.org"),
        ("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png", "https://tiles.example.org:8443"),
        ("//tiles.example.org/{z}/{x}/{y}.png", "tiles.example.org"),
    ],
)
def test_the_tile_host_is_allowed_as_an_image_source(template, source):
    assert tile_host(template) == [source]


@pytest.mark.parametrize("template", ["", "none", "/test-tiles/{z}/{x}/{y}.png"])
def test_no_tile_host_when_tiles_are_off_or_come_from_the_site(template):
    assert tile_host(template) == []


def test_the_default_tiles_are_openstreetmaps_and_allowed_as_images():
    from config.settings import base

    if "MAP_TILES_URL" in os.environ:
        pytest.skip("MAP_TILES_URL is set in the environment")
    assert base.MAP_TILES_URL == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "https://tile.openstreetmap.org" in base.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
