from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self):
        from participants import erasure
        from workshops.erasure import attendance_erase

        erasure.register("attendance", attendance_erase)
