"""A large import checked and committed by a real Celery worker on the real Redis broker."""

import time

import pytest

from assets.geo import area_index_reset
from assets.models import Asset, AssetImport, AssetSource, ImportFormat, ImportStatus
from assets.services.imports import import_confirm
from assets.tasks import import_check_task, import_commit_task
from core.models import Role

ROWS = 250  # more than assets.services.imports.IN_REQUEST_ROWS: a file for the worker


def csv_of_places(count: int) -> str:
    """Places on a grid north of Townhill, Swansea, each 0.004° (over 250 m) from the next."""
    rows = ["name,category,latitude,longitude,cost,languages"]
    for n in range(count):
        latitude, longitude = 51.63 + (n // 16) * 0.004, -3.99 + (n % 16) * 0.004
        rows.append(f"Place number {n},community-centre,{latitude:.4f},{longitude:.4f},free,cy;en")
    return "\n".join(rows) + "\n"


@pytest.fixture
def fresh_area_index():
    # The worker thread shares this process's area index: start and end without one that
    # names areas from another test's (rolled back) database.
    area_index_reset()
    yield
    area_index_reset()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_checks_then_imports_a_large_file(
    celery_worker_live, make_user, fresh_area_index
):
    job = AssetImport.objects.create(
        requested_by=make_user(Role.COORDINATOR),
        file_name="places.csv",
        format=ImportFormat.CSV,
        content=csv_of_places(ROWS),
        total_rows=ROWS,
    )
    assert import_check_task.delay(job.pk).get(timeout=60) == ImportStatus.READY
    job.refresh_from_db()
    assert (job.state, job.progress, len(job.preview)) == (ImportStatus.READY, 100, ROWS)

    assert import_confirm(job_id=job.pk, skip_duplicates=True) is True  # queued for the worker
    deadline = time.monotonic() + 120
    while job.is_unfinished or job.state == ImportStatus.READY:
        assert time.monotonic() < deadline, "the import never finished"
        time.sleep(0.2)
        job.refresh_from_db()
    assert (job.state, job.imported_count, job.progress) == (ImportStatus.DONE, ROWS, 100)
    assert Asset.objects.filter(source=AssetSource.IMPORT, languages=["cy", "en"]).count() == ROWS

    # Delivered again (say, after a worker restart): nothing more is imported.
    assert import_commit_task.delay(job.pk, True).get(timeout=60) == ImportStatus.DONE
    assert import_check_task.delay(job.pk).get(timeout=60) == ImportStatus.DONE
    assert Asset.objects.count() == ROWS
