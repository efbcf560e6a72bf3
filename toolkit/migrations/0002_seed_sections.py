"""The toolkit's default sections (toolkit/content/<name>.<en|cy>.md), and coordinators' right
to edit them. Sections a coordinator has already edited are left as they are."""

from pathlib import Path

from django.db import migrations

from core.roles import grant_permissions

CONTENT = Path(__file__).resolve().parent.parent / "content"

SECTIONS = [
    ("approach", "The asset-based approach", "Y dull sy'n seiliedig ar asedau"),
    (
        "engaging",
        "Engaging people seeking sanctuary and social housing tenants",
        "Ymgysylltu â phobl sy'n ceisio noddfa a thenantiaid tai cymdeithasol",
    ),
    (
        "meaningful",
        "Meaningful things to do, and inclusive places to do them",
        "Pethau ystyrlon i'w gwneud, a lleoedd cynhwysol i'w gwneud",
    ),
    ("goals", "Shared goals", "Nodau cyffredin"),
    (
        "infrastructure",
        "Infrastructure that supports coordination",
        "Seilwaith sy'n cefnogi cydgysylltu",
    ),
    (
        "directory",
        "Using the asset directory and keeping it current",
        "Defnyddio'r cyfeiriadur asedau a'i gadw'n gyfredol",
    ),
]


def seed(apps, schema_editor):
    Section = apps.get_model("toolkit", "ToolkitSection")
    for order, (slug, title_en, title_cy) in enumerate(SECTIONS):
        Section.objects.get_or_create(
            slug=slug,
            defaults={
                "order": order,
                "title_en": title_en,
                "title_cy": title_cy,
                "body_en": (CONTENT / f"{slug}.en.md").read_text(encoding="utf-8").strip(),
                "body_cy": (CONTENT / f"{slug}.cy.md").read_text(encoding="utf-8").strip(),
            },
        )


def grant(apps, schema_editor):
    grant_permissions(
        apps, {("toolkit", "toolkitsection", "change_toolkitsection"): ["coordinator"]}
    )


class Migration(migrations.Migration):
    dependencies = [("toolkit", "0001_initial"), ("core", "0002_roles")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
