"""The address of the person at the other end of a request, behind as many reverse proxies as the settings trust.

django-axes counts wrong passwords by this address. Behind a proxy every request's REMOTE_ADDR is the proxy's, so
without this one person's mistakes would lock everyone out; trusting X-Forwarded-For without a proxy in front would
let anyone pick a fresh address for every guess.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """REMOTE_ADDR when no proxy is trusted (``TRUSTED_PROXY_COUNT`` 0); behind N trusted proxies, the address the
    outermost of them received the request from: the N-th entry of X-Forwarded-For counted from the right.

    Each proxy appends the address it was reached from, so whatever a client writes into the header itself stands to
    the left of those entries and is never read. A request whose header is shorter than the proxies are many, or
    whose entry is not an address, did not come through them as configured: its REMOTE_ADDR stands instead.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
