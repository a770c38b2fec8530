"""Every URL of the project against every persona.

Which respondents' names and levels each persona sees on the pages that show them (round
page, history, results, exports, PDF, ZIP, API) is the visibility matrix in
tests/rounds/test_visibility.py, one rule in ``access.visibility``.

The matrix lists, per URL name, how to call it and the status each persona gets. A URL
pattern without an entry fails ``test_every_url_is_in_the_matrix``: a new view cannot ship
without deciding who may use it. Admin and static files are left to Django.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.api.services import create_api_token
from assessments.members.services import create_invitation, invite_member
from assessments.models import (
    Action,
    Assessment,
    BatchExport,
    Membership,
    Region,
    RegionInvitation,
    RegionMembership,
    ReportFile,
    Response,
)
from assessments.partners.services import create_partner_link
from assessments.rounds.services import AnswerInput, save_answers
from assessments.sso.services import create_sso_user
from readiness.models import Question
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory
from tests.helpers.oidc import BACKEND, UNREACHABLE, configure

PERSONAS = [
    "anonymous",
    "outsider",
    "viewer",
    "editor",
    "coordinator",
    "consultant",
    "region_coordinator",
    # An editor whose account their first login through the identity provider made (an
    # invitation as editor, accepted by that login; assessments/sso/): exactly an editor.
    "oidc_editor",
]
# Where an entry does not name a persona, it gets what this one gets.
SAME_AS = {"region_coordinator": "outsider", "oidc_editor": "editor"}
LOGIN = "login"  # a redirect to the login page


def member(
    ok: int, *, viewer: int | None = None, editor: int | None = None, coordinator: int | None = None
) -> dict[str, int | str]:
    """Outcomes for a URL of the municipality's data: anonymous to login, outsider 404.

    A consultant reads like a viewer (docs/security.md)."""
    viewer = ok if viewer is None else viewer
    return {
        "anonymous": LOGIN,
        "outsider": 404,
        "viewer": viewer,
        "editor": ok if editor is None else editor,
        "coordinator": ok if coordinator is None else coordinator,
        "consultant": viewer,
    }


def api(ok: int = 200, *, outsider: int | None = None) -> dict[str, int | str]:
    """Outcomes for an API endpoint: 401 without a token or session, else like a page."""
    outsider = ok if outsider is None else outsider
    # A region coordinator is a member of no municipality: an outsider to the API too.
    return {**everyone(ok), "anonymous": 401, "outsider": outsider, "region_coordinator": outsider}


def owner_only(persona: str, ok: int) -> dict[str, int | str]:
    """Something of one user's own (a token, a ZIP): everyone else gets 404."""
    return {**logged_in(404), persona: ok}


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, status)


def logged_in(status: int) -> dict[str, int | str]:
    return {**everyone(status), "anonymous": LOGIN}


@dataclass
class Entry:
    expected: dict[str, int | str]
    method: str = "get"
    data: dict = field(default_factory=dict)
    htmx: bool = False


GRANT_UNTIL = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def question_field(world, name):
    return f"q-{world['question'].pk}-{name}"


