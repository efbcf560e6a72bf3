import pytest
from django.core.management import CommandError, call_command

from core.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_where_the_demo_is_not_allowed(settings):
    settings.DEMO_SITE_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_SITE_ALLOWED"):
        call_command("seed_demo")
    assert not User.objects.filter(username="coordinator").exists()
