from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from . import two_factor


class ChosenLanguageMiddleware:
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and a phone set to English would then
    get the menus in English and the rest in Vietnamese. Here only the explicit choice (the language cookie that
    ``set_language`` writes) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class NoStoreWhenSignedInMiddleware:
    """Ask browsers and proxies to keep no copy of anything served to a signed-in person.

    Pages and files (exports, templates of imports) for a signed-in person carry names, CCCD and phone numbers; a
    shared computer's cache or the back button after logging out must not show them to the next person. One rule for
    every such response, so a new page or export is covered without a decorator. Public pages and the login page
    stay cacheable; static files are answered by WhiteNoise before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class TwoFactorMiddleware:
    """A signed-in person who has not passed the second step of their login reaches only that step's page.

    Every other URL, the admin's included, answers with a redirect to the code page (or to enrolment for staff
    without a device); logging out and switching the language stay open. ``relief.two_factor`` says who must.
    """

    OPEN = ("two_factor_verify", "two_factor_enrol", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not two_factor.session_passed(request.session):
            step = two_factor.second_step_for(request.user)
            if step is None:
                request.session[two_factor.SESSION_KEY] = True
            elif request.path not in {reverse(name) for name in self.OPEN}:
                return redirect_to_login(request.get_full_path(), reverse(step))
        return self.get_response(request)
