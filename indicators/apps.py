from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from core.models import Role
        from core.registry import Card, ChangeHandler, DemoSeeder, register
        from indicators import demo, summaries
        from indicators.versions import signals_connect

        signals_connect()

        register(DemoSeeder(app="indicators", name="illustrative values", seed=demo.seed))
        register(DemoSeeder(app="indicators", name="area summaries", seed=demo.summaries_seed))
        # Whatever changed on the map (assets, barriers, attendance) is worked out again in
        # the areas it touched, a few seconds later (core.changes drains the outbox).
        register(
            ChangeHandler(
                app="indicators", name="area summaries", handle=summaries.area_summaries_changed
            )
        )
        for role in (Role.COORDINATOR, Role.EVALUATOR):
            register(
                Card(
                    app="indicators",
                    name=f"evaluation-report-{role}",
                    role=role,
                    title=_("Evaluation report"),
                    text=_(
                        "Every questionnaire by time point and group, change from baseline to "
                        "follow-up, networks, charts, and the report as XLSX, PDF or CSV."
                    ),
                    url_name="indicators:evaluation-report",
                )
            )
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
