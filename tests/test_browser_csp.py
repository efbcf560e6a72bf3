"""With the Content-Security-Policy on, the pages that run script (the map, the asset form with
its point picker, a workshop with its barrier map) load without a single violation, and the
map still draws its markers."""

import pytest

from assets.tests.factories import AssetFactory
from core.models import Role, User
from tests.browser import DESKTOP, PHONE, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def watch(page) -> list[str]:
    """Collects every CSP violation the page reports, from the console and from the DOM."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return problems


def test_the_map_draws_its_markers_under_the_policy(new_page):
    AssetFactory(name="Townhill Library")
    AssetFactory(name="Mayhill Community Garden")
    page = new_page(DESKTOP)
    problems = watch(page)

    response = page.goto("/en/map/")
    page.locator(".leaflet-marker-icon").first.wait_for()

    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator(".leaflet-marker-icon").count() >= 1
    assert problems == []


def test_the_asset_form_places_a_pin_under_the_policy(new_page, make_user):
    participant = make_user(Role.PARTICIPANT)
    page = new_page(PHONE)
    problems = watch(page)
    sign_in(page, participant.username)

    page.goto("/en/assets/new/")
    page.locator("#point-picker").tap()

    assert page.locator("#pin-status").inner_text() == "Pin placed. Drag it to move it."
    assert '"type":"Point"' in page.locator("#id_geometry").input_value()
    page.goto("/en/account/password/")  # a plain form page
    assert page.locator("h1").count() == 1
    assert problems == []


def test_the_admin_works_under_the_policy(new_page, make_user):
    User.objects.create_superuser("site-admin", password="a-long-admin-passphrase")
    account = make_user(Role.FACILITATOR)
    page = new_page(DESKTOP)
    problems = watch(page)
    page.goto("/admin/login/")
    page.locator("#id_username").fill("site-admin")
    page.locator("#id_password").fill("a-long-admin-passphrase")
    page.locator("input[type=submit]").click()

    page.goto(f"/admin/core/user/{account.pk}/change/")

    assert page.locator("#id_username").input_value() == account.username
    assert problems == []
