from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from core.models import Role
        from core.registry import Card, DemoSeeder, register
        from indicators import demo

        register(DemoSeeder(app="indicators", name="illustrative values", seed=demo.seed))
        for role in (Role.COORDINATOR, Role.EVALUATOR, Role.PARTNER):
            register(
                Card(
                    app="indicators",
                    name=f"area-profiles-{role}",
                    role=role,
                    title=_("Area profiles"),
                    text=_(
                        "Health-asset indicators in three domains for each area, against Wales, "
                        "with a spider chart and a map."
                    ),
                    url_name="indicators:area-list",
                )
            )