MATRIX: dict[str, Entry] = {
    # Accounts and public pages
    "login": Entry(everyone(200)),
    "logout": Entry(everyone(302), method="post"),
    "password_change": Entry(logged_in(200)),
    "password_change_done": Entry(logged_in(200)),
    "password_reset": Entry(everyone(200)),
    "password_reset_done": Entry(everyone(200)),
    "password_reset_confirm": Entry(everyone(200)),
    "password_reset_complete": Entry(everyone(200)),
    "two_factor_setup": Entry(logged_in(200)),
    "two_factor_verify": Entry(logged_in(302)),  # nobody has a device yet: to setup
    "accept_invitation": Entry(everyone(410)),  # an unknown token
    # Login through the identity provider (switched on for this matrix): to the provider;
    # its callback without a code refuses and returns to the login page.
    "oidc_authentication_init": Entry(everyone(302)),
    "oidc_authentication_callback": Entry(everyone(LOGIN)),
    "healthz": Entry(everyone(200)),
    # The test client comes from loopback: metrics are served (tests/privacy/test_metrics.py
    # refuses another address without the token).
    "metrics": Entry(everyone(200)),
    # The public statements (privacy, accessibility): no login.
    "assessments:privacy_statement": Entry(everyone(200)),
    "assessments:accessibility_statement": Entry(everyone(200)),
    "set_language": Entry(everyone(302), method="post", data={"language": "en"}),
    # The scan
    "assessments:home": Entry(logged_in(200)),
    "assessments:start": Entry(member(200, viewer=403, editor=403)),  # coordinators start
    "assessments:detail": Entry(member(200)),
    "assessments:perspective": Entry(
        member(302, viewer=403), method="post", data={"perspective": "wonen"}
    ),
    "assessments:questionnaire": Entry(member(200)),
    "assessments:answer": Entry(
        member(200, viewer=403), method="post", data={"value": "3"}, htmx=True
    ),
    "assessments:answer_history": Entry(member(200)),
    "assessments:close": Entry(member(200, viewer=403, editor=403)),
    "assessments:results": Entry(member(200)),
    # The municipality's rounds side by side: every member reads it.
    "assessments:trend": Entry(member(200)),
    # The dialogue agenda, agreed levels, which responses count, reopening: coordinators.
    "assessments:dialogue": Entry(member(200, viewer=403, editor=403)),
    "assessments:workshop": Entry(member(200, viewer=403, editor=403)),
    "assessments:agreed_level": Entry(member(302, viewer=403, editor=403), method="post"),
    "assessments:response_include": Entry(
        member(302, viewer=403, editor=403), method="post", data={"included": "ja"}
    ),
    "assessments:reopen": Entry(member(200, viewer=403, editor=403)),
    "assessments:targets": Entry(
        member(302, viewer=403),
        method="post",
        data={"wijkbasis": "4", "samenwerking": "3", "start_nu": "2"},
    ),
    "assessments:due_date": Entry(
        member(302, viewer=403, editor=403), method="post", data={"due_date": "2099-12-31"}
    ),
    # The signed link from a reminder e-mail, without login; this token is not a signed one.
    "assessments:unsubscribe": Entry(everyone(400)),
    "assessments:members": Entry(member(200, viewer=403, editor=403)),
    "assessments:member_role": Entry(
        member(302, viewer=403, editor=403), method="post", data={"role": "viewer"}
    ),
    "assessments:member_remove": Entry(member(200, viewer=403, editor=403)),
    # Consultants: granted (time-limited) and revoked by a coordinator.
    "assessments:consultant_grant": Entry(
        member(302, viewer=403, editor=403),
        method="post",
        data={"adviseur-email": "extern@example.org", "adviseur-valid_until": GRANT_UNTIL},
    ),
    "assessments:consultant_revoke": Entry(member(302, viewer=403, editor=403), method="post"),
    # Pending invitations: sent again or withdrawn by a coordinator.
    "assessments:invitation_resend": Entry(member(302, viewer=403, editor=403), method="post"),
    "assessments:invitation_withdraw": Entry(member(302, viewer=403, editor=403), method="post"),
    # The profile with personal API tokens: one's own only.
    "assessments:profile": Entry(logged_in(200)),
    "assessments:api_token_revoke": Entry(owner_only("coordinator", 302), method="post"),
    # Batch export: anyone may choose among their own rounds; the ZIP is its requester's.
    "assessments:batch_export_new": Entry(logged_in(200)),
    "assessments:batch_export": Entry(owner_only("consultant", 200)),
    "assessments:batch_export_status": Entry(owner_only("consultant", 200), htmx=True),
    "assessments:batch_export_download": Entry(owner_only("consultant", 200)),
    # The read-only API: the same rules as the pages, 401 instead of a login redirect.
    "api:municipalities": Entry(api()),
    "api:municipality": Entry(api(outsider=404)),
    "api:rounds": Entry(api()),
    "api:round": Entry(api(outsider=404)),
    "api:round_scores": Entry(api(outsider=404)),
    "api:round_actions": Entry(api(outsider=404)),
    "api:round_legal_duties": Entry(api(outsider=404)),
    "api:round_indicators": Entry(api(outsider=404)),
    # The regional heat map: a region's coordinators only, like its page.
    "api:regions": Entry(api()),
    "api:region_heatmap": Entry({**api(404), "region_coordinator": 200}),
    "api:root": Entry(everyone(200)),  # links only, like the schema and the docs
    "api:schema": Entry(everyone(200)),
    "api:docs": Entry(everyone(200)),
    # The report's cover (logos, consultant): coordinators only. The write is checked
    # here; reading it, likewise, in tests/reports/test_branding.py.
    "assessments:report_branding": Entry(
        member(302, viewer=403, editor=403), method="post", data={"consultant_name": "Bureau"}
    ),
    # Action plan, report and exports
    "assessments:actions": Entry(member(200)),
    "assessments:action_timeline": Entry(member(200)),
    "assessments:actions_propose": Entry(member(302, viewer=403), method="post"),
    "assessments:action_add": Entry(member(200, viewer=403)),
    "assessments:action_edit": Entry(member(200, viewer=403)),
    "assessments:action_delete": Entry(member(200, viewer=403)),
    # A closed round's action during the year: coordinators and the action's owner (the
    # editor here owns none; tests/plans/test_follow_up.py has the owner).
    "assessments:action_follow_up": Entry(member(200, viewer=403, editor=403)),
    "assessments:actions_xlsx": Entry(member(200)),
    "assessments:answers_xlsx": Entry(member(200)),
    "assessments:answers_csv": Entry(member(200)),
    "assessments:scores_csv": Entry(member(200)),
    # Every member may make and download the report (it changes nothing of the round).
    # A region's heat map and PDF: its region coordinators only, members of its
    # municipalities included get 404. Sharing a round with the region: coordinators.
    "assessments:region": Entry({**logged_in(404), "region_coordinator": 200}),
    "assessments:region_pdf": Entry({**logged_in(404), "region_coordinator": 200}),
    "assessments:region_consent": Entry(
        member(302, viewer=403, editor=403), method="post", data={"delen": "ja"}
    ),
    # Setting up a region without /admin: a municipality's regions page, creating a region
    # and answering a region's invitation are for its coordinators; managing a region is
    # for the coordinators of its lead (a regio-coördinator of the region gets 403).
    "assessments:municipality_regions": Entry(member(200, viewer=403, editor=403)),
    "assessments:region_create": Entry(member(200, viewer=403, editor=403)),
    "assessments:region_invitation_answer": Entry(
        member(302, viewer=403, editor=403), method="post", data={"besluit": "afwijzen"}
    ),
    "assessments:region_manage": Entry(
        {**member(200, viewer=403, editor=403), "region_coordinator": 403}
    ),
    "assessments:region_invite": Entry(
        {**member(302, viewer=403, editor=403), "region_coordinator": 403}, method="post"
    ),
    "assessments:region_coordinator_appoint": Entry(
        {**member(302, viewer=403, editor=403), "region_coordinator": 403},
        method="post",
        data={"regio-email": "nieuw.regio@example.org"},
    ),
    "assessments:region_invitation_withdraw": Entry(
        {**member(302, viewer=403, editor=403), "region_coordinator": 403}, method="post"
    ),
    "assessments:region_coordinator_invitation_withdraw": Entry(
        {**member(302, viewer=403, editor=403), "region_coordinator": 403}, method="post"
    ),
    "assessments:region_coordinator_remove": Entry(
        {**member(302, viewer=403, editor=403), "region_coordinator": 403}, method="post"
    ),
    # The concept report of an open round shows every level: not for an editor, who
    # answers independently (access.visibility; tests/rounds/test_visibility.py).
    "assessments:report": Entry(member(200, editor=403)),
    "assessments:report_make": Entry(member(302, editor=403), method="post"),
    "assessments:report_status": Entry(member(200, editor=403), htmx=True),
    "assessments:report_download": Entry(member(200, editor=403)),
    # The voortgangsrapportage shows the plan only, no respondents or levels: every
    # member, editors of an open round included (a region coordinator is an outsider).
    "assessments:progress_pdf": Entry(member(200)),
    # Partner links: made, shown and revoked by coordinators (tests/partners/).
    "assessments:partner_links": Entry(member(200, viewer=403, editor=403)),
    "assessments:partner_link": Entry(member(200, viewer=403, editor=403)),
    "assessments:partner_link_revoke": Entry(member(302, viewer=403, editor=403), method="post"),
    # The partner's pages: a link's signed token (not this one), or a partner session,
    # which no member has; what a partner session reaches is in tests/partners/.
    "assessments:partner_entry": Entry(everyone(403)),
    "assessments:partner_home": Entry(everyone(403)),
    "assessments:partner_questionnaire": Entry(everyone(403)),
    "assessments:partner_answer": Entry(everyone(403), method="post", htmx=True),
    "assessments:partner_leave": Entry(everyone(403), method="post"),
    # The blank questionnaire holds the framework's statements only: every member.
    "assessments:blank_questionnaire": Entry(member(200)),
    "assessments:blank_step_questionnaire": Entry(member(200)),
    # Importing a workshop's answers or agreed levels: coordinators of an open round.
    "assessments:answers_import": Entry(member(200, viewer=403, editor=403)),
}


