"""The authentication backend of the login through the identity provider.

mozilla-django-oidc does the OAuth: the redirect, the code exchange, the signature, the
nonce and PKCE. This subclass adds what it leaves to us: the audience (it does not check
it), the issuer per municipality, who may log in (``services.check_admission``), the
account of a first login, and whether the provider did the second factor. A refusal is
never an exception for the caller: ``authenticate`` returns None and leaves the reason
on the request (``REFUSAL_ATTRIBUTE``) for the callback view's Dutch message.
"""

from __future__ import annotations

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from assessments.common.securitylog import client_ip
from assessments.sso import services
from assessments.sso.claims import (
    Refusal,
    Refused,
    check_audience,
    normalized_email,
    provider_did_mfa,
)

REFUSAL_ATTRIBUTE = "sso_refusal"
MFA_ATTRIBUTE = "sso_mfa"
# Seconds the provider's clock and ours may differ. mozilla-django-oidc decodes without
# any: with our clock a second behind, a fresh token's "iat" lies in the future and PyJWT
# refuses it.
CLOCK_LEEWAY = 60


class OIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        self.id_token_claims: dict = {}
        try:
            user = super().authenticate(request, **kwargs)
        except Refused as refusal:
            return self._refuse(request, refusal.reason)
        except jwt.ExpiredSignatureError:
            return self._refuse(request, Refusal.EXPIRED)
        except (jwt.InvalidTokenError, SuspiciousOperation):
            # A bad signature, nonce or algorithm, or more than one account with the address.
            return self._refuse(request, Refusal.INVALID_TOKEN)
        except requests.RequestException:
            # The provider refused the code or could not be reached.
            return self._refuse(request, Refusal.PROVIDER_ERROR)
        if user is not None:
            setattr(
                request,
                MFA_ATTRIBUTE,
                provider_did_mfa(
                    self.id_token_claims,
                    amr_values=settings.OIDC_MFA_AMR_VALUES,
                    acr_values=settings.OIDC_MFA_ACR_VALUES,
                ),
            )
        return user

    def _refuse(self, request, reason: Refusal) -> None:
        setattr(request, REFUSAL_ATTRIBUTE, reason)
        # mozilla-django-oidc stored the ID token before the user was looked up; a refused
        # login must not leave it for a later logout at the provider.
        request.session.pop("oidc_id_token", None)
        return None

    def get_payload_data(self, token, key):
        """The token's claims once its signature checks out, as mozilla-django-oidc's own
        (the header's algorithm must be ``OIDC_RP_SIGN_ALGO``; the audience is ours to
        check), with ``CLOCK_LEEWAY``, and never an unsigned ("none") token."""
        if jwt.get_unverified_header(token).get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The token's algorithm is not OIDC_RP_SIGN_ALGO.")
        return jwt.decode(
            token,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            options={"verify_aud": False},
            leeway=CLOCK_LEEWAY,
        )

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # Called with a nonce for the ID token; without for a userinfo answer sent as a JWT.
        if "nonce" in kwargs:
            check_audience(payload, self.OIDC_RP_CLIENT_ID)
            self.id_token_claims = payload
        return payload

    def verify_claims(self, claims) -> bool:
        """``claims``: the userinfo answer; the ID token's were checked before."""
        email = normalized_email(claims)
        if not email or claims.get("email_verified") is False:
            raise Refused(Refusal.NO_EMAIL)
        if claims.get("sub") != self.id_token_claims.get("sub"):
            # OpenID Connect Core 5.3.2: userinfo about someone else is not to be used.
            raise Refused(Refusal.INVALID_TOKEN)
        services.check_admission(email=email, issuer=str(self.id_token_claims.get("iss", "")))
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=normalized_email(claims))

    def create_user(self, claims):
        return services.create_sso_user(
            email=normalized_email(claims),
            first_name=str(claims.get("given_name") or ""),
            last_name=str(claims.get("family_name") or ""),
            ip=client_ip(self.request),
        )

    def update_user(self, user, claims):
        return services.update_sso_user(
            user=user,
            first_name=str(claims.get("given_name") or ""),
            last_name=str(claims.get("family_name") or ""),
            ip=client_ip(self.request),
        )
