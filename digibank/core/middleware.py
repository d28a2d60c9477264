"""Dutch first: the interface speaks nl-BE unless the person chose another language with the
switch (a cookie). The browser's Accept-Language is not followed: a shared PC at a hub, or a
phone set to English by a shop, should not turn the digibank English for someone who reads Dutch."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
