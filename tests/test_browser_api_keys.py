"""Partner API keys in headless Chromium: a coordinator on a phone adds an organisation and
issues a key (shown once), a partner sees its use in Welsh, and the API docs work with no
internet under the Content-Security-Policy."""

from urllib.parse import urlsplit

import pytest

from core.models import ApiKey, Organisation, Role
from core.tests.factories import api_key_make
from tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_width,
    screenshot,
    sign_in,
)
from tests.test_browser_csp import watch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_coordinator_on_a_phone_issues_a_key_that_is_shown_once(new_page, make_user):
    coordinator = make_user(Role.COORDINATOR)
    page = new_page(PHONE)
    sign_in(page, coordinator.username)

    page.goto("/en/partners/")
    assert_fits_width(page)
    assert_accessible(page)
    page.get_by_role("button", name="Add a partner organisation").click()
    page.get_by_label("Name of the organisation").fill("Swansea Council")
    page.get_by_role("button", name="Add organisation").click()
    page.get_by_role("button", name="Issue an API key").click()
    page.get_by_label("Name of the key").fill("Housing dashboard")
    page.get_by_label("Public data, area summaries and disclosure-controlled counts").check()
    assert_accessible(page)
    page.get_by_role("button", name="Issue the key").click()

    secret = page.locator("#issued-key").input_value()
    assert secret.startswith("cym_")
    screenshot(page, "api-key-issued-phone")
    assert_fits_width(page)
    assert_accessible(page)

    page.get_by_role("link", name="Back to Swansea Council").click()
    table = page.locator("#api-keys").inner_text()
    assert "Housing dashboard" in table and secret[:12] in table and "Never" in table
    assert secret not in page.content()
    assert_fits_width(page)
    assert_accessible(page)
    page.reload()
    assert secret not in page.content()

    page.get_by_role("link", name="Revoke Housing dashboard").click()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke the key").click()
    assert "is revoked" in page.locator(".govuk-notification-banner, main").first.inner_text()
    assert ApiKey.objects.get().revoked_at is not None


def test_a_partner_sees_their_keys_in_welsh_on_a_phone(new_page, make_user):
    organisation = Organisation.objects.create(name="Cyngor Abertawe")
    api_key_make("public", organisation=organisation, name="Map tai")
    partner = make_user(Role.PARTNER, organisation=organisation)
    page = new_page(PHONE)
    sign_in(page, partner.username, language="cy")

    page.goto("/cy/api-keys/")

    assert page.locator("h1").inner_text() == "Allweddi API eich sefydliad"
    assert "Map tai" in page.locator("#api-keys").inner_text()
    assert "Yn gweithio" in page.locator("#api-keys").inner_text()
    screenshot(page, "partner-api-keys-cy-phone")
    assert_fits_width(page)
    assert_accessible(page)


def test_the_api_docs_work_offline_under_the_policy(new_page):
    page = new_page(DESKTOP)
    problems = watch(page)
    outside: list[str] = []

    def only_this_server(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    response = page.goto("/api/docs/")
    page.locator(".opblock-summary-path").first.wait_for()

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert {"/api/v1/assets/", "/api/v1/categories/"} <= {p.replace("\u200b", "") for p in paths}
    assert "Getting a key" in page.locator(".information-container").inner_text()  # the guide
    screenshot(page, "api-docs")
    assert outside == []
    assert problems == []
