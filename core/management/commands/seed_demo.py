from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app that has demo data provides `<app>.demo.seed()`, run in dependency order. Every
# seed is idempotent: running the command twice leaves the same data.
SEEDERS = [
    "core.demo",
    "participants.demo",
    "assets.demo",
    "workshops.demo",
    "indicators.demo",
    "participants.demo_outcomes",
]


class Command(BaseCommand):
    help = "Create or refresh the demo site and a sign-in for each role (demo sites only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wales",
            action="store_true",
            help="also load the boundaries of all of Wales (about 15 s; README: Geography)",
        )

    def handle(self, *args, wales=False, **options):
        if not settings.DEMO_SITE_ALLOWED:
            raise CommandError(
                "The demo site publishes its passphrases, so it is off here. "
                "Set DEMO_SITE_ALLOWED=true only on a demo or development machine."
            )
        with transaction.atomic():
            lines = [line for seeder in SEEDERS for line in import_module(seeder).seed()]
            if wales:
                lines.append(import_module("assets.demo").wales_load())
        self.stdout.write("\n".join(lines))
