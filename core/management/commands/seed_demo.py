from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import registry


class Command(BaseCommand):
    help = "Create or refresh the demo site and a sign-in for each role (demo sites only)."

    def add_arguments(self, parser):
        # Each app registers its demo seeders (core.registry.DemoSeeder) in AppConfig.ready;
        # one that runs only on request adds its option here.
        for seeder in registry.entries(registry.DemoSeeder):
            if seeder.option:
                parser.add_argument(f"--{seeder.option}", action="store_true", help=seeder.help)

    def handle(self, *args, **options):
        if not settings.DEMO_SITE_ALLOWED:
            raise CommandError(
                "The demo site publishes its passphrases, so it is off here. "
                "Set DEMO_SITE_ALLOWED=true only on a demo or development machine."
            )
        chosen = [
            seeder.option
            for seeder in registry.entries(registry.DemoSeeder)
            if seeder.option and options.get(seeder.option.replace("-", "_"))
        ]
        # Every seed is idempotent (running the command twice leaves the same data) and they
        # run in dependency order, each app's after the apps it builds on.
        with transaction.atomic():
            lines = [line for seeder in registry.demo_seeders(chosen) for line in seeder.seed()]
        self.stdout.write("\n".join(lines))
