"""The seeded asset taxonomy (DESIGN §4), in English and Welsh; coordinators can edit it."""

from django.db import migrations

# (slug, English, Welsh, domain, parent slug)
CATEGORIES = [
    # Structural / organisational
    ("places-to-meet", "Places to meet", "Lleoedd i gyfarfod", "structural", None),
    ("community-centre", "Community centre", "Canolfan gymunedol", "structural", "places-to-meet"),
    ("library", "Library", "Llyfrgell", "structural", "places-to-meet"),
    ("place-of-worship", "Place of worship", "Addoldy", "structural", "places-to-meet"),
    ("school", "School or college", "Ysgol neu goleg", "structural", "places-to-meet"),
    ("cafe", "Café or shop", "Caffi neu siop", "structural", "places-to-meet"),
    ("health", "GP and health services", "Meddyg teulu a gwasanaethau iechyd", "structural", None),
    ("green-space", "Green space and parks", "Mannau gwyrdd a pharciau", "structural", None),
    ("allotment", "Allotment or growing space", "Rhandir neu le tyfu", "structural", "green-space"),
    ("transport", "Transport", "Trafnidiaeth", "structural", None),
    ("advice", "Advice", "Cyngor", "structural", None),
    (
        "welfare-advice",
        "Welfare and money advice",
        "Cyngor ar les ac arian",
        "structural",
        "advice",
    ),
    (
        "immigration-advice",
        "Immigration legal advice",
        "Cyngor cyfreithiol ar fewnfudo",
        "structural",
        "advice",
    ),
    ("food-support", "Food support", "Cymorth bwyd", "structural", None),
    (
        "digital-access",
        "Digital access (Wi-Fi, computers)",
        "Mynediad digidol (Wi-Fi, cyfrifiaduron)",
        "structural",
        None,
    ),
    ("housing-services", "Housing services", "Gwasanaethau tai", "structural", None),
    ("work-and-training", "Work and training", "Gwaith a hyfforddiant", "structural", None),
    # Community
    ("groups", "Groups and clubs", "Grwpiau a chlybiau", "community", None),
    ("community-group", "Community group", "Grŵp cymunedol", "community", "groups"),
    ("sports-club", "Sports club", "Clwb chwaraeon", "community", "groups"),
    ("faith-group", "Faith group", "Grŵp ffydd", "community", "groups"),
    ("youth-group", "Youth group", "Grŵp ieuenctid", "community", "groups"),
    (
        "parents-group",
        "Parent and toddler group",
        "Grŵp rhieni a phlant bach",
        "community",
        "groups",
    ),
    ("mutual-aid", "Mutual aid", "Cyd-gymorth", "community", None),
    ("volunteering", "Volunteering", "Gwirfoddoli", "community", None),
    (
        "language-cafe",
        "Language café or conversation club",
        "Caffi iaith neu glwb sgwrsio",
        "community",
        None,
    ),
    ("arts-and-culture", "Arts and culture", "Celfyddydau a diwylliant", "community", None),
    # Individual / people's
    ("skills", "Skills", "Sgiliau", "individual", None),
    ("languages", "Languages spoken", "Ieithoedd a siaredir", "individual", None),
    ("lived-experience", "Lived experience", "Profiad bywyd", "individual", None),
    ("time-to-give", "Time to give", "Amser i'w roi", "individual", None),
]


def seed(apps, schema_editor):
    AssetCategory = apps.get_model("assets", "AssetCategory")
    by_slug = {}
    for order, (slug, name_en, name_cy, domain, parent) in enumerate(CATEGORIES):
        by_slug[slug], _ = AssetCategory.objects.update_or_create(
            slug=slug,
            defaults={
                "name_en": name_en,
                "name_cy": name_cy,
                "domain": domain,
                "parent": by_slug.get(parent),
                "order": order,
            },
        )


def grant_moderation(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for codename, label in [
        ("moderate_asset", "Can moderate, import and export assets"),
        ("change_assetcategory", "Can change asset category"),
        ("add_assetcategory", "Can add asset category"),
    ]:
        model = "asset" if codename == "moderate_asset" else "assetcategory"
        content_type, _ = ContentType.objects.get_or_create(app_label="assets", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": label}
        )
        Group.objects.get(name="coordinator").permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0002_assetcategory_asset_assetendorsement_and_more"),
        ("core", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant_moderation, migrations.RunPython.noop),
    ]
