"""The first version of the participant information sheet, so consent can be recorded from
day one. Later versions are added by coordinators."""

import datetime

from django.db import migrations

SUMMARY_EN = (
    "You are invited to take part in a project where neighbours map what is good in the area, "
    "name shared barriers and act on them together in workshops. Taking part is your choice; "
    "you can stop at any time without giving a reason and it will not affect any service you "
    "get. We ask some questions about wellbeing and who you know, at the start, midway and at "
    "the end. Your name and contact details are kept separately, encrypted, and seen only by "
    "the project coordinators. Everything else is stored under a code, not your name."
)
SUMMARY_CY = (
    "Rydych chi'n cael gwahoddiad i gymryd rhan mewn prosiect lle mae cymdogion yn mapio'r hyn "
    "sy'n dda yn yr ardal, yn enwi rhwystrau cyffredin ac yn gweithredu arnyn nhw gyda'i gilydd "
    "mewn gweithdai. Eich dewis chi yw cymryd rhan; gallwch chi roi'r gorau iddi unrhyw bryd heb "
    "roi rheswm, ac ni fydd hynny'n effeithio ar unrhyw wasanaeth a gewch. Rydyn ni'n gofyn rhai "
    "cwestiynau am lesiant a phwy rydych chi'n eu hadnabod, ar y dechrau, hanner ffordd ac ar y "
    "diwedd. Caiff eich enw a'ch manylion cyswllt eu cadw ar wahân, wedi'u hamgryptio, a dim ond "
    "cydlynwyr y prosiect sy'n eu gweld. Caiff popeth arall ei gadw o dan god, nid eich enw."
)


def create(apps, schema_editor):
    apps.get_model("participants", "InformationSheet").objects.get_or_create(
        version="1.0",
        defaults={
            "published_on": datetime.date(2026, 1, 5),
            "summary_en": SUMMARY_EN,
            "summary_cy": SUMMARY_CY,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_audit_append_only")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
