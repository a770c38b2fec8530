"""The backend of the login through the identity provider (assessments/sso/): which claims
it accepts, whom it lets in, what a first login makes, and the provider's second factor.

Tokens are signed here with a key of our own (``OIDC_RP_IDP_SIGN_KEY``); the token and
userinfo calls to the provider are replaced where a test runs ``authenticate`` whole. The
real provider, end to end: tests/e2e/test_oidc_flow.py.
"""

from __future__ import annotations

import datetime
import time

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from assessments.members.services import invite_member, remove_member
from assessments.models import IdentityProviderDomain, Invitation, Membership
from assessments.sso.backend import MFA_ATTRIBUTE, REFUSAL_ATTRIBUTE, OIDCBackend
from assessments.sso.claims import (
    Refusal,
    Refused,
    check_audience,
    email_domain,
    normalized_email,
    provider_did_mfa,
)
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory
from tests.helpers.oidc import CLIENT_ID, UNREACHABLE, configure

ISSUER = UNREACHABLE.issuer
NONCE = "een-nonce"


# --- Reading claims: plain functions -----------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": "otp"}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": ["pwd", {"mfa": True}]}, False),
        ({"acr": "urn:gemeente:mfa"}, True),
        ({"acr": "urn:gemeente:wachtwoord"}, False),
        ({"acr": ["urn:gemeente:mfa"]}, False),
        ({}, False),
    ],
)
def test_the_provider_did_mfa_when_amr_or_acr_says_so(claims, expected):
    assert (
        provider_did_mfa(claims, amr_values=["mfa", "otp"], acr_values=["urn:gemeente:mfa"])
        is expected
    )


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": CLIENT_ID, "exp": 1},
        {"aud": [CLIENT_ID], "exp": 1},
        {"aud": [CLIENT_ID, "api"], "azp": CLIENT_ID, "exp": 1},
    ],
)
def test_an_id_token_for_this_client_passes(claims):
    check_audience(claims, CLIENT_ID)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "een-andere-toepassing", "exp": 1}, Refusal.WRONG_AUDIENCE),
        ({"aud": [CLIENT_ID, "api"], "exp": 1}, Refusal.WRONG_AUDIENCE),
        ({"aud": [CLIENT_ID, "api"], "azp": "api", "exp": 1}, Refusal.WRONG_AUDIENCE),
        ({"exp": 1}, Refusal.WRONG_AUDIENCE),
        ({"aud": CLIENT_ID}, Refusal.INVALID_TOKEN),
    ],
)
def test_an_id_token_for_another_party_or_without_expiry_is_refused(claims, reason):
    with pytest.raises(Refused) as refused:
        check_audience(claims, CLIENT_ID)
    assert refused.value.reason == reason


def test_addresses_are_compared_in_lower_case():
    assert normalized_email({"email": " Ilse.Invuller@ZonneDal.Example "}) == (
        "ilse.invuller@zonnedal.example"
    )
    assert normalized_email({"email": None}) == ""
    assert email_domain("ilse@afdeling@Zonnedal.example") == "zonnedal.example"
    assert email_domain("geen-adres") == ""


# --- The backend, with tokens of our own -------------------------------------------------


@pytest.fixture(scope="module")
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def sso(settings, signing_key):
    configure(settings, UNREACHABLE)
    settings.OIDC_RP_IDP_SIGN_KEY = (
        signing_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return settings


@pytest.fixture
def zonnedal(db):
    municipality = MunicipalityFactory(name="Zonnedal")
    IdentityProviderDomain.objects.create(
        municipality=municipality, email_domain="zonnedal.example"
    )
    return municipality


def id_token(signing_key, **claims) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "sub": "ilse",
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        **claims,
    }
    return jwt.encode(payload, signing_key, algorithm="RS256")


def userinfo(**claims) -> dict:
    return {
        "sub": "ilse",
        "email": "ilse.invuller@zonnedal.example",
        "email_verified": True,
        "given_name": "Ilse",
        "family_name": "Invuller",
        **claims,
    }


def backend_for(rf) -> OIDCBackend:
    backend = OIDCBackend()
    backend.request = rf.get("/accounts/sso/terug/")
    backend.id_token_claims = {"iss": ISSUER, "sub": "ilse"}
    return backend


