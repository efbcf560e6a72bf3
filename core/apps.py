from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Accounts and site")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import session_activity_mark_on_sign_in

        user_logged_in.connect(session_activity_mark_on_sign_in, dispatch_uid="session-activity")
