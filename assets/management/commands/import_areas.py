"""Load area boundaries from a GeoJSON file (optionally gzipped): see README "Geography"."""

import gzip
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assets.models import AreaLevel
from assets.services.areas import PARENT_LEVEL, areas_import_geojson, populations_read

# The 2011 ONS property names, as in assets/data/boundaries (any others can be named).
DEFAULTS = {
    AreaLevel.LOCAL_AUTHORITY: ("LAD13CD", "LAD13NM", "LAD13NMW"),
    AreaLevel.MSOA: ("MSOA11CD", "MSOA11NM", None),
    AreaLevel.LSOA: ("LSOA11CD", "LSOA11NM", None),
}


def read_text(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as file:
        return file.read()


class Command(BaseCommand):
    help = (
        "Create or update areas (local authorities, MSOAs or LSOAs) from GeoJSON files, matched "
        "by code, all or nothing; then re-assign every asset and barrier to its areas."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="GeoJSON (.json, .geojson, .gz)")
        parser.add_argument("--level", required=True, choices=[level.value for level in DEFAULTS])
        parser.add_argument("--code-property", help="default: the 2011 ONS name, e.g. LSOA11CD")
        parser.add_argument("--name-property", help="default: e.g. LSOA11NM")
        parser.add_argument("--name-cy-property", help="the Welsh name (default: LAD13NMW for la)")
        parents = parser.add_mutually_exclusive_group()
        parents.add_argument(
            "--parent-from-containment",
            action="store_true",
            help="the parent (MSOA of an LSOA, local authority of an MSOA) is the loaded area "
            "containing the feature's representative point (the default for lsoa and msoa)",
        )
        parents.add_argument("--parent-property", help="a property holding the parent's code")
        parser.add_argument(
            "--populations", type=Path, help="a CSV with the columns code and population"
        )

    def handle(self, *args, files, level, **options):
        level = AreaLevel(level)
        populations = None
        if options["populations"]:
            populations = self._run(populations_read, read_text(options["populations"]))
        with transaction.atomic():  # every file or none
            total = sum(self._import(path, level, populations, options) for path in files)
        self.stdout.write(f"{total} areas ({level.value}) imported or updated.")

    def _import(self, path: Path, level: AreaLevel, populations, options) -> int:
        code, name, name_cy = DEFAULTS[level]
        try:
            collection = json.loads(read_text(path))
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: cannot be read as GeoJSON ({error}).") from error
        return self._run(
            lambda: areas_import_geojson(
                collection=collection,
                level=level,
                code_field=options["code_property"] or code,
                name_field=options["name_property"] or name,
                name_cy_field=options["name_cy_property"] or name_cy,
                parent_field=options["parent_property"],
                parent_level=None if options["parent_property"] else PARENT_LEVEL.get(level),
                populations=populations,
            ),
            label=str(path),
        )

    @staticmethod
    def _run(service, *args, label: str = ""):
        try:
            return service(*args)
        except ValidationError as error:
            prefix = f"{label}: nothing was imported.\n" if label else ""
            raise CommandError(prefix + "\n".join(error.messages)) from error
