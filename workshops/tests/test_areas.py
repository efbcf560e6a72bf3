"""A barrier is a located row like an asset (assets.models.Located): a boundary import
re-assigns it too, without assets naming workshops."""

import pytest
from django.core.management import call_command

from assets.demo import BOUNDARIES
from assets.geo import area_index, areas_for_points
from assets.models import Area
from assets.tests.factories import AssetFactory
from assets.tests.test_areas import KNOWN, import_swansea, swansea_files
from core.tests.factories import default_site
from workshops.models import Barrier, BarrierKind


@pytest.mark.django_db
def test_new_boundaries_reach_the_index_and_every_asset_and_barrier_without_a_reset(tmp_path):
    paths = swansea_files(tmp_path, leave_out={"W01000736"})
    import_swansea(paths)
    (lat, lng), code, _ = KNOWN[0]
    asset = AssetFactory(latitude=lat, longitude=lng)
    barrier = Barrier.objects.create(
        site=default_site(),
        title="No bus",
        kind=BarrierKind.TRANSPORT,
        affects="both",
        latitude=lat,
        longitude=lng,
    )
    assert areas_for_points([(lat, lng)]) == [(None, None, None)]
    built = area_index()
    call_command("import_areas", str(BOUNDARIES / "lsoa_W06000011.json"), "--level", "lsoa")
    [(lsoa, _, _)] = areas_for_points([(lat, lng)])
    assert Area.objects.get(pk=lsoa).code == code
    assert area_index() is not built
    asset.refresh_from_db()
    barrier.refresh_from_db()
    assert asset.areas.lsoa.code == barrier.areas.lsoa.code == code
    assert asset.areas.local_authority.code == barrier.areas.local_authority.code == "W06000011"
