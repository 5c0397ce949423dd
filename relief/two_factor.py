"""Two-factor sign-in: a time-based code from an authenticator app after the password, or a single-use recovery code.

Administrators and district staff see money and every ward's households, so they must use it; ward officers and
leaders may (``User.must_use_two_factor``). django-otp keeps the devices and checks the codes; this module decides
who must pass the second step and remembers, in the session, that this session has passed it.

The session holds the answer so that a page costs no query for it: ``SESSION_KEY`` is set when the password login
needs no second step, or once the code is accepted. A session without it (a login that has not passed the code, or
one older than this check) is sent to the code or the enrolment page for every URL but a few (``TwoFactorMiddleware``).
"""

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django_otp import user_has_device
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

SESSION_KEY = "ansinh_two_factor_passed"
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã dự phòng"
VERIFY, ENROL = "two_factor_verify", "two_factor_enrol"


def second_step_for(user):
    """The URL name of the step ``user`` must pass before any other page, or None when the password is enough.

    Anyone with a confirmed device passes the code, whatever their role: a person who chose two-factor sign-in
    expects a stolen password alone not to open their account. Staff without a device must enrol first, except in
    demo mode, where the README's logins work with the password alone (the login page says so).
    """
    if user_has_device(user):
        return VERIFY
    if user.must_use_two_factor and not settings.DEMO_MODE:
        return ENROL
    return None


def session_passed(session):
    return session.get(SESSION_KEY) is True


def session_pass(request):
    """Mark this session as past the second step, under a new session key so that a key seen before is useless."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = True


@receiver(user_logged_in, dispatch_uid="relief_two_factor_at_login")
def _password_accepted(sender, request, user, **kwargs):
    """Decide at each password login: Django keeps the session's data when the same person logs in again, and an
    earlier pass must not stand in for this login's code."""
    if request is None or not hasattr(request, "session"):
        return
    if second_step_for(user) is None:
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


def confirmed_app_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def enrolment_device(user):
    """The authenticator-app device being enrolled: the one waiting for its first code, or a new one."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def manual_key(device):
    """The secret as the app's "enter a key" screen wants it: base32 in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device):
    """The enrolment QR code as inline SVG, drawn on the server: no image request, no script."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1b1b1b", light="#ffffff")


@transaction.atomic
def two_factor_enrol(*, device, token):
    """Confirm the app ``device`` with its first ``token``; return ``(recovery codes, seconds to wait)``, the codes
    None when the token is refused, the wait that of django-otp's throttle (as ``two_factor_verify``).

    The recovery codes replace any earlier ones and are returned only here, to be shown once: django-otp stores
    them as they are, and a person who loses them asks an administrator for a reset.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return None, _seconds_until(why.get("locked_until"))
    if not device.verify_token(token):
        return None, 0
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    recovery = StaticDevice.objects.create(user=device.user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes, 0


def two_factor_verify(*, user, token):
    """Check ``token`` against the user's app (digits) or their recovery codes (letters too; each works once).

    Returns ``(accepted, seconds to wait)``; the wait is django-otp's throttle of that device, which doubles after
    each wrong code. Only the device the code's shape names is tried, so a recovery code does not count as a wrong
    code of the app.
    """
    model = TOTPDevice if token.isdigit() else StaticDevice
    with transaction.atomic():
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None:
            return False, 0
        allowed, why = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return True, 0
    if not allowed and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return False, _seconds_until(why.get("locked_until"))
    return False, 0


def _seconds_until(moment):
    return max(1, int((moment - timezone.now()).total_seconds()) + 1) if moment else 0


def sign_in_locked(*, request, user):
    """Whether django-axes locks ``user`` out from this address; a locked-out person loses this session too, and
    the lockout page answers (AxesMiddleware reads the request's mark)."""
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        request.axes_locked_out, request.axes_credentials = True, credentials
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return True
    return False


def code_refused(*, request, user):
    """Count a wrong code as a failed login with django-axes, so the lockout that stops password guessing stops
    code guessing too. Returns whether the person is now locked out (and signed out)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return sign_in_locked(request=request, user=user)


@transaction.atomic
def two_factor_reset(*, user):
    """Remove every device of ``user`` (a lost phone, lost recovery codes) and end all of their sessions.

    The devices' history keeps who removed them and when. The lost phone's codes open nothing any more, and the
    sessions it held end; staff enrol a new app at their next login, officers and leaders may.
    """
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
