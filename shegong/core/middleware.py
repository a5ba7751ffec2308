from django.utils import translation

LANGUAGE_COOKIE = "django_language"
ELDER_COOKIE = "elder"
ONE_YEAR = 365 * 24 * 3600


class DisplayPreferencesMiddleware:
    """Honour ``?lang=en`` and ``?elder=1`` on any URL and remember them in cookies.

    Printed QR codes may carry these parameters, so they work without a form post or
    JavaScript. Runs before LocaleMiddleware so the chosen language is the one activated.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.GET.get("lang")
        if lang not in {"zh-hans", "en"}:
            lang = None
        if lang:
            request.COOKIES[LANGUAGE_COOKIE] = lang
        elder = request.GET.get("elder")
        if elder in {"0", "1"}:
            request.COOKIES[ELDER_COOKIE] = elder
        request.elder_mode = request.COOKIES.get(ELDER_COOKIE) == "1"

        response = self.get_response(request)

        if lang:
            response.set_cookie(LANGUAGE_COOKIE, lang, max_age=ONE_YEAR, samesite="Lax")
            translation.activate(lang)
        if elder in {"0", "1"}:
            response.set_cookie(ELDER_COOKIE, elder, max_age=ONE_YEAR, samesite="Lax")
        return response
