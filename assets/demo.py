"""The demo test site: Townhill and Mayhill, Swansea (one of Wales's four dispersal areas),
with the real 2011 boundaries of Swansea shipped in assets/data/boundaries."""

import json
from pathlib import Path

from .models import AreaLevel
from .services.areas import areas_import_geojson, site_define

BOUNDARIES = Path(__file__).resolve().parent / "data" / "boundaries"
SITE_CODE = "SITE-SWA-TM"


def _load(name: str) -> dict:
    return json.loads((BOUNDARIES / name).read_text())


def seed() -> list[str]:
    areas_import_geojson(
        collection=_load("lad_W06000011.json"),
        level=AreaLevel.LOCAL_AUTHORITY,
        code_field="LAD13CD",
        name_field="LAD13NM",
        name_cy_field="LAD13NMW",
    )
    msoas = areas_import_geojson(
        collection=_load("msoa_W06000011.json"),
        level=AreaLevel.MSOA,
        code_field="MSOA11CD",
        name_field="MSOA11NM",
        parent_level=AreaLevel.LOCAL_AUTHORITY,
    )
    lsoas = areas_import_geojson(
        collection=_load("lsoa_W06000011.json"),
        level=AreaLevel.LSOA,
        code_field="LSOA11CD",
        name_field="LSOA11NM",
        parent_level=AreaLevel.MSOA,
    )
    site = site_define(
        code=SITE_CODE,
        name_en="Townhill and Mayhill, Swansea",
        name_cy="Townhill a Mayhill, Abertawe",
        member_codes=["W02000186", "W02000192"],  # Swansea 019 and Swansea 025
    )
    return [f"Demo site: {site.name_en} (Swansea: {msoas} MSOAs, {lsoas} LSOAs)"]
