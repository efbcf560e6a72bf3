"""Demo accounts: one per role, with published passphrases (demo sites only), and the two
demo sites: Townhill and Mayhill in Swansea, where every one of those sign-ins works, and
Butetown and Grangetown in Cardiff, with a coordinator of its own."""

from django.contrib.auth.models import Group

from .models import Role, Site, User

DEMO_PASSPHRASE = "{role}-demo-passphrase"

# (slug, English name, Welsh name): two of Wales's four dispersal areas.
SITES = [
    ("townhill-mayhill", "Townhill and Mayhill, Swansea", "Townhill a Mayhill, Abertawe"),
    ("butetown-grangetown", "Butetown and Grangetown, Cardiff", "Butetown a Grangetown, Caerdydd"),
]
SWANSEA, CARDIFF = (slug for slug, _en, _cy in SITES)
# (username, role, site): the second coordinator works only in Cardiff.
CARDIFF_COORDINATOR = "coordinator-cardiff"


def seed() -> list[str]:
    sites = {
        slug: Site.objects.update_or_create(slug=slug, defaults={"name_en": en, "name_cy": cy})[0]
        for slug, en, cy in SITES
    }
    accounts = [(role.value, role, SWANSEA) for role in Role]
    accounts.append((CARDIFF_COORDINATOR, Role.COORDINATOR, CARDIFF))
    lines = []
    for username, role, slug in accounts:
        passphrase = DEMO_PASSPHRASE.format(role=username)
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(passphrase)
        user.is_active = True
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        user.sites.set([sites[slug]])
        lines.append(
            f"  {role.label:<12} username {username:<20} passphrase {passphrase:<38} "
            f"site {sites[slug].name_en}"
        )
    return ["Demo sign-ins (http://127.0.0.1:8000/en/sign-in/):", *lines]
