"""Everything the site holds, in one ZIP, for moving to another installation
(docs/operations.md, "Moving to another installation")."""

import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from encrypted_fields.fields import EncryptedFieldMixin


def exported_models(*, personal_details: bool) -> list:
    """The roles (auth groups) and every model of the project's own apps, in an order that
    `loaddata` can follow. Encrypted fields serialise as ciphertext (participants.encryption);
    without personal details, models with encrypted fields are left out altogether."""
    own = [
        model
        for app in apps.get_app_configs()
        if Path(app.path).parent == Path(settings.BASE_DIR)
        for model in app.get_models()
    ]
    models = serializers.sort_dependencies([(None, [apps.get_model("auth", "Group"), *own])])
    if personal_details:
        return models
    return [
        model
        for model in models
        if not any(isinstance(field, EncryptedFieldMixin) for field in model._meta.fields)
    ]


class Command(BaseCommand):
    help = (
        "Write everything this site holds to a ZIP (one JSON file per model, loadable with "
        "loaddata, and the uploaded files). Personal details stay encrypted, or are left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the ZIP file to write")
        parser.add_argument(
            "--without-personal-details",
            action="store_true",
            help="leave participants' (encrypted) personal details out of the export",
        )
        parser.add_argument("--no-media", action="store_true", help="leave uploaded files out")

    def handle(self, path, without_personal_details, no_media, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists already: choose a new file name.")
        counts = {}
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(), zipfile.ZipFile(target, "x", zipfile.ZIP_DEFLATED) as archive:
            if snapshot:
                # One snapshot for every table, so rows written meanwhile cannot half-appear.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            models = exported_models(personal_details=not without_personal_details)
            for number, model in enumerate(models, start=1):
                rows = model._default_manager.order_by("pk")
                counts[model._meta.label] = rows.count()
                if not counts[model._meta.label]:
                    continue  # loaddata warns about an empty file
                archive.writestr(
                    f"data/{number:02d}-{model._meta.label_lower}.json",
                    serializers.serialize(
                        "json",
                        rows,
                        indent=1,
                        use_natural_foreign_keys=True,
                        use_natural_primary_keys=True,
                    ),
                )
            media = [] if no_media else self._media(archive)
            archive.writestr(
                "manifest.json", self._manifest(counts, media, without_personal_details)
            )
        self.stdout.write(f"Wrote {sum(counts.values())} rows and {len(media)} files to {target}.")

    def _media(self, archive) -> list[str]:
        root = Path(settings.MEDIA_ROOT)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        for file in files:
            archive.write(file, f"media/{file.relative_to(root)}")
        return [str(file.relative_to(root)) for file in files]

    def _manifest(self, counts, media, without_personal_details) -> str:
        return json.dumps(
            {
                "exported_at": timezone.now().isoformat(),
                "rows": counts,
                "media_files": len(media),
                "personal_details": "left out"
                if without_personal_details
                else "encrypted: load with the same DJANGO_SECRET_KEY and PERSONAL_DATA_SALT_KEYS",
            },
            indent=1,
        )