def url_names(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"URL pattern without a name: {pattern.pattern}")
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    names = url_names()
    assert names - set(MATRIX) == set(), "URLs without an entry in the permission matrix"
    assert set(MATRIX) - names == set(), "matrix entries for URLs that do not exist"


@pytest.fixture
def oidc_editor(settings, municipality, coordinator):
    """Invited as an editor; the first login through the provider made the account."""
    configure(settings, UNREACHABLE)
    email = "sso.invuller@zonnedal.example"
    invite_member(municipality=municipality, email=email, role="editor", invited_by=coordinator)
    return create_sso_user(email=email, first_name="Sam", last_name="Invuller")


@pytest.fixture
def world(
    oidc_editor,
    region,
    region_coordinator,
    assessment,
    coordinator,
    editor,
    second_editor,
    viewer,
    outsider,
    consultant,
):
    action = Action.objects.create(assessment=assessment, title="Woonafspraken maken")
    target = Membership.objects.get(user=editor, municipality=assessment.municipality)
    # A second coordinator, so that changing or removing one is allowed by the rules.
    MembershipFactory(municipality=assessment.municipality, role="coordinator", user=UserFactory())
    # Two respondents two levels apart, counted by the coordinator although they answered
    # one question only: a statement on the dialogue agenda.
    question = Question.objects.filter(framework=assessment.framework).first()
    for user, value in ((editor, "1"), (second_editor, "3")):
        save_answers(assessment=assessment, user=user, items=[AnswerInput(question, value, "")])
    Response.objects.filter(assessment=assessment).update(is_included=True)
    response = Response.objects.get(assessment=assessment, respondent=editor)
    # A rendered report to download, made after the answers (else it is outdated).
    # ("Rapport maken" replaces it; its render is queued after the commit, which a test
    # that rolls back never reaches: nothing renders.)
    ReportFile.objects.create(
        assessment=assessment, status=ReportFile.Status.READY, pdf=b"%PDF-", filename="r.pdf"
    )
    # A closed round of the same municipality, to reopen.
    closed = Assessment.objects.create(
        municipality=assessment.municipality,
        framework=assessment.framework,
        title="Afgesloten ronde",
        status=Assessment.Status.CLOSED,
    )
    closed_action = Action.objects.create(assessment=closed, title="Woningen reserveren")
    # Someone from outside with an account, to be granted access as a consultant.
    UserFactory(username="extern", email="extern@example.org")
    token, _secret = create_api_token(user=coordinator, name="Power BI", days=30)
    invitation, _link_token = invite_member(
        municipality=assessment.municipality,
        email="nieuw@example.org",
        role="editor",
        invited_by=coordinator,
        assessment=assessment,
    )
    partner_link = create_partner_link(
        assessment=assessment,
        organisation="Woningcorporatie De Woonplaats",
        perspective="corporatie",
        expires_at=timezone.now() + datetime.timedelta(days=30),
        created_by=coordinator,
    )
    export = BatchExport.objects.create(
        requester=consultant,
        assessment_ids=[assessment.pk],
        status=BatchExport.Status.READY,
        zip=b"PK\x05\x06" + bytes(18),
        total=1,
        done=1,
        expires_at=timezone.now() + BatchExport.KEEP,
    )
    # A region led by another municipality asks this one to join; a municipality this
    # persona's region may invite.
    other_region = Region.objects.create(
        name="Regio Heuvelland", kind=Region.Kind.OWN, lead=outsider.memberships.get().municipality
    )
    region_invitation = RegionInvitation.objects.create(
        region=other_region, municipality=assessment.municipality
    )
    # This region's own open questions: a municipality invited, a regio-coördinator too.
    own_region_invitation = RegionInvitation.objects.create(
        region=region, municipality=MunicipalityFactory(name="Gevraagd")
    )
    coordinator_invitation, _link = create_invitation(
        municipality=region.lead,
        region=region,
        role="region_coordinator",
        email="regio.nieuw@example.org",
        invited_by=coordinator,
    )
    return {
        "assessment": assessment,
        "region_invitation": region_invitation,
        "own_region_invitation": own_region_invitation,
        "coordinator_invitation": coordinator_invitation,
        "invitee": MunicipalityFactory(name="Uitgenodigd"),
        "region_coordinator_membership": RegionMembership.objects.get(
            user=region_coordinator, region=region
        ),
        "token": token,
        "invitation": invitation,
        "export": export,
        "consultant_membership": Membership.objects.get(
            user=consultant, municipality=assessment.municipality
        ),
        "question": question,
        "response": response,
        "closed": closed,
        "closed_action": closed_action,
        "action": action,
        "partner_link": partner_link,
        "region": region,
        "membership": target,
        "users": {
            "outsider": outsider,
            "viewer": viewer,
            "editor": editor,
            "coordinator": coordinator,
            "consultant": consultant,
            "region_coordinator": region_coordinator,
            "oidc_editor": oidc_editor,
        },
    }


