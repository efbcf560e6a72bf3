"""Every response a browser reads is compressed (zstd, Brotli or gzip, as it accepts), and
downloads still arrive whole: a CSV export, a streamed static file."""

import gzip
from pathlib import Path

import brotli
import pytest
from backports import zstd
from django.urls import reverse

from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}


def body(response) -> bytes:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    coding = response.get("Content-Encoding")
    return DECODE[coding](raw) if coding else raw


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_the_csv_export_downloads_whole_when_compressed(client_as, coding):
    AssetFactory(name="Townhill Community Centre")
    client = client_as("coordinator")
    url = reverse("assets:asset-export-download")
    plain = client.get(url, {"format": "csv"})
    packed = client.get(url, {"format": "csv"}, HTTP_ACCEPT_ENCODING=coding)
    assert packed["Content-Encoding"] == coding
    assert packed["Content-Disposition"] == plain["Content-Disposition"]
    assert body(packed) == plain.content
    assert "Townhill Community Centre" in body(packed).decode("utf-8-sig")


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_a_streamed_static_file_arrives_whole_when_compressed(client, coding):
    response = client.get("/static/js/asset-map.js", HTTP_ACCEPT_ENCODING=coding)
    assert response.streaming
    assert response["Content-Encoding"] == coding
    assert "Content-Length" not in response
    assert body(response) == Path("static/js/asset-map.js").read_bytes()
