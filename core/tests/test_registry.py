"""core.registry: entries in dependency order, replaced by name, refused from unknown apps."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import registry


@pytest.fixture(autouse=True)
def _restored():
    saved = registry.snapshot()
    yield
    registry.restore(saved)


def seeder(app: str, name: str, option: str = "") -> registry.DemoSeeder:
    return registry.DemoSeeder(app=app, name=name, seed=lambda: [f"{app} {name}"], option=option)


def test_entries_come_back_in_dependency_order_then_in_registration_order():
    registry.restore({})
    for entry in [
        seeder("toolkit", "t"),
        seeder("participants", "p2"),
        seeder("core", "c"),
        seeder("participants", "p1"),
    ]:
        registry.register(entry)
    assert [s.name for s in registry.demo_seeders()] == ["c", "p2", "p1", "t"]


def test_registering_the_same_name_again_replaces_the_entry():
    registry.restore({})
    registry.register(seeder("assets", "site"))
    registry.register(registry.DemoSeeder(app="assets", name="site", seed=lambda: ["again"]))
    assert [s.seed() for s in registry.demo_seeders()] == [["again"]]


def test_a_seeder_with_an_option_runs_only_when_asked():
    registry.restore({})
    registry.register(seeder("assets", "site"))
    registry.register(seeder("assets", "wales", option="wales"))
    assert [s.name for s in registry.demo_seeders()] == ["site"]
    assert [s.name for s in registry.demo_seeders(["wales"])] == ["site", "wales"]


def test_an_entry_from_an_app_outside_the_layers_is_refused():
    with pytest.raises(ImproperlyConfigured):
        registry.register(seeder("api", "x"))


def test_every_app_has_registered_its_parts():
    assert [s.app for s in registry.erasure_steps()] == [
        "participants",
        "participants",
        "participants",
        "assets",
        "assets",
        "workshops",
        "workshops",
    ]
    assert [(s.app, s.name) for s in registry.my_data_sections()] == [
        ("assets", "assets"),
        ("workshops", "workshops"),
    ]
    assert [(h.app, h.name) for h in registry.change_handlers()] == [
        ("indicators", "area summaries")
    ]


def test_map_layers_are_those_the_user_may_see():
    registry.restore({})
    registry.register(
        registry.MapLayer(
            app="workshops",
            name="barriers",
            script="js/barrier-layer.js",
            options_url_name="core:home",
            visible=lambda user: user == "inside",
        )
    )
    assert [layer.name for layer in registry.map_layers("inside")] == ["barriers"]
    assert registry.map_layers("outside") == []


@pytest.mark.django_db
def test_a_card_registered_later_shows_on_the_next_home_page(participant_client):
    assert "A card of our own" not in participant_client.get("/en/").content.decode()
    registry.register(
        registry.Card(
            app="toolkit",
            name="own",
            role="participant",
            title="A card of our own",
            text="Registered after the page was kept.",
            url_name="core:accessibility",
        )
    )
    assert "A card of our own" in participant_client.get("/en/").content.decode()
    assert "A card of our own" in [card.title for card in registry.cards("participant")]
