"""The geocoder against a small local stub that speaks the same HTTP API (never the internet)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assets.geocoding import geocode_postcode, postcode_normalise
from assets.models import AssetCategory
from assets.services.assets import asset_create
from core.models import Role

POSTCODES = {"SA1 6AA": (51.6295, -3.9550), "BS1 4DJ": (51.4545, -2.5879)}


class StubGeocoder(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        postcode = self.path.rsplit("/", 1)[-1].replace("%20", " ")
        if self.path.endswith("/broken"):
            body, status = b"not json", 200
        elif postcode in POSTCODES:
            lat, lng = POSTCODES[postcode]
            body, status = json.dumps({"result": {"latitude": lat, "longitude": lng}}).encode(), 200
        else:
            body, status = json.dumps({"status": 404, "error": "Postcode not found"}).encode(), 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def geocoder(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubGeocoder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sa1 6aa", "SA1 6AA"),
        (" SA16AA ", "SA1 6AA"),
        ("CF10 1EP", "CF10 1EP"),
        ("hello", ""),
        ("", ""),
    ],
)
def test_postcodes_are_normalised(typed, expected):
    assert postcode_normalise(typed) == expected


def test_a_known_postcode_is_found(geocoder):
    assert geocode_postcode("sa1 6aa") == POSTCODES["SA1 6AA"]


def test_unknown_broken_or_absent_answers_leave_it_unplaced(geocoder, settings):
    assert geocode_postcode("SA9 9ZZ") is None
    assert geocode_postcode("broken") is None
    settings.GEOCODER_URL = "http://127.0.0.1:1"
    assert geocode_postcode("SA1 6AA") is None
    settings.GEOCODER_URL = ""
    assert geocode_postcode("SA1 6AA") is None


@pytest.mark.django_db
def test_an_asset_without_a_pin_is_placed_from_its_postcode_inside_wales(
    geocoder, make_user, django_capture_on_commit_callbacks
):
    user = make_user(Role.PARTICIPANT)
    library = AssetCategory.objects.get(slug="library")
    with django_capture_on_commit_callbacks(execute=True):
        placed = asset_create(
            recorded_by=user, fields={"name": "A", "category": library, "postcode": "SA1 6AA"}
        )
        bristol = asset_create(
            recorded_by=user, fields={"name": "B", "category": library, "postcode": "BS1 4DJ"}
        )
    placed.refresh_from_db()
    bristol.refresh_from_db()
    assert (placed.latitude, placed.longitude) == POSTCODES["SA1 6AA"]
    assert bristol.latitude is None  # outside Wales: a coordinator places it at moderation


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_geocoder_is_never_asked_inside_a_transaction(geocoder, make_user, monkeypatch):
    """A slow geocoder must not hold rows locked: it is asked after the asset is committed."""
    from django.db import connection

    import assets.services.assets as service

    asked = []

    def spy(postcode):
        asked.append((postcode, connection.in_atomic_block))
        return geocode_postcode(postcode)

    monkeypatch.setattr(service, "geocode_postcode", spy)
    user = make_user(Role.PARTICIPANT)
    library = AssetCategory.objects.get(slug="library")
    asset = asset_create(
        recorded_by=user, fields={"name": "A", "category": library, "postcode": "SA1 6AA"}
    )
    asset.refresh_from_db()
    assert asked == [("SA1 6AA", False)]
    assert (asset.latitude, asset.longitude) == POSTCODES["SA1 6AA"]
