from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from participants.services import personal_data_reencrypt


class Command(BaseCommand):
    help = (
        "Encrypt all personal details again with the first of PERSONAL_DATA_SALT_KEYS (key "
        "rotation, docs/operations.md). All or nothing; audited."
    )

    def handle(self, *args, **options):
        try:
            count = personal_data_reencrypt()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Re-encrypted {count} rows with the first key.")
