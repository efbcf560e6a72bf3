"""Compressing a body once, for responses that are cached already compressed (the map layer):
the codings and the choice among them are django-http-compression's, which compresses every
other response (config.settings: HttpCompressionMiddleware)."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_http_compression import middleware as http_compression
from django_http_compression.middleware import BROTLI_QUALITY, best_coding

# The middleware's own functions, so a body compressed here is the one it would send.
COMPRESS = {
    "identity": lambda body: body,
    "gzip": lambda body: http_compression.gzip_compress(body, max_random_bytes=0),
    "br": lambda body: http_compression.brotli_compress(body, quality=BROTLI_QUALITY),
    "zstd": lambda body: http_compression.zstd_compress(body),
}


def coding_for(request: HttpRequest) -> str:
    """The coding the middleware would choose for this request (identity, gzip, br, zstd)."""
    return best_coding(request.headers.get("accept-encoding", ""))


def compress(body: bytes, coding: str) -> bytes:
    return COMPRESS[coding](body)


def mark_coded(response: HttpResponse, coding: str) -> HttpResponse:
    """Label a response whose body is already in `coding`; the middleware leaves it alone."""
    if coding != "identity":
        response["Content-Encoding"] = coding
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
