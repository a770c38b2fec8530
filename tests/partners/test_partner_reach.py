"""A partner session reaches its own partner pages and nothing else.

Every URL of the project (from the URL resolver, so a new page is walked too) is asked
with GET and POST by a partner session and by an anonymous visitor: the partner must get
exactly what the anonymous visitor gets (a login redirect, a 401, a 403, a public page),
except on the partner pages of its own link. A partner is never logged in, so member
pages, the API, the profile and the admin do not know them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments import access
from tests.helpers.partners import open_link

pytestmark = pytest.mark.django_db

OWN_PARTNER_PAGES = {
    "assessments:partner_home",
    "assessments:partner_questionnaire",
    "assessments:partner_answer",
    "assessments:partner_leave",
}


def _named_patterns(patterns=None, namespace: str = "", converters=None):
    """Each named URL with the converters of its whole path (an ``include()`` prefix's too)."""
    converters = converters or {}
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        found = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # asked below by address
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner, found)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", found


def _kwargs(name: str, converters: dict, ids: dict) -> dict:
    """A value per argument: the partner's own round, link and question where the name
    says so, else 1 (an id), a step code or a token-like word."""
    found = {}
    for arg in converters:
        found[arg] = ids.get(arg, 1 if "id" in arg or arg in {"pk", "number"} else "x")
    if name.startswith(("assessments:partner_questionnaire", "assessments:questionnaire")):
        found["step"] = "wijkbasis"
    return found


def _outcome(response) -> tuple:
    return response.status_code, response.get("Location", "")


def test_a_partner_session_gets_nothing_an_anonymous_visitor_would_not(link, coordinator, region):
    assessment = link.assessment
    question = assessment.framework.questions.order_by("pk").first()
    ids = {
        "pk": assessment.pk,
        "link_id": link.pk,
        "question_id": question.pk,
        "municipality_id": assessment.municipality_id,
        "region_id": region.pk,
        "uidb64": "MQ",
    }
    partner, anonymous = Client(), Client()
    urls = [
        (name, reverse(name, kwargs=_kwargs(name, converters, ids)))
        for name, converters in _named_patterns()
    ]
    urls += [
        ("admin", path)
        for path in (
            "/admin/",
            "/admin/auth/user/",
            f"/admin/auth/user/{link.user_id}/change/",
            "/admin/assessments/partnerlink/",
        )
    ]
    assert len(urls) > 80 and {name for name, _url in urls} >= OWN_PARTNER_PAGES
    more = []
    for name, url in urls:
        for method in ("get", "post"):
            # Logging out or stopping ends the partner session: open the link again.
            if access.PARTNER_SESSION_KEY not in partner.session:
                assert open_link(partner, link).status_code == 302
            as_partner = getattr(partner, method)(url)
            as_anonymous = getattr(anonymous, method)(url)
            if _outcome(as_partner) != _outcome(as_anonymous):
                more.append((name, method))
            elif as_partner.status_code == 200:
                assert assessment.title not in as_partner.content.decode(), (name, method)
    assert {name for name, _method in more} == OWN_PARTNER_PAGES, more


def test_a_partner_session_is_no_login_for_the_api_the_profile_or_the_admin(partner):
    assert partner.get("/api/v1/metingen/").status_code == 401
    assert partner.get(reverse("assessments:profile"))["Location"].startswith(reverse("login"))
    assert partner.get(reverse("assessments:home"))["Location"].startswith(reverse("login"))
    assert partner.get("/admin/")["Location"].startswith("/admin/login/")