def url_for(name: str, world) -> str:
    a = world["assessment"]
    args = {
        "assessments:start": [a.municipality_id],
        "assessments:members": [a.municipality_id],
        "assessments:report_branding": [a.municipality_id],
        "assessments:member_role": [a.municipality_id, world["membership"].pk],
        "assessments:member_remove": [a.municipality_id, world["membership"].pk],
        "assessments:answer": [a.pk, world["question"].pk],
        "assessments:answer_history": [a.pk, world["question"].pk],
        "assessments:questionnaire": [a.pk, "wijkbasis"],
        "assessments:blank_step_questionnaire": [a.pk, "wijkbasis"],
        "assessments:action_edit": [a.pk, world["action"].pk],
        "assessments:action_delete": [a.pk, world["action"].pk],
        "assessments:action_follow_up": [world["closed"].pk, world["closed_action"].pk],
        "assessments:workshop": [a.pk, 1],
        "assessments:agreed_level": [a.pk, world["question"].pk],
        "assessments:response_include": [a.pk, world["response"].pk],
        "assessments:consultant_grant": [a.municipality_id],
        "assessments:consultant_revoke": [a.municipality_id, world["consultant_membership"].pk],
        "assessments:invitation_resend": [a.municipality_id, world["invitation"].pk],
        "assessments:invitation_withdraw": [a.municipality_id, world["invitation"].pk],
        "assessments:api_token_revoke": [world["token"].pk],
        "assessments:batch_export": [world["export"].pk],
        "assessments:batch_export_status": [world["export"].pk],
        "assessments:batch_export_download": [world["export"].pk],
        "api:municipality": [a.municipality_id],
        "api:round": [a.pk],
        "api:round_scores": [a.pk],
        "api:round_actions": [a.pk],
        "api:round_legal_duties": [a.pk],
        "api:round_indicators": [a.pk],
        "api:region_heatmap": [world["region"].pk],
        "assessments:reopen": [world["closed"].pk],
        "assessments:region": [world["region"].pk],
        "assessments:region_pdf": [world["region"].pk],
        "assessments:partner_link": [a.pk, world["partner_link"].pk],
        "assessments:partner_link_revoke": [a.pk, world["partner_link"].pk],
        "assessments:partner_entry": [world["partner_link"].pk],
        "assessments:partner_home": [world["partner_link"].pk],
        "assessments:partner_questionnaire": [world["partner_link"].pk, "wijkbasis"],
        "assessments:partner_answer": [world["partner_link"].pk, world["question"].pk],
        "assessments:partner_leave": [world["partner_link"].pk],
        "assessments:region_manage": [world["region"].pk],
        "assessments:region_invite": [world["region"].pk],
        "assessments:region_coordinator_appoint": [world["region"].pk],
        "assessments:region_coordinator_remove": [
            world["region"].pk,
            world["region_coordinator_membership"].pk,
        ],
        "assessments:region_invitation_withdraw": [
            world["region"].pk,
            world["own_region_invitation"].pk,
        ],
        "assessments:region_coordinator_invitation_withdraw": [
            world["region"].pk,
            world["coordinator_invitation"].pk,
        ],
        "assessments:municipality_regions": [a.municipality_id],
        "assessments:region_create": [a.municipality_id],
        "assessments:region_invitation_answer": [
            a.municipality_id,
            world["region_invitation"].pk,
        ],
        "password_reset_confirm": ["MQ", "set-password"],
        "accept_invitation": ["onbekend-token"],
        "assessments:unsubscribe": ["onbekend-token"],
    }
    if name in args:
        return reverse(name, args=args[name])
    if name.startswith("assessments:") and name not in {
        "assessments:home",
        "assessments:profile",
        "assessments:batch_export_new",
        "assessments:privacy_statement",
        "assessments:accessibility_statement",
    }:
        return reverse(name, args=[a.pk])
    return reverse(name)


