"""Placing an asset from its postcode, when the site names a geocoder (GEOCODER_URL): a
postcodes.io-style service answering GET {GEOCODER_URL}/postcodes/{postcode} with
{"result": {"latitude": …, "longitude": …}}. Off by default: without one, the typed address
is kept and a coordinator places the asset at moderation."""

import json
import logging
import re
from urllib.error import URLError
from urllib.parse import quote
from urllib.request import urlopen

from django.conf import settings

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
logger = logging.getLogger(__name__)


def postcode_normalise(value: str) -> str:
    """ "sa1 6aa " → "SA1 6AA"; returns "" when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return ""
    spaced = f"{compact[:-3]} {compact[-3:]}"
    return spaced if POSTCODE.match(spaced) else ""


def geocode_postcode(postcode: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a postcode, or None when there is no geocoder, no answer or
    no such postcode. Never raises: placing the asset can always wait for moderation."""
    postcode = postcode_normalise(postcode)
    if not settings.GEOCODER_URL or not postcode:
        return None
    url = f"{settings.GEOCODER_URL.rstrip('/')}/postcodes/{quote(postcode)}"
    try:
        with urlopen(url, timeout=settings.GEOCODER_TIMEOUT) as response:  # noqa: S310
            result = json.load(response).get("result") or {}
        return float(result["latitude"]), float(result["longitude"])
    except (URLError, TimeoutError, ValueError, KeyError, TypeError, AttributeError) as error:
        logger.info("Geocoding %s failed: %s", postcode, error)
        return None
