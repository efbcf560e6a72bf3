import pytest
from django.core.management import CommandError, call_command

from assets.models import Area, AreaLevel
from core.models import Role, User

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(User.objects.values_list("pk", "username")),
        sorted(Area.objects.values_list("pk", "code", "level", "parent__code")),
    )


def test_seed_demo_is_idempotent_and_creates_a_sign_in_per_role(capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    out = capsys.readouterr().out
    for role in Role:
        assert User.objects.get(username=role.value).role == role
        assert f"passphrase {role.value}-demo-passphrase" in out
    assert User.objects.get(username="participant").check_password("participant-demo-passphrase")


def test_demo_site_is_in_swansea_with_real_boundaries():
    call_command("seed_demo")
    site = Area.objects.get(level=AreaLevel.SITE)
    assert site.parent.code == "W06000011"
    assert site.parent.name_cy == "Abertawe"
    assert Area.objects.filter(level=AreaLevel.MSOA, parent=site.parent).count() == 31
    assert Area.objects.filter(level=AreaLevel.LSOA, parent__isnull=True).count() == 0
    lsoa = Area.objects.get(code="W01000736")  # Swansea 028A
    assert lsoa.parent.name_en == "Swansea 028"
    assert site.boundary["type"] in ("Polygon", "MultiPolygon")


def test_seed_demo_refuses_where_the_demo_is_not_allowed(settings):
    settings.DEMO_SITE_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_SITE_ALLOWED"):
        call_command("seed_demo")
    assert not User.objects.filter(username="coordinator").exists()
