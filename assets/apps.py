from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Asset map")

    def ready(self):
        from assets import demo, erasure, my_data
        from assets.versions import signals_connect
        from core.registry import DemoSeeder, ErasureStep, MyDataSection, register

        signals_connect()
        register(
            ErasureStep(
                app="assets", name="own skills and additions", erase=erasure.own_skills_erase
            )
        )
        register(ErasureStep(app="assets", name="endorsements", erase=erasure.endorsements_erase))
        register(
            MyDataSection(
                app="assets",
                name="assets",
                data=my_data.assets_data,
                template="assets/my_page_section.html",
                context=my_data.assets_page,
            )
        )
        register(DemoSeeder(app="assets", name="site and assets", seed=demo.seed))
        register(DemoSeeder(app="assets", name="tie places", seed=demo.tie_places_seed))
        register(
            DemoSeeder(
                app="assets",
                name="wales",
                seed=demo.wales_seed,
                option="wales",
                help="also load the boundaries of all of Wales (about 15 s; README: Geography)",
            )
        )
        self.register_cards()

    def register_cards(self):
        from assets.my_data import moderation_waiting, recheck_waiting
        from assets.versions import MODERATION_VERSION
        from core.models import Role
        from core.registry import Card, register

        for card in [
            Card(
                app="assets",
                name="moderation",
                role=Role.COORDINATOR,
                title=_("Check new assets"),
                text=_(
                    "Publish or turn down what people sent, merge duplicates, and re-check "
                    "assets nobody has checked for a year."
                ),
                url_name="assets:moderation",
                count=moderation_waiting,
                count_label=_("waiting"),
                count_versions=(MODERATION_VERSION,),
            ),
            Card(
                app="assets",
                name="recheck",
                role=Role.COORDINATOR,
                title=_("Re-check assets"),
                text=_(
                    "Published assets nobody has checked for a year: make sure they are still "
                    "there and still right."
                ),
                url_name="assets:moderation-recheck",
                count=recheck_waiting,
                count_label=_("due to be re-checked"),
                count_versions=(MODERATION_VERSION,),
            ),
            Card(
                app="assets",
                name="imports",
                role=Role.COORDINATOR,
                title=_("Import assets"),
                text=_(
                    "Bring in a directory of places and groups from a spreadsheet (CSV), "
                    "GeoJSON or Open Referral UK, checked for duplicates before anything is added."
                ),
                url_name="assets:asset-import-new",
            ),
            Card(
                app="assets",
                name="exports",
                role=Role.COORDINATOR,
                title=_("Export the directory"),
                text=_("Download the published assets as GeoJSON, CSV, XLSX or Open Referral UK."),
                url_name="assets:asset-exports",
            ),
            Card(
                app="assets",
                name="categories",
                role=Role.COORDINATOR,
                title=_("Asset categories"),
                text=_("The kinds of asset in the three domains, in English and Welsh."),
                url_name="assets:category-list",
            ),
            Card(
                app="assets",
                name="add-for-someone",
                role=Role.FACILITATOR,
                title=_("Add to the map for someone"),
                text=_("Add an asset or a barrier on behalf of a participant who asks you to."),
                url_name="assets:asset-add",
                order=60,
            ),
            Card(
                app="assets",
                name="add",
                role=Role.PARTICIPANT,
                title=_("Add what is good here"),
                text=_(
                    "Put places, groups, services and skills on the shared map, and name "
                    "barriers you face."
                ),
                url_name="assets:asset-add",
                order=40,
            ),
        ]:
            register(card)
