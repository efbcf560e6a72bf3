from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from core import audit
        from participants import encryption, erasure, services

        audit.recorder = services.account_change_audit
        audit.event_recorder = services.audit_record

        post_migrate.connect(encryption.canary_write, sender=self)
        # A wrong key fails `check --deploy` and is warned about when migrate starts.
        checks.register(encryption.keys_check_deploy, checks.Tags.security, deploy=True)
        checks.register(encryption.keys_check_migrate, checks.Tags.database)

        erasure.register_own_steps()
