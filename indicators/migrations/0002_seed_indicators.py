"""The programme's indicator set in the three domains of health assets (DESIGN §1).

Computed indicators are worked out from the programme's own data by the area summaries;
imported ones come from published sources through the CSV import. Running this again
refreshes the wording and leaves values alone."""

from django.db import migrations

MAP = "Published assets on the map"
ANSWERS = "Programme questionnaires"

# code, domain, unit, polarity, method, source, name (en, cy), definition (en, cy)
INDICATORS = [
    (
        "mental-wellbeing", "individual", "score", "higher", "computed", f"{ANSWERS} (SWEMWBS)",
        "Mental wellbeing", "Lles meddyliol",
        "Mean Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) metric score "
        "(7 to 35; higher means better wellbeing).",
        "Sgôr metrig cymedrig Graddfa Fer Warwick-Caeredin ar gyfer Lles Meddyliol (SWEMWBS) "
        "(7 i 35; po uchaf, gorau'r lles).",
    ),
    (
        "life-satisfaction", "individual", "score", "higher", "computed", f"{ANSWERS} (ONS4)",
        "Life satisfaction", "Bodlonrwydd â bywyd",
        "Mean answer to 'Overall, how satisfied are you with your life nowadays?' "
        "(ONS4, 0 to 10).",
        "Ateb cymedrig i 'Yn gyffredinol, pa mor fodlon ydych chi â'ch bywyd y dyddiau hyn?' "
        "(ONS4, 0 i 10).",
    ),
    (
        "resilience", "individual", "score", "higher", "computed", f"{ANSWERS} (BRS)",
        "Resilience", "Gwydnwch",
        "Mean Brief Resilience Scale score (1 to 5; higher means bouncing back from hard "
        "times more easily).",
        "Sgôr cymedrig y Raddfa Wydnwch Fer (BRS) (1 i 5; po uchaf, hawsaf yw dod dros "
        "gyfnodau anodd).",
    ),
    (
        "self-efficacy", "individual", "score", "higher", "computed", f"{ANSWERS} (GSE)",
        "Self-efficacy", "Hunan-effeithiolrwydd",
        "Mean General Self-Efficacy Scale total (10 to 40; higher means more confidence in "
        "coping with what comes).",
        "Cyfanswm cymedrig y Raddfa Hunan-effeithiolrwydd Gyffredinol (GSE) (10 i 40; po "
        "uchaf, mwyaf o hyder wrth ymdopi â'r hyn a ddaw).",
    ),
    (
        "sense-of-community", "community", "score", "higher", "computed", ANSWERS,
        "Sense of community", "Ymdeimlad o gymuned",
        "Mean sense-of-community score (higher means a stronger sense of belonging to the "
        "neighbourhood).",
        "Sgôr cymedrig ymdeimlad o gymuned (po uchaf, cryfaf yr ymdeimlad o berthyn i'r "
        "gymdogaeth).",
    ),
    (
        "loneliness", "community", "score", "lower", "computed", f"{ANSWERS} (UCLA-3)",
        "Loneliness", "Unigrwydd",
        "Mean three-item UCLA Loneliness Scale score (3 to 9; lower is better).",
        "Sgôr cymedrig Graddfa Unigrwydd UCLA tair eitem (3 i 9; po isaf, gorau).",
    ),
    (
        "bridging-ties", "community", "percent", "higher", "computed",
        "Programme social network questions",
        "Bridging ties", "Cysylltiadau pontio",
        "Percentage of the ties participants name that reach the other group (tenants to "
        "people seeking sanctuary, and the reverse).",
        "Canran y cysylltiadau a enwir gan gyfranogwyr sy'n cyrraedd y grŵp arall (tenantiaid "
        "at bobl sy'n ceisio noddfa, ac i'r gwrthwyneb).",
    ),
    (
        "volunteering", "community", "percent", "higher", "imported",
        "National Survey for Wales",
        "Volunteering", "Gwirfoddoli",
        "Percentage of adults who volunteer.",
        "Canran yr oedolion sy'n gwirfoddoli.",
    ),
    (
        "community-groups", "community", "per_1000", "higher", "computed", MAP,
        "Community groups", "Grwpiau cymunedol",
        "Community groups, clubs, faith groups, mutual aid and volunteering opportunities "
        "per 1,000 residents.",
        "Grwpiau cymunedol, clybiau, grwpiau ffydd, cyd-gymorth a chyfleoedd gwirfoddoli fesul "
        "1,000 o drigolion.",
    ),
    (
        "assets-per-1000", "structural", "per_1000", "higher", "computed", MAP,
        "Community assets", "Asedau cymunedol",
        "Published assets with a place on the map, of every kind, per 1,000 residents.",
        "Asedau cyhoeddedig sydd â lle ar y map, o bob math, fesul 1,000 o drigolion.",
    ),
    (
        "community-buildings", "structural", "per_1000", "higher", "computed", MAP,
        "Community buildings", "Adeiladau cymunedol",
        "Community centres, libraries and places of worship per 1,000 residents.",
        "Canolfannau cymunedol, llyfrgelloedd ac addoldai fesul 1,000 o drigolion.",
    ),
    (
        "green-space", "structural", "per_1000", "higher", "computed", MAP,
        "Green space", "Mannau gwyrdd",
        "Green spaces, parks, allotments and growing spaces per 1,000 residents.",
        "Mannau gwyrdd, parciau, rhandiroedd a lleoedd tyfu fesul 1,000 o drigolion.",
    ),
    (
        "advice-services", "structural", "per_1000", "higher", "computed", MAP,
        "Advice services", "Gwasanaethau cyngor",
        "Advice services, including welfare and immigration legal advice, per 1,000 "
        "residents.",
        "Gwasanaethau cyngor, gan gynnwys cyngor lles a chyngor cyfreithiol ar fewnfudo, fesul "
        "1,000 o drigolion.",
    ),
    (
        "free-low-cost", "structural", "percent", "higher", "computed", MAP,
        "Free or low-cost places", "Lleoedd am ddim neu'n rhad",
        "Percentage of published assets that are free or low cost.",
        "Canran yr asedau cyhoeddedig sydd am ddim neu'n rhad.",
    ),
    (
        "welcoming-sanctuary", "structural", "percent", "higher", "computed", MAP,
        "Welcoming to people seeking sanctuary", "Croesawgar i bobl sy'n ceisio noddfa",
        "Percentage of published assets that say they welcome people seeking sanctuary.",
        "Canran yr asedau cyhoeddedig sy'n dweud eu bod yn croesawu pobl sy'n ceisio noddfa.",
    ),
]  # fmt: skip


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for order, row in enumerate(INDICATORS):
        code, domain, unit, polarity, method, source, name_en, name_cy, def_en, def_cy = row
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "domain": domain,
                "unit": unit,
                "polarity": polarity,
                "method": method,
                "source": source,
                "name_en": name_en,
                "name_cy": name_cy,
                "definition_en": def_en,
                "definition_cy": def_cy,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
