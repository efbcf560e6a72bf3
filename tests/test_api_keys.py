"""Partner API keys: shown once, stored hashed, scoped, revocable, audited, throttled."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.api_auth import ApiKeyRateThrottle
from core.api_keys import api_key_revoke, secret_hash
from core.models import ApiKey, Organisation, Role
from core.tests.factories import api_key_make
from participants.models import AuditEvent

CATEGORIES = "/api/v1/categories/"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Swansea Council")


def issue(client, organisation, name="Housing map", scope="public"):
    return client.post(
        reverse("core:api-key-issue", args=[organisation.pk]), {"name": name, "scope": scope}
    )


def secret_on(page) -> str:
    text = page.content.decode()
    start = text.index('id="issued-key"')
    return text[text.index(">", start) + 1 : text.index("</textarea>", start)].strip()


@pytest.mark.django_db
def test_the_key_is_shown_once_on_the_page_that_issues_it(coordinator_client, organisation):
    page = issue(coordinator_client, organisation)
    secret = secret_on(page)

    assert secret.startswith("cym_") and len(secret) > 40
    assert "no-store" in page["Cache-Control"]
    detail = coordinator_client.get(reverse("core:organisation-detail", args=[organisation.pk]))
    assert f"{secret[:12]}…" in detail.content.decode()  # the prefix names it in the list
    for url in [
        reverse("core:organisation-detail", args=[organisation.pk]),
        reverse("core:api-key-issue", args=[organisation.pk]),
        reverse("core:organisation-list"),
        reverse("core:home"),
    ]:
        again = coordinator_client.get(url)
        assert again.status_code == 200
        assert secret not in again.content.decode()


@pytest.mark.django_db
def test_the_database_holds_only_the_keys_hash(coordinator_client, organisation):
    secret = secret_on(issue(coordinator_client, organisation))
    key = ApiKey.objects.get()

    assert key.secret_hash == secret_hash(secret) != secret
    stored = [str(value) for value in ApiKey.objects.values_list().get()]
    assert not any(secret in value for value in stored)
    assert not any(secret in event.detail for event in AuditEvent.objects.all())
    # The prefix is only the start: it cannot sign a request.
    assert coordinator_client.get(CATEGORIES, **bearer(key.prefix)).status_code == 401


@pytest.mark.django_db
def test_issuing_and_revoking_a_key_are_in_the_audit_log(coordinator_client, organisation):
    issue(coordinator_client, organisation, name="Dashboard")
    key = ApiKey.objects.get()
    coordinator_client.post(reverse("core:api-key-revoke", args=[key.pk]))

    events = list(AuditEvent.objects.filter(subject="API key").order_by("at", "pk"))
    assert [event.action for event in events] == ["create", "change"]
    assert all(event.actor == coordinator_client.user for event in events)
    assert "Swansea Council" in events[0].detail and "Dashboard" in events[0].detail
    assert "revoked" in events[1].detail


@pytest.mark.django_db
def test_a_coordinator_confirms_then_revokes_a_key(coordinator_client, organisation):
    key, secret = api_key_make(organisation=organisation)
    url = reverse("core:api-key-revoke", args=[key.pk])

    confirm = coordinator_client.get(url)
    assert "will stop working at once" in confirm.content.decode()
    assert ApiKey.objects.get().revoked_at is None

    response = coordinator_client.post(url, follow=True)
    assert ApiKey.objects.get().revoked_at is not None
    assert f"The key {key.prefix}… is revoked." in response.content.decode()
    assert "Revoked" in response.content.decode()


@pytest.mark.django_db
def test_a_revoked_key_is_refused_with_401_and_a_message(client):
    key, secret = api_key_make()
    assert client.get(CATEGORIES, **bearer(secret)).status_code == 200

    api_key_revoke(key=key, by=key.created_by)
    response = client.get(CATEGORIES, **bearer(secret))

    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API key was revoked. Ask your coordinator for a new one."
    }


@pytest.mark.django_db
def test_an_unknown_key_and_no_key_get_401(client):
    api_key_make()

    unknown = client.get(CATEGORIES, **bearer("cym_" + "x" * 43))
    missing = client.get(CATEGORIES)

    assert unknown.status_code == 401
    assert unknown.json() == {"detail": "This API key is not valid."}
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.django_db
def test_a_key_works_in_either_header(client):
    _key, secret = api_key_make()

    assert client.get(CATEGORIES, **bearer(secret)).status_code == 200
    assert client.get(CATEGORIES, HTTP_X_API_KEY=secret).status_code == 200


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(client):
    key, secret = api_key_make()
    assert key.last_used_at is None

    client.get(CATEGORIES, **bearer(secret))
    first = ApiKey.objects.get().last_used_at
    with CaptureQueriesContext(connection) as queries:
        client.get(CATEGORIES, **bearer(secret))

    assert first is not None
    assert ApiKey.objects.get().last_used_at == first
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)

    ApiKey.objects.update(last_used_at=timezone.now() - timedelta(seconds=61))
    client.get(CATEGORIES, **bearer(secret))
    assert ApiKey.objects.get().last_used_at > first


@pytest.mark.django_db
def test_the_nth_request_passes_and_the_next_gets_429_with_retry_after(client, settings):
    settings.API_KEY_RATE = "3/minute"
    _key, secret = api_key_make()
    _other, other_secret = api_key_make()

    statuses = [client.get(CATEGORIES, **bearer(secret)).status_code for _ in range(3)]
    refused = client.get(CATEGORIES, **bearer(secret))

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # Per key: another organisation's key is not held back.
    assert client.get(CATEGORIES, **bearer(other_secret)).status_code == 200


@pytest.mark.django_db
def test_the_limit_is_a_sliding_window_with_drfs_retry_after(client, settings, monkeypatch):
    settings.API_KEY_RATE = "2/minute"
    now = [1_000_000.0]
    monkeypatch.setattr(ApiKeyRateThrottle, "timer", lambda self: now[0])
    _key, secret = api_key_make()

    def status_at(seconds: float):
        now[0] = 1_000_000.0 + seconds
        response = client.get(CATEGORIES, **bearer(secret))
        return response.status_code, response.headers.get("Retry-After")

    assert status_at(0) == (200, None)
    assert status_at(20) == (200, None)
    # Full until the first request leaves the window, 60 s after it: DRF's Retry-After.
    assert status_at(30) == (429, "30")
    assert status_at(59.5) == (429, "1")
    assert status_at(60.5) == (200, None)  # the first left; the one at 20 s is still in
    assert status_at(70) == (429, "10")
    assert status_at(140) == (200, None)


@pytest.mark.django_db
def test_without_redis_the_limit_is_counted_in_the_cache_as_drf_counts_it(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.API_KEY_RATE = "2/minute"
    _key, secret = api_key_make()

    statuses = [client.get(CATEGORIES, **bearer(secret)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_a_public_key_cannot_read_aggregates_but_an_aggregates_key_can(client):
    from assets.tests.factories import AssetFactory

    asset = AssetFactory()
    url = f"/api/v1/assets/{asset.pk}/valued-by/"
    _public, public_secret = api_key_make("public")
    _aggregates, aggregates_secret = api_key_make("aggregates")

    refused = client.get(url, **bearer(public_secret))
    assert refused.status_code == 403
    assert refused.json() == {"detail": "This needs an API key with the aggregates scope."}
    assert client.get(url, **bearer(aggregates_secret)).status_code == 200


@pytest.mark.django_db
def test_a_partner_sees_their_organisations_keys_and_no_other(client_as, organisation):
    ours, _ = api_key_make(organisation=organisation, name="Our dashboard")
    api_key_make(name="Someone else's key")
    ApiKey.objects.filter(pk=ours.pk).update(last_used_at=timezone.now())
    partner = client_as(Role.PARTNER, organisation=organisation)

    page = partner.get(reverse("core:partner-keys")).content.decode()

    assert "Swansea Council" in page and "Our dashboard" in page and ours.prefix in page
    assert "Someone else" not in page
    assert "Revoke" not in page
    assert reverse("api:docs") in page


@pytest.mark.django_db
def test_a_partner_outside_any_organisation_is_told_to_ask(partner_client):
    page = partner_client.get(reverse("core:partner-keys")).content.decode()
    assert "not linked to an organisation yet" in page


@pytest.mark.django_db
def test_a_coordinator_issues_a_partner_sign_in_in_an_organisation(
    coordinator_client, organisation
):
    response = coordinator_client.post(
        reverse("core:account-create"),
        {"username": "council-data", "role": "partner", "organisation": organisation.pk},
    )
    refused = coordinator_client.post(
        reverse("core:account-create"),
        {"username": "tenant-1", "role": "participant", "organisation": organisation.pk},
    )

    assert response.status_code == 200
    assert list(organisation.members.values_list("username", flat=True)) == ["council-data"]
    assert "Only partners belong to an organisation" in refused.content.decode()


@pytest.mark.django_db
def test_a_coordinator_adds_an_organisation_once(coordinator_client):
    url = reverse("core:organisation-create")
    coordinator_client.post(url, {"name": "Hafod Housing"})
    again = coordinator_client.post(url, {"name": "hafod housing"})

    assert list(Organisation.objects.values_list("name", flat=True)) == ["Hafod Housing"]
    assert "There is already an organisation called hafod housing." in again.content.decode()


@pytest.mark.django_db
def test_the_organisation_list_has_a_constant_number_of_queries(
    coordinator_client, django_assert_max_num_queries
):
    for number in range(20):
        api_key_make(organisation=Organisation.objects.create(name=f"Org {number}"))
    with django_assert_max_num_queries(8):
        assert coordinator_client.get(reverse("core:organisation-list")).status_code == 200


@pytest.mark.django_db
def test_key_lists_have_a_constant_number_of_queries(
    client_as, organisation, django_assert_max_num_queries
):
    coordinator = client_as(Role.COORDINATOR)
    partner = client_as(Role.PARTNER, organisation=organisation)
    for number in range(20):
        api_key_make(organisation=organisation, name=f"Key {number}")
    with django_assert_max_num_queries(10):
        page = coordinator.get(reverse("core:organisation-detail", args=[organisation.pk]))
        assert page.content.decode().count("Revoke<span") == 20
    with django_assert_max_num_queries(10):
        assert partner.get(reverse("core:partner-keys")).content.decode().count("Key 1") == 11


@pytest.mark.django_db
def test_the_home_page_leads_coordinators_and_partners_to_the_keys(client_as):
    coordinator = client_as(Role.COORDINATOR).get(reverse("core:home")).content.decode()
    partner = client_as(Role.PARTNER).get(reverse("core:home")).content.decode()

    assert f'href="{reverse("core:organisation-list")}"' in coordinator
    assert f'href="{reverse("core:partner-keys")}"' in partner


@pytest.mark.django_db
def test_a_double_tap_on_issue_the_key_issues_one_key(coordinator_client, organisation):
    url = reverse("core:api-key-issue", args=[organisation.pk])
    form = coordinator_client.get(url).context["form"]
    data = {"name": "Housing map", "scope": "public", "form_token": form["form_token"].value()}

    first = coordinator_client.post(url, data)
    second = coordinator_client.post(url, data, follow=True)

    assert ApiKey.objects.count() == 1
    assert secret_on(first).startswith("cym_")
    page = second.content.decode()
    assert second.redirect_chain[-1][0] == reverse(
        "core:organisation-detail", args=[organisation.pk]
    )
    assert "This form was already sent: it issued one key, listed below." in page
    assert f"{ApiKey.objects.get().prefix}…" in page and 'id="issued-key"' not in page
    # A fresh page is a fresh token: a second key is a deliberate second send.
    issue_again = coordinator_client.get(url).context["form"]["form_token"].value()
    coordinator_client.post(url, {**data, "form_token": issue_again})
    assert ApiKey.objects.count() == 2
