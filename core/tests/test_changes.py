"""The change outbox (core/changes.py): drained once per burst, never twice, kept on failure."""

from unittest import mock

import pytest
from django.db import transaction

from core import registry
from core.changes import change_record, changes_drain, changes_drain_schedule
from core.models import ChangeEvent
from core.tasks import changes_drain_task


@pytest.fixture
def handled():
    """A change handler for the test: records what each drain handed it."""
    calls = []
    saved = registry.snapshot()
    registry.register(
        registry.ChangeHandler(
            app="indicators",
            name="test",
            handle=lambda *, area_ids, site_ids: calls.append((area_ids, site_ids)),
        )
    )
    yield calls
    registry.restore(saved)


@pytest.mark.django_db
def test_a_change_is_recorded_with_its_areas_and_sites_deduplicated():
    event = change_record(reason="asset moved", area_ids=[3, 1, None, 3], site_ids=[None, 2])
    assert (event.reason, event.area_ids, event.site_ids) == ("asset moved", [1, 3], [2])


@pytest.mark.django_db
def test_a_burst_of_changes_queues_one_drain_that_hands_on_all_their_areas_once(
    handled, django_capture_on_commit_callbacks
):
    with mock.patch.object(changes_drain_task, "apply_async") as queued:
        for area in (1, 2, 3):
            with django_capture_on_commit_callbacks(execute=True):
                change_record(reason="asset published", area_ids=[area, 10])
    assert queued.call_count == 1
    assert queued.call_args.kwargs == {"countdown": 5}
    assert changes_drain() == 3
    assert handled == [({1, 2, 3, 10}, set())]
    assert not ChangeEvent.objects.pending().exists()


@pytest.mark.django_db
def test_draining_again_hands_on_nothing(handled):
    change_record(reason="barrier recorded", area_ids=[7])
    assert changes_drain() == 1
    assert changes_drain() == 0
    assert handled == [({7}, set())]


@pytest.mark.django_db
def test_after_a_drain_a_new_change_queues_a_new_drain(handled):
    with mock.patch.object(changes_drain_task, "apply_async") as queued:
        assert changes_drain_schedule() is True
        assert changes_drain_schedule() is False
        changes_drain()
        assert changes_drain_schedule() is True
    assert queued.call_count == 2


@pytest.mark.django_db
def test_a_failing_handler_leaves_the_rows_for_the_next_drain(handled):
    change_record(reason="attendance recorded", area_ids=[4])

    def broken(**changed):
        raise RuntimeError("indicators unavailable")

    registry.register(registry.ChangeHandler(app="toolkit", name="broken", handle=broken))
    with pytest.raises(RuntimeError):
        changes_drain()
    event = ChangeEvent.objects.get()
    assert (event.processed_at, event.claimed_at, event.claim) == (None, None, None)
    registry.register(registry.ChangeHandler(app="toolkit", name="broken", handle=lambda **c: 0))
    assert changes_drain() == 1
    assert ChangeEvent.objects.get().processed_at is not None


@pytest.mark.django_db
def test_a_change_rolled_back_with_its_service_is_never_drained(handled):
    with pytest.raises(ValueError), transaction.atomic():
        change_record(reason="asset published", area_ids=[1])
        raise ValueError("the service failed")
    assert not ChangeEvent.objects.exists()
    assert changes_drain() == 0 and handled == []


@pytest.mark.django_db
def test_a_claim_left_by_a_worker_that_died_is_taken_over_after_the_lease(handled):
    from datetime import timedelta

    from django.utils import timezone

    change_record(reason="asset published", area_ids=[5])
    ChangeEvent.objects.update(claimed_at=timezone.now() - timedelta(minutes=1))
    assert changes_drain() == 0  # still someone else's
    ChangeEvent.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    assert changes_drain() == 1
    assert handled == [({5}, set())]


@pytest.mark.django_db
def test_beat_drains_the_outbox_as_a_safety_net(settings, handled):
    assert settings.CELERY_BEAT_SCHEDULE["drain-changes"]["task"] == changes_drain_task.name
    change_record(reason="asset published", area_ids=[6])
    assert changes_drain_task.apply().get() == 1
    assert handled == [({6}, set())]


@pytest.mark.django_db
def test_the_drain_is_queued_only_when_the_change_commits(django_capture_on_commit_callbacks):
    with mock.patch.object(changes_drain_task, "apply_async") as queued:
        with django_capture_on_commit_callbacks() as callbacks:
            change_record(reason="asset published", area_ids=[1])
            assert not queued.called
        assert callbacks == [changes_drain_schedule]


@pytest.mark.django_db
def test_a_broker_that_is_down_does_not_turn_a_saved_change_into_an_error(
    django_capture_on_commit_callbacks,
):
    from kombu.exceptions import OperationalError

    down = mock.patch.object(changes_drain_task, "apply_async", side_effect=OperationalError)
    with down, django_capture_on_commit_callbacks(execute=True):
        change_record(reason="asset published", area_ids=[1])
    assert ChangeEvent.objects.pending().count() == 1  # waits for beat's drain
