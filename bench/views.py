"""Baselines: what Django itself costs on this machine, so a page's time can be read as a multiple of it."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

ROW_BYTES = 100  # roughly what one row of baseline.html renders to
SMALL_PAGE_BYTES = 4000  # the bare page every figure is compared with: a few KB, as a bare view is

PING_TABLE = "bench_ping"


@require_GET
def baseline_page(request):
    """A template of about ``?bytes=`` bytes rendered from a Python list: no query, no session, no user."""
    size = int(request.GET.get("bytes", "50000"))
    rows = [{"n": n, "name": f"Phường {n}", "value": n * 1000} for n in range(max(size // ROW_BYTES, 1))]
    return render(request, "bench/baseline.html", {"rows": rows})


@login_required
@require_GET
def signed_in_page(request):
    """The same page behind a login: the session and the user read, as every page of a signed-in person does.
    What a leader's page costs beyond it is the page's own; what it adds to ``baseline_page`` is the sign-in's."""
    return baseline_page(request)


@login_required
@require_POST
def baseline_insert(request):
    """One INSERT per POST, behind the same session, login and CSRF checks as a hand-out: the floor a write costs."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PING_TABLE} (user_id, at) VALUES (%s, now())", [request.user.pk])
    return HttpResponse("ok")
