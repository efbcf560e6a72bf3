from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitConfig(AppConfig):
    name = "toolkit"
    verbose_name = _("Toolkit")

    def ready(self):
        from core.models import Role
        from core.registry import Card, register
        from toolkit.versions import signals_connect

        signals_connect()

        register(
            Card(
                app="toolkit",
                name="toolkit-coordinator",
                role=Role.COORDINATOR,
                title=_("Toolkit for service providers"),
                text=_("Keep the guidance for service providers up to date, in English and Welsh."),
                url_name="toolkit:section-list",
            )
        )
        register(
            Card(
                app="toolkit",
                name="toolkit-export",
                role=Role.COORDINATOR,
                title=_("Toolkit export"),
                text=_("Build your site's toolkit as PDFs in English and Welsh and a data bundle."),
                url_name="toolkit:export-list",
            )
        )
        register(
            Card(
                app="toolkit",
                name="toolkit-partner",
                role=Role.PARTNER,
                title=_("Toolkit for service providers"),
                text=_(
                    "How to work with tenants and people seeking sanctuary, from what is strong."
                ),
                url_name="toolkit:section-list",
            )
        )