def test_a_valid_id_token_gives_its_claims(sso, signing_key):
    payload = OIDCBackend().verify_token(id_token(signing_key, amr=["otp"]), nonce=NONCE)
    assert (payload["sub"], payload["amr"]) == ("ilse", ["otp"])


def test_an_id_token_for_another_application_is_refused(sso, signing_key):
    token = id_token(signing_key, aud="een-andere-toepassing")
    with pytest.raises(Refused) as refused:
        OIDCBackend().verify_token(token, nonce=NONCE)
    assert refused.value.reason == Refusal.WRONG_AUDIENCE


def test_an_expired_id_token_is_refused(sso, signing_key):
    now = int(time.time())
    with pytest.raises(jwt.ExpiredSignatureError):
        OIDCBackend().verify_token(id_token(signing_key, exp=now - 600), nonce=NONCE)


def test_clocks_a_little_apart_do_not_refuse_a_fresh_token(sso, signing_key):
    """The provider's clock half a minute ahead of ours: "iat" lies in our future."""
    now = int(time.time())
    token = id_token(signing_key, iat=now + 30, exp=now + 330)
    assert OIDCBackend().verify_token(token, nonce=NONCE)["sub"] == "ilse"


@pytest.mark.parametrize(
    "header", [{"alg": "none"}, {"alg": "HS256"}], ids=["ongetekend", "ander-algoritme"]
)
def test_a_token_not_signed_with_the_configured_algorithm_is_refused(sso, signing_key, header):
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "ilse", "aud": CLIENT_ID, "exp": now + 300, "nonce": NONCE}
    if header["alg"] == "none":
        token = jwt.encode(claims, None, algorithm="none")
    else:
        token = jwt.encode(claims, "een-gedeeld-geheim-van-voldoende-lengte!!", algorithm="HS256")
    with pytest.raises(SuspiciousOperation):
        OIDCBackend().verify_token(token, nonce=NONCE)


def test_the_first_login_at_a_connected_domain_makes_a_viewer(sso, zonnedal, rf):
    backend = backend_for(rf)
    assert backend.verify_claims(userinfo()) is True
    user = backend.create_user(userinfo(email="Ilse.Invuller@Zonnedal.example"))
    assert (user.username, user.email) == (
        "ilse.invuller@zonnedal.example",
        "ilse.invuller@zonnedal.example",
    )
    assert (user.first_name, user.last_name) == ("Ilse", "Invuller")
    assert not user.has_usable_password()  # logs in through the provider only
    assert list(user.memberships.values_list("municipality", "role")) == [
        (zonnedal.pk, Membership.Role.VIEWER)
    ]


def test_the_first_login_uses_an_open_invitation_with_its_role(sso, zonnedal, rf):
    elsewhere = MunicipalityFactory(name="Regenstad")
    coordinator = MembershipFactory(municipality=elsewhere, role="coordinator").user
    for place in (zonnedal, elsewhere):
        invite_member(
            municipality=place,
            email="ilse.invuller@zonnedal.example",
            role=Membership.Role.EDITOR,
            invited_by=coordinator,
            perspective="wonen",
        )
    user = backend_for(rf).create_user(userinfo())
    # The invitation for Zonnedal wins over the domain's viewer: one membership each.
    assert sorted(user.memberships.values_list("municipality__name", "role", "perspective")) == [
        ("Regenstad", "editor", "wonen"),
        ("Zonnedal", "editor", "wonen"),
    ]
    assert set(Invitation.objects.values_list("accepted_by", flat=True)) == {user.pk}


def test_an_invitation_lets_in_an_address_at_a_domain_that_is_not_connected(sso, db, rf):
    municipality = MunicipalityFactory(name="Regenstad")
    coordinator = MembershipFactory(municipality=municipality, role="coordinator").user
    invite_member(
        municipality=municipality,
        email="bob@onbekend.example",
        role=Membership.Role.VIEWER,
        invited_by=coordinator,
    )
    backend = backend_for(rf)
    claims = userinfo(email="bob@onbekend.example")
    assert backend.verify_claims(claims) is True
    user = backend.create_user(claims)
    assert list(user.memberships.values_list("municipality", "role")) == [
        (municipality.pk, Membership.Role.VIEWER)
    ]


