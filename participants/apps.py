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
        self.register_cards()
        self.register_demo()

    def register_cards(self):
        from core.models import Role
        from core.registry import Card, register

        cards = [
            Card(
                app="participants",
                name="participants",
                role=Role.COORDINATOR,
                title=_("Participants and consent"),
                text=_(
                    "Register people with their consent, keep their contact details safe, and "
                    "record withdrawal."
                ),
                url_name="participants:participant-list",
                order=20,
            ),
            Card(
                app="participants",
                name="me",
                role=Role.PARTICIPANT,
                title=_("Your information"),
                text=_(
                    "See what you have added and answered, and download your own data at any time."
                ),
                url_name="participants:me",
                order=60,
            ),
            Card(
                app="participants",
                name="downloads",
                role=Role.EVALUATOR,
                title=_("Pseudonymised downloads"),
                text=_(
                    "Outcome data by participant code and time point, with its data "
                    "dictionary. Never names or contact details."
                ),
                url_name="participants:evaluation",
                fragment="downloads",
            ),
        ]
        for card in cards:
            register(card)

    def register_demo(self):
        from core.registry import DemoSeeder, register
        from participants import demo, demo_outcomes

        register(DemoSeeder(app="participants", name="participants", seed=demo.seed))
        register(DemoSeeder(app="participants", name="outcomes", seed=demo_outcomes.seed))
