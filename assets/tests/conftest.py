import pytest

from assets.demo import _load
from assets.geo import area_index_reset
from assets.models import AreaLevel
from assets.services.areas import areas_import_geojson


@pytest.fixture
def swansea(db):
    """Swansea's real MSOA and LSOA boundaries (so assets get their areas)."""
    for name, level, code, label, parent in [
        ("lad_W06000011.json", AreaLevel.LOCAL_AUTHORITY, "LAD13CD", "LAD13NM", None),
        ("msoa_W06000011.json", AreaLevel.MSOA, "MSOA11CD", "MSOA11NM", AreaLevel.LOCAL_AUTHORITY),
        ("lsoa_W06000011.json", AreaLevel.LSOA, "LSOA11CD", "LSOA11NM", AreaLevel.MSOA),
    ]:
        areas_import_geojson(
            collection=_load(name),
            level=level,
            code_field=code,
            name_field=label,
            name_cy_field="LAD13NMW" if level == AreaLevel.LOCAL_AUTHORITY else None,
            parent_level=parent,
        )
    area_index_reset()
    yield
    area_index_reset()
