from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Asset map")

    def ready(self):
        from assets.erasure import endorsements_erase, own_skills_erase
        from participants import erasure

        erasure.register("own skills and additions", own_skills_erase)
        erasure.register("endorsements", endorsements_erase)
