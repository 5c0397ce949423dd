"""The second step of the login, and enrolling an authenticator app (relief/two_factor.py says who must)."""

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import two_factor
from .two_factor_forms import EnrolForm, VerifyForm


class LoginView(auth_views.LoginView):
    """Django's password step; the page says when demo mode lets staff in without the second step."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "demo_mode": settings.DEMO_MODE}


def _next_url(request):
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure())
    return wanted if wanted and safe else resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def verify(request):
    if two_factor.session_passed(request.session) or two_factor.second_step_for(request.user) != two_factor.VERIFY:
        return redirect(_next_url(request))
    form = VerifyForm(request.POST or None, request=request)
    if form.is_valid():
        two_factor.session_pass(request)
        return redirect(_next_url(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")},
    )


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def enrol(request):
    passed = two_factor.session_passed(request.session)
    if not passed and two_factor.second_step_for(request.user) == two_factor.VERIFY:
        return redirect("two_factor_verify")
    if two_factor.confirmed_app_device(request.user):
        return render(request, "registration/two_factor_enrol.html", {"enrolled": True})
    device = two_factor.enrolment_device(request.user)
    form = EnrolForm(request.POST or None, device=device)
    if form.is_valid():
        two_factor.session_pass(request)
        return render(request, "registration/two_factor_codes.html", {"codes": form.recovery_codes})
    context = {"form": form, "qr": two_factor.qr_svg(device), "key": two_factor.manual_key(device), "must": not passed}
    return render(request, "registration/two_factor_enrol.html", context)
