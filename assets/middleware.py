"""A browser that asks again for a map layer it already holds, signed out, is answered 304 Not
Modified before sessions, the filters' form and the rest of the stack run: every view of the
map asks again (the layer is `no-cache`), and the answer is nearly always "unchanged".

Each process remembers the ETag it gave for each layer URL to people signed out (the URL, its
query string as sent, and the published assets' version the ETag stands for). A request that
presents that ETag while the version is still the current one (one query) gets its 304 here;
anything else (a cookie, another ETag, a new version, a URL this process has not answered)
goes on to the view, as before.
"""

from django.conf import settings
from django.http import HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language, override

from assets.maps import LAYER_VERSION
from core.localmemo import memo_new
from core.versions import version_get

# (path, query string) → (ETag, version, headers), bounded (core.localmemo).
_given = memo_new(max_entries=4096, max_bytes=4 * 2**20)


def layer_given(request, layer, response) -> None:
    """Note the ETag (and the headers a 304 repeats) the layer view gave someone signed out."""
    if request.user.is_authenticated:
        return
    names = ("ETag", "Last-Modified", "Cache-Control")
    headers = {name: response[name] for name in names if name in response}
    headers["Content-Language"] = get_language()  # as the locale middleware will add
    key = (request.path, request.META.get("QUERY_STRING", ""))
    _given.set(key, (layer.etag, layer.version, headers))


class LayerNotModifiedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = None

    def __call__(self, request):
        tags = request.META.get("HTTP_IF_NONE_MATCH")
        if tags and request.method == "GET" and self._answers(request):
            given = _given.get((request.path, request.META.get("QUERY_STRING", "")))
            if given and given[0] in parse_etags(tags) and version_get(LAYER_VERSION) == given[1]:
                return self._not_modified(request, given[2])
        return self.get_response(request)

    def _answers(self, request) -> bool:
        """The layer's URL, signed out (no session cookie), while the map is public."""
        if self.paths is None:
            self.paths = set()
            for code, _name in settings.LANGUAGES:
                with override(code):
                    self.paths.add(reverse("assets:asset-layer"))
        return (
            request.path in self.paths
            and settings.MAP_PUBLIC
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def _not_modified(request, headers: dict[str, str]):
        response = HttpResponseNotModified()
        for name, value in headers.items():
            response[name] = value
        # As the view's own answer varies (core.compression, the session middleware).
        patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
        return response