@pytest.mark.parametrize("state", ["expired", "revoked", "accepted"])
def test_an_invitation_that_cannot_be_used_lets_nobody_in(sso, db, rf, state):
    municipality = MunicipalityFactory()
    coordinator = MembershipFactory(municipality=municipality, role="coordinator").user
    invitation, _token = invite_member(
        municipality=municipality,
        email="bob@onbekend.example",
        role=Membership.Role.EDITOR,
        invited_by=coordinator,
    )
    past = timezone.now() - datetime.timedelta(minutes=1)
    field = {"expired": "expires_at", "revoked": "revoked_at", "accepted": "accepted_at"}[state]
    Invitation.objects.filter(pk=invitation.pk).update(**{field: past})
    with pytest.raises(Refused) as refused:
        backend_for(rf).verify_claims(userinfo(email="bob@onbekend.example"))
    assert refused.value.reason == Refusal.UNKNOWN_DOMAIN


def test_an_unknown_domain_is_refused_and_makes_nothing(sso, zonnedal, rf):
    with pytest.raises(Refused) as refused:
        backend_for(rf).verify_claims(userinfo(email="bob@onbekend.example"))
    assert refused.value.reason == Refusal.UNKNOWN_DOMAIN
    assert not get_user_model().objects.exists()


def test_a_domain_pinned_to_another_issuer_is_refused(sso, zonnedal, rf):
    zonnedal.sso_domains.update(issuer="https://login.microsoftonline.com/tenant-zonnedal/v2.0")
    with pytest.raises(Refused) as refused:
        backend_for(rf).verify_claims(userinfo())
    assert refused.value.reason == Refusal.WRONG_ISSUER


def test_a_domains_own_issuer_is_accepted_where_the_installation_names_none(sso, zonnedal, rf):
    """A multi-tenant provider: each municipality's tenant is its domain's issuer."""
    tenant = "https://login.microsoftonline.com/tenant-zonnedal/v2.0"
    sso.OIDC_OP_ISSUER = ""
    zonnedal.sso_domains.update(issuer=tenant)
    backend = backend_for(rf)
    backend.id_token_claims["iss"] = tenant
    assert backend.verify_claims(userinfo()) is True
    backend.id_token_claims["iss"] = "https://login.microsoftonline.com/tenant-ander/v2.0"
    with pytest.raises(Refused):
        backend.verify_claims(userinfo())


def test_without_any_issuer_to_compare_with_nobody_is_let_in(sso, zonnedal, rf):
    sso.OIDC_OP_ISSUER = ""
    with pytest.raises(Refused) as refused:
        backend_for(rf).verify_claims(userinfo())
    assert refused.value.reason == Refusal.WRONG_ISSUER


@pytest.mark.parametrize(
    "claims",
    [{"email": ""}, {"email": None}, {"email_verified": False}],
    ids=["leeg", "geen", "niet-bevestigd"],
)
def test_without_a_confirmed_address_nobody_is_let_in(sso, zonnedal, rf, claims):
    with pytest.raises(Refused) as refused:
        backend_for(rf).verify_claims(userinfo(**claims))
    assert refused.value.reason == Refusal.NO_EMAIL


def test_userinfo_about_someone_else_is_refused(sso, zonnedal, rf):
    with pytest.raises(Refused) as refused:
        backend_for(rf).verify_claims(userinfo(sub="iemand-anders"))
    assert refused.value.reason == Refusal.INVALID_TOKEN


def test_an_existing_account_is_found_by_its_address_and_keeps_its_password(sso, zonnedal, rf):
    user = UserFactory(username="ilse", email="Ilse.Invuller@zonnedal.example")
    backend = backend_for(rf)
    assert list(backend.filter_users_by_claims(userinfo())) == [user]
    updated = backend.update_user(user, userinfo(given_name="Ilse", family_name="de Vries"))
    updated.refresh_from_db()
    assert (updated.first_name, updated.last_name) == ("Ilse", "de Vries")
    assert updated.has_usable_password()


