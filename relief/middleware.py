from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


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
