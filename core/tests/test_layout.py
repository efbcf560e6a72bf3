import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from django.utils import translation

from core.models import Role

pytestmark = pytest.mark.django_db


def test_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_welsh_page_is_in_welsh_with_a_toggle_back_to_the_same_page_in_english(client):
    page = client.get("/cy/sign-in/?next=/cy/").content.decode()
    assert '<html lang="cy" dir="ltr"' in page
    assert "Mewngofnodi" in page
    assert 'href="/en/sign-in/?next=%2Fcy%2F"' in page
    assert 'lang="en" hreflang="en">English</a>' in page


def test_english_page_links_to_welsh(client):
    page = client.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr"' in page
    assert 'href="/cy/" rel="alternate" lang="cy" hreflang="cy">Cymraeg</a>' in page


def test_layout_has_skip_link_landmarks_and_main_target(client):
    page = client.get("/en/").content.decode()
    assert 'href="#main-content" class="govuk-skip-link"' in page
    assert '<main class="govuk-main-wrapper" id="main-content">' in page
    assert "<header" in page and "<footer" in page and "<nav" in page


def test_a_right_to_left_language_sets_dir_rtl(client, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]
    clear_url_caches()
    try:
        page = client.get("/ar/").content.decode()
    finally:
        clear_url_caches()
    assert '<html lang="ar" dir="rtl"' in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.COORDINATOR, "Issue sign-ins"),
        (Role.FACILITATOR, "Log your workshops"),
        (Role.PARTICIPANT, "Add what is good here"),
        (Role.EVALUATOR, "Pseudonymised downloads"),
        (Role.PARTNER, "Query the API"),
    ],
)
def test_home_page_shows_what_each_role_can_do(client_as, role, expected):
    page = client_as(role).get(reverse("core:home")).content.decode()
    assert str(Role(role).label) in page
    assert expected in page


def test_only_coordinators_see_the_sign_ins_menu_item(coordinator_client, participant_client):
    assert 'href="/en/accounts/"' in coordinator_client.get("/en/").content.decode()
    assert 'href="/en/accounts/"' not in participant_client.get("/en/").content.decode()


def test_anonymous_home_invites_sign_in_without_email(client):
    page = client.get("/en/").content.decode()
    assert "You do not need an e-mail address" in page
    with translation.override("cy"):
        assert reverse("core:sign-in") == "/cy/sign-in/"


@override_settings(DEBUG=False)
def test_unknown_page_is_a_friendly_404_in_the_layout(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_warming_up_compiles_every_page_template_before_the_first_request():
    from django.template import engines

    from core.warmup import app_warm

    assert app_warm() > 100
    cached = engines["django"].engine.template_loaders[0].get_template_cache
    assert "base.html" in cached and "assets/map.html" in cached
