from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.models import AssetCategory, AssetStatus
from assets.services.assets import asset_merge
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

NOT_A_HOME = {"home_check": "not_a_home"}


def test_queue_lists_submissions_oldest_first_in_constant_queries(
    coordinator_client, django_assert_max_num_queries
):
    for n in range(12):
        AssetFactory(name=f"Sent {n:02}", status=AssetStatus.SUBMITTED)
    AssetFactory(name="Already published")
    with django_assert_max_num_queries(8):
        page = coordinator_client.get(reverse("assets:moderation")).content.decode()
    assert "12 waiting" in page and "Already published" not in page
    assert page.index("Sent 00") < page.index("Sent 11")


def test_coordinator_publishes_and_it_shows_on_the_map(coordinator_client, client):
    asset = AssetFactory(name="Brynmill Park", status=AssetStatus.SUBMITTED)
    response = coordinator_client.post(
        reverse("assets:asset-publish", args=[asset.pk]), NOT_A_HOME, follow=True
    )
    assert "Published “Brynmill Park”" in response.content.decode()
    assert "Brynmill Park" in client.get("/en/map/").content.decode()


def test_reject_without_reason_explains_and_changes_nothing(coordinator_client):
    asset = AssetFactory(status=AssetStatus.SUBMITTED)
    page = coordinator_client.post(reverse("assets:asset-reject", args=[asset.pk]), {"reason": ""})
    assert "Say why, so the person who sent it understands" in page.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SUBMITTED


def test_rejection_reason_reaches_the_sender(coordinator_client, participant_client):
    asset = AssetFactory(status=AssetStatus.SUBMITTED, recorded_by=participant_client.user)
    coordinator_client.post(
        reverse("assets:asset-reject", args=[asset.pk]),
        {"reason": "This looks like someone's home, so we can't show it on the map."},
    )
    page = participant_client.get(reverse("assets:asset-mine")).content.decode()
    assert "Not published" in page
    assert "This looks like someone&#x27;s home" in page


def test_review_suggests_duplicates_and_merges(coordinator_client):
    asset = AssetFactory(name="Townhill Library", status=AssetStatus.SUBMITTED)
    existing = AssetFactory(name="Townhill library")
    page = coordinator_client.get(
        reverse("assets:moderation-review", args=[asset.pk])
    ).content.decode()
    assert "Possible duplicates" in page and f'value="{existing.pk}"' in page
    coordinator_client.post(reverse("assets:asset-merge", args=[asset.pk]), {"into": existing.pk})
    asset.refresh_from_db()
    assert asset.status == AssetStatus.ARCHIVED and asset.merged_into == existing


@pytest.mark.parametrize("into", ["", "abc", "999999", "1e3"])
def test_merge_into_nonsense_is_not_found(coordinator_client, into):
    asset = AssetFactory(status=AssetStatus.SUBMITTED)
    assert (
        coordinator_client.post(
            reverse("assets:asset-merge", args=[asset.pk]), {"into": into}
        ).status_code
        == 404
    )


def test_recheck_lists_assets_unchecked_for_a_year_and_marks_them(coordinator_client):
    old = AssetFactory(name="Old one", last_verified_on=timezone.localdate() - timedelta(days=400))
    AssetFactory(name="Fresh one", last_verified_on=timezone.localdate())
    page = coordinator_client.get(reverse("assets:moderation-recheck")).content.decode()
    assert "Old one" in page and "Fresh one" not in page
    coordinator_client.post(reverse("assets:asset-verify", args=[old.pk]))
    old.refresh_from_db()
    assert old.last_verified_on == timezone.localdate()


def test_coordinator_edits_the_taxonomy_in_both_languages(coordinator_client, client):
    category = AssetCategory.objects.get(slug="language-cafe")
    coordinator_client.post(
        reverse("assets:category-edit", args=[category.pk]),
        {
            "name_en": "Conversation club",
            "name_cy": "Clwb sgwrsio",
            "domain": "community",
            "slug": "language-cafe",
            "order": 5,
        },
    )
    assert "Clwb sgwrsio" in client.get("/cy/map/").content.decode()


def test_moving_a_category_to_another_domain_moves_its_assets(coordinator_client):
    category = AssetCategory.objects.get(slug="language-cafe")
    asset = AssetFactory(category=category, domain="community")
    data = {
        "name_en": "Language café",
        "name_cy": "Caffi iaith",
        "slug": "language-cafe",
        "order": 5,
    }
    coordinator_client.post(
        reverse("assets:category-edit", args=[category.pk]), {**data, "domain": "structural"}
    )
    asset.refresh_from_db()
    assert asset.domain == "structural"
    page = coordinator_client.post(
        reverse("assets:category-edit", args=[category.pk]), {**data, "domain": "individual"}
    ).content.decode()
    assert "move those assets first" in page
    category.refresh_from_db()
    assert category.domain == "structural"


def test_publishing_an_asset_merged_meanwhile_is_refused_with_a_message(coordinator_client):
    keep = AssetFactory(name="Gors Park")
    asset = AssetFactory(name="Gors park", status=AssetStatus.SUBMITTED)
    asset_merge(duplicate=asset, keep=keep)  # another coordinator, a moment earlier
    response = coordinator_client.post(
        reverse("assets:asset-publish", args=[asset.pk]), NOT_A_HOME, follow=True
    )
    assert "“Gors park” was already merged into “Gors Park”." in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.ARCHIVED


@pytest.mark.parametrize("action", ["publish", "reject", "merge"])
def test_acting_on_an_archived_asset_is_refused_with_a_message_and_changes_nothing(
    coordinator_client, action
):
    other = AssetFactory(name="Townhill Library")
    asset = AssetFactory(name="Old library", status=AssetStatus.ARCHIVED)
    response = coordinator_client.post(
        reverse(f"assets:asset-{action}", args=[asset.pk]),
        {"reason": "Closed", "into": other.pk},
        follow=True,
    )
    assert "This asset is now “Archived”: someone else may have just dealt with it." in (
        response.content.decode()
    )
    asset.refresh_from_db()
    assert asset.status == AssetStatus.ARCHIVED and asset.merged_into is None
