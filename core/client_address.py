"""The address of the client that sent a request, taking a reverse proxy at its word and no further.

Behind a proxy, REMOTE_ADDR is the proxy's address: every visitor would share it, so the login
lock-out (django-axes, AXES_CLIENT_IP_CALLABLE) would lock a user out for everyone after five
failures from anyone. Each trusted proxy appends the address it received the request from to
X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies the client is the entry that many places
from the right; everything to its left was written by the client and can be forged.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """Return the client's IP address as text for `request`.

    Without BEHIND_PROXY, REMOTE_ADDR only (an X-Forwarded-For header is the client's own claim).
    With it, the address the outermost trusted proxy saw: the TRUSTED_PROXY_COUNT-th entry of
    X-Forwarded-For from the right; REMOTE_ADDR when the header is missing, too short or not an
    address there (a request that did not pass all the proxies).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    count = settings.TRUSTED_PROXY_COUNT
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
