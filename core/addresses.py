"""The client's address, for throttling failed sign-ins (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind TRUSTED_PROXY_COUNT reverse proxies, each proxy appends the address it received the
request from to X-Forwarded-For, so the n-th entry from the right is the one the outermost
trusted proxy saw: the client. Anything to its left was sent by the client itself and could be
made up, so it is ignored. With no proxy configured the header is not read at all."""

from django.conf import settings


def client_address(request) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