def test_a_later_login_uses_a_new_invitation_but_never_adds_the_domain_again(sso, zonnedal, rf):
    """A coordinator who removed someone keeps them out: only a new invitation lets them in."""
    backend = backend_for(rf)
    user = backend.create_user(userinfo())
    remove_member(membership=user.memberships.get())
    backend.update_user(user, userinfo())
    assert not user.memberships.exists()

    coordinator = MembershipFactory(municipality=zonnedal, role="coordinator").user
    invite_member(
        municipality=zonnedal, email=user.email, role=Membership.Role.EDITOR, invited_by=coordinator
    )
    backend.update_user(user, userinfo())
    assert list(user.memberships.values_list("role", flat=True)) == [Membership.Role.EDITOR]


# --- authenticate as a whole, the provider's answers replaced -----------------------------


@pytest.fixture
def provider_answers(monkeypatch, signing_key):
    """What the provider's token and userinfo endpoints answer, for ``answer(...)``."""
    answers = {}

    def get_token(self, payload):
        if "error" in answers:
            raise answers["error"]
        return {"id_token": answers["id_token"], "access_token": "toegang"}

    monkeypatch.setattr(OIDCBackend, "get_token", get_token)
    monkeypatch.setattr(OIDCBackend, "get_userinfo", lambda self, *args: answers["userinfo"])

    def answer(*, error=None, userinfo_claims=None, **claims):
        answers.clear()
        if error is not None:
            answers["error"] = error
        answers["id_token"] = id_token(signing_key, **claims)
        answers["userinfo"] = userinfo(**(userinfo_claims or {}))

    return answer


def callback(rf, client):
    """The callback's request, with a session like the one mozilla-django-oidc fills."""
    request = rf.get("/accounts/sso/terug/", {"code": "c", "state": "s"})
    request.session = client.session
    return request


def test_authenticate_logs_in_and_notes_the_providers_second_factor(
    sso, zonnedal, rf, client, provider_answers
):
    provider_answers(amr=["pwd", "mfa"])
    request = callback(rf, client)
    user = OIDCBackend().authenticate(request, nonce=NONCE, code_verifier="v")
    assert user.email == "ilse.invuller@zonnedal.example"
    assert getattr(request, MFA_ATTRIBUTE) is True
    assert request.session["oidc_id_token"]  # for the logout at the provider


def test_authenticate_without_a_second_factor_notes_none(
    sso, zonnedal, rf, client, provider_answers
):
    provider_answers(amr=["pwd"], acr="urn:gemeente:wachtwoord")
    request = callback(rf, client)
    assert OIDCBackend().authenticate(request, nonce=NONCE, code_verifier="v") is not None
    assert getattr(request, MFA_ATTRIBUTE) is False


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"aud": "een-andere-toepassing"}, Refusal.WRONG_AUDIENCE),
        ({"exp": 1}, Refusal.EXPIRED),
        ({"nonce": "een-andere-nonce"}, Refusal.INVALID_TOKEN),
        ({"userinfo_claims": {"email": "bob@onbekend.example"}}, Refusal.UNKNOWN_DOMAIN),
        ({"error": requests.HTTPError("400 invalid_grant")}, Refusal.PROVIDER_ERROR),
    ],
    ids=["audience", "verlopen", "nonce", "onbekend-domein", "fout-bij-inlogdienst"],
)
def test_authenticate_refuses_with_a_reason_and_forgets_the_token(
    sso, zonnedal, rf, client, provider_answers, answer, reason
):
    provider_answers(**answer)
    request = callback(rf, client)
    assert OIDCBackend().authenticate(request, nonce=NONCE, code_verifier="v") is None
    assert getattr(request, REFUSAL_ATTRIBUTE) == reason
    assert "oidc_id_token" not in request.session
    assert not get_user_model().objects.exists()


def test_a_password_login_is_not_the_backends_business(sso, zonnedal, rf, client):
    request = rf.post("/accounts/login/")
    request.session = client.session
    assert OIDCBackend().authenticate(request, username="ilse", password="x") is None
    assert not hasattr(request, REFUSAL_ATTRIBUTE)
