"""Demo accounts: one per role, with published passphrases (demo sites only)."""

from django.contrib.auth.models import Group

from .models import Role, User

DEMO_PASSPHRASE = "{role}-demo-passphrase"


def seed() -> list[str]:
    lines = []
    for role in Role:
        passphrase = DEMO_PASSPHRASE.format(role=role.value)
        user, _ = User.objects.get_or_create(username=role.value)
        user.set_password(passphrase)
        user.is_active = True
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        lines.append(f"  {role.label:<12} username {role.value:<12} passphrase {passphrase}")
    return ["Demo sign-ins (http://127.0.0.1:8000/en/sign-in/):", *lines]
