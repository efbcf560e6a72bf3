"""Answers of the partner API kept in the web process, as rendered and as compressed, per
data version (core.versions), scope and URL: a list that every caller of a scope reads alike
(the assets every partner may see) is worked out once per change of its data, not once per
request, like the map layer's cached bytes.

The versions come with the key, in the key's own query (core.api_keys.api_key_find); a
session's request reads them in one query. Nothing is kept per person: a key is checked,
and throttled, on every request before a kept answer is served, so a revoked key is refused
at once. The versions' change times are in the key as well as their values, so a database
put back to an earlier state (a restore, a test's rollback) never finds what was kept after
it. Bounded in bytes, the least recently read going first."""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import md5
from secrets import randbelow, token_urlsafe

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag
from django_http_compression import middleware as http_compression

from core.compression import compress
from core.models import DataVersion

LIMIT_BYTES = 32 * 1024 * 1024  # per web process: some hundreds of pages of 50 assets


@dataclass
class Kept:
    content_type: str
    body: bytes
    last_modified: datetime | None
    coded: dict[str, bytes] = field(default_factory=dict)  # the body compressed, per coding

    def __post_init__(self):
        self.etag = quote_etag(md5(self.body, usedforsecurity=False).hexdigest())

    def response(self) -> HttpResponse:
        """The answer as worked out, with its ETag (Django's set_response_etag's)."""
        response = HttpResponse(self.body, content_type=self.content_type)
        if self.body:
            response["ETag"] = self.etag
        return response

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(body) for body in self.coded.values())


class KeptAnswers:
    """A process's kept answers, least recently read first (gunicorn's threads share it)."""

    def __init__(self, limit_bytes: int = LIMIT_BYTES):
        self.limit_bytes = limit_bytes
        self.answers: OrderedDict[tuple, Kept] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Kept | None:
        with self.lock:
            kept = self.answers.get(key)
            if kept is not None:
                self.answers.move_to_end(key)
            return kept

    def put(self, key: tuple, kept: Kept) -> None:
        with self.lock:
            self._drop(key)
            self.answers[key] = kept
            self.size += kept.size
            while self.size > self.limit_bytes and self.answers:
                self._drop(next(iter(self.answers)))

    def grew(self, kept: Kept, by: int) -> None:
        """A kept answer gained a compressed copy of `by` bytes."""
        with self.lock:
            if any(value is kept for value in self.answers.values()):
                self.size += by

    def clear(self) -> None:
        with self.lock:
            self.answers.clear()
            self.size = 0

    def _drop(self, key: tuple) -> None:
        kept = self.answers.pop(key, None)
        if kept is not None:
            self.size -= kept.size


kept_answers = KeptAnswers()


def versions_read(request, names: tuple[str, ...]) -> tuple:
    """The data versions `names`, as (name, value, changed_at): from the request's key when it
    read them (core.api_keys.api_key_find), else in one query."""
    known = getattr(request.auth, "data_versions", None)
    if known is None or set(known) != set(names):
        rows = DataVersion.objects.filter(name__in=names).values_list("name", "value", "changed_at")
        known = {name: (value, changed_at) for name, value, changed_at in rows}
    return tuple((name, *known.get(name, (0, None))) for name in names)


def compressed(request, response: HttpResponse, kept: Kept) -> HttpResponse:
    """`response` (a kept answer's 200) compressed as HttpCompressionMiddleware would compress
    it, with the same functions and headers (config.settings.MIDDLEWARE), but from the copy
    kept per coding: the middleware leaves a response with a Content-Encoding alone."""
    middleware = http_compression.HttpCompressionMiddleware
    content_type = response.headers.get("content-type", "").split(";", 1)[0]
    if not middleware.content_type_re.match(content_type) or len(response.content) < 50:
        return response
    coding = http_compression.best_coding(request.headers.get("accept-encoding", ""))
    if coding == "identity":
        return response
    body = kept.coded.get(coding)
    if body is None:
        body = kept.coded[coding] = compress(response.content, coding)
        kept_answers.grew(kept, len(body))
    patch_vary_headers(response, ("accept-encoding",))
    if len(body) >= len(response.content):
        return response  # the middleware will find it no shorter either
    response.content = body
    response.headers["content-length"] = str(len(body))
    # The middleware's BREACH mitigation, its padding header of a random length.
    response.headers["x-noise"] = token_urlsafe(randbelow(middleware.max_random_bytes + 1))
    etag = response.headers.get("etag")
    if etag and etag.startswith('"'):
        response.headers["etag"] = "W/" + etag
    response.headers["content-encoding"] = coding
    return response
