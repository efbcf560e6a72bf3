from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self):
        from core.registry import DemoSeeder, ErasureStep, MapLayer, MyDataSection, register
        from workshops import demo, erasure, my_data
        from workshops.versions import signals_connect

        signals_connect()

        register(ErasureStep(app="workshops", name="attendance", erase=erasure.attendance_erase))
        register(
            ErasureStep(
                app="workshops", name="barriers-named", erase=erasure.barrier_proposals_erase
            )
        )
        register(
            MyDataSection(
                app="workshops",
                name="workshops",
                data=my_data.workshops_data,
                template="workshops/my_page_section.html",
                context=my_data.workshops_page,
            )
        )
        register(
            MapLayer(
                app="workshops",
                name="barriers",
                script="js/barrier-layer.js",
                options_url_name="workshops:barrier-layer-options",
                visible=lambda user: bool(getattr(user, "role", None)),
            )
        )
        register(DemoSeeder(app="workshops", name="workshops", seed=demo.seed))
        self.register_cards()

    def register_cards(self):
        from core.models import Role
        from core.registry import Card, register
        from workshops.my_data import barriers_waiting
        from workshops.selectors import overdue_actions_count
        from workshops.versions import TO_DO_VERSION

        for card in [
            Card(
                app="workshops",
                name="workshops",
                role=Role.COORDINATOR,
                title=_("Workshops"),
                text=_(
                    "Log workshops and their registers, the assets and barriers people named, "
                    "and the actions agreed."
                ),
                url_name="workshops:workshop-list",
            ),
            Card(
                app="workshops",
                name="action-tracker",
                role=Role.COORDINATOR,
                title=_("Action tracker"),
                text=_(
                    "Every action agreed at a workshop that is not finished yet. When something "
                    "happens, change its status and say what happened, so others can follow it."
                ),
                url_name="workshops:action-tracker",
                count=overdue_actions_count,
                count_label=_("overdue"),
                count_versions=(TO_DO_VERSION,),
            ),
            Card(
                app="workshops",
                name="action-tracker-facilitator",
                role=Role.FACILITATOR,
                title=_("Action tracker"),
                text=_(
                    "The actions agreed at your workshops that are not finished yet: say what "
                    "happened, so others can follow them."
                ),
                url_name="workshops:action-tracker",
                count=overdue_actions_count,
                count_label=_("overdue"),
                count_versions=(TO_DO_VERSION,),
                order=45,
            ),
            Card(
                app="workshops",
                name="common-ground",
                role=Role.COORDINATOR,
                title=_("Common ground"),
                text=_(
                    "What social housing tenants and people seeking sanctuary share: the "
                    "barriers both groups face, the places and groups both value, and what is "
                    "being done about it together."
                ),
                url_name="workshops:common-ground",
            ),
            Card(
                app="workshops",
                name="name-barrier",
                role=Role.PARTICIPANT,
                title=_("Name a barrier"),
                text=_(
                    "Tell a facilitator of your project about something that makes life "
                    "here harder."
                ),
                url_name="workshops:barrier-name",
                order=45,
            ),
            Card(
                app="workshops",
                name="log-workshops",
                role=Role.FACILITATOR,
                title=_("Log your workshops"),
                text=_(
                    "Record who came (by display name), the assets and barriers people named, "
                    "and the actions agreed, for the workshops you run."
                ),
                url_name="workshops:workshop-list",
                order=40,
            ),
        ]:
            register(card)
        for role, order in ((Role.COORDINATOR, 50), (Role.FACILITATOR, 45)):
            register(
                Card(
                    app="workshops",
                    name=f"barriers-named-{role}",
                    role=role,
                    title=_("Barriers participants named"),
                    text=_(
                        "Accept them as barriers of your project, or decline them. None is "
                        "published until you accept it."
                    ),
                    url_name="workshops:barrier-proposals",
                    count=barriers_waiting,
                    count_label=_("waiting"),
                    count_versions=(TO_DO_VERSION,),
                    order=order,
                )
            )