CASES = [(name, persona) for name in sorted(MATRIX) for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), CASES)
def test_permission_matrix(client, world, name, persona):
    entry = MATRIX[name]
    if persona == "oidc_editor":
        client.force_login(world["users"][persona], backend=BACKEND)
    elif persona != "anonymous":
        client.force_login(world["users"][persona])
    data = dict(entry.data)
    if name == "assessments:answer":
        data = {question_field(world, "value"): "3"}
    if name == "assessments:agreed_level":
        prefix = f"v{world['question'].pk}"
        data = {f"{prefix}-level": "2", f"{prefix}-rationale": "Samen besproken"}
    if name == "assessments:region_invite":
        data = {"municipality": world["invitee"].pk}
    headers = {"HTTP_HX_REQUEST": "true"} if entry.htmx and persona != "anonymous" else {}
    response = getattr(client, entry.method)(url_for(name, world), data, **headers)
    # A region coordinator is a member of no municipality: where an entry does not say
    # otherwise, they get what an outsider gets; an editor made by the SSO login, an editor's.
    expected = entry.expected.get(persona, entry.expected.get(SAME_AS.get(persona, persona)))
    if expected == LOGIN:
        assert response.status_code == 302, (name, persona, response.status_code)
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, (name, persona, response.status_code)
