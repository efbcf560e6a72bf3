from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and site")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import demo, registry
        from .models import Role
        from .sessions import session_activity_mark_on_sign_in

        user_logged_in.connect(session_activity_mark_on_sign_in, dispatch_uid="session-activity")

        registry.register(
            registry.Card(
                app="core",
                name="sign-ins",
                role=Role.COORDINATOR,
                title=_("Issue sign-ins"),
                text=_(
                    "Give participants, facilitators, evaluators and partners a username and "
                    "passphrase, or a new passphrase if they forget theirs."
                ),
                url_name="core:account-list",
                order=10,
            )
        )
        registry.register(
            registry.Card(
                app="core",
                name="api-keys",
                role=Role.COORDINATOR,
                title=_("Partner organisations and API keys"),
                text=_(
                    "Issue partner organisations keys to the API (published data and "
                    "disclosure-controlled counts, never personal data), and revoke them."
                ),
                url_name="core:organisation-list",
                order=15,
            )
        )
        registry.register(
            registry.Card(
                app="core",
                name="partner-api-keys",
                role=Role.PARTNER,
                title=_("Your organisation's API keys"),
                text=_("When each key was last used, and the guide to the API."),
                url_name="core:partner-keys",
                order=10,
            )
        )
        registry.register(
            registry.Card(
                app="core",
                name="passphrase",
                role=Role.PARTICIPANT,
                title=_("Change your passphrase"),
                text=_("Choose a new one that you will remember."),
                url_name="core:password-change",
                order=90,
            )
        )
        registry.register(registry.DemoSeeder(app="core", name="sign-ins", seed=demo.seed))
