"""Token authentication: django-rest-knox's hashed, expiring tokens, sent as
`Authorization: Token <token>`."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from knox.settings import knox_settings

__all__ = ["TokenAuthentication", "TokenScheme"]


class TokenAuthentication(auth.TokenAuthentication):
    """knox's scheme in one query per request, as DRF's plain tokens were.

    knox also sweeps the user's other expired tokens on every request (a second query, and
    writes on a read); here only the token presented is checked, and refused and deleted if
    it has expired. `manage.py revoke_tokens --expired` sweeps the rest.
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token: `Authorization: Token <token>`."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
