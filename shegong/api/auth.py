"""``Authorization: Bearer <token>``: the API's only way to sign in (no session, no cookie, so
no CSRF to think about and no console session reachable from a script)."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .services import apitoken_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None  # anonymous: the view decides whether that is enough
        if len(header) != 2 or len(header[1]) > 200:
            raise exceptions.AuthenticationFailed(
                _("Authorization 请求头的格式应为“Bearer 令牌”。")
            )
        token = apitoken_authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已被吊销。"))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
