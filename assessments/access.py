"""The one place that decides who may see or change what.

Every view loads its objects through these functions:
- a round of a municipality the user is not a member of does not exist for them (404), so
  its existence is never leaked;
- a write by a member without the right role is refused (403);
- a closed round cannot be changed by anyone (403 with a message saying why), except the
  follow-up of its actions (status, owner, deadline, progress) by a coordinator or the
  action's owner, until a newer round takes the actions over.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from assessments.models import (
    Action,
    Answer,
    ApiToken,
    Assessment,
    AssessmentQuerySet,
    BatchExport,
    BatchExportPart,
    Invitation,
    Membership,
    MembershipQuerySet,
    Municipality,
    PartnerLink,
    Region,
    RegionInvitation,
    RegionMembership,
)
from readiness.models import Question

EDIT_ROLES = {Membership.Role.COORDINATOR, Membership.Role.EDITOR}
MANAGE_ROLES = {Membership.Role.COORDINATOR}
# Respondents who neither manage nor only read: they answer independently (sees_all_answers).
EDITOR_ONLY = {Membership.Role.EDITOR}
# Who sees respondents' names: coordinators only (``visibility``).
NAME_ROLES = {Membership.Role.COORDINATOR}


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``login_required`` that answers 401 to htmx instead of a redirect.

    A redirect would be followed by the browser and the login page would arrive as a
    2xx response: the autosave would then look successful while nothing was saved.
    """
    redirecting = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.htmx and not request.user.is_authenticated:
            return HttpResponse(
                _("Uw sessie is verlopen. Log opnieuw in; dit antwoord is niet opgeslagen."),
                status=401,
                content_type="text/plain; charset=utf-8",
            )
        return redirecting(request, *args, **kwargs)

    return wrapper


class NotFoundForUser(Http404):
    """Not there, or not the user's: the two look the same to the user (no leak), but the
    security log records the refusal (see ``assessments.common.errors.page_not_found``)."""


_T = TypeVar("_T")


def _found(obj: _T | None, message: str) -> _T:
    """``obj`` as it was looked up for the user, or a 404 saying what is not there."""
    if obj is None:
        raise NotFoundForUser(message)
    return obj


def get_membership(user, municipality_id: int) -> Membership:
    """The user's membership of a municipality, or 404."""
    membership = (
        Membership.objects.current()
        .select_related("municipality")
        .filter(user=user.pk, municipality_id=municipality_id)
        .first()
    )
    return _found(membership, _("Deze gemeente bestaat niet of u heeft er geen toegang toe."))


def memberships_for_user(user) -> MembershipQuerySet:
    """The user's memberships that give access now, with their municipality.

    An expired consultant membership is left out: to every page and the API it is as if
    it were not there.
    """
    if user.pk is None:
        return Membership.objects.none()
    return Membership.objects.current().filter(user=user.pk).select_related("municipality")


def municipalities_for_user(user):
    """The municipalities the user is a current member of (the API's list)."""
    return Municipality.objects.filter(pk__in=memberships_for_user(user).values("municipality_id"))


def assessments_for_user(user) -> AssessmentQuerySet:
    """Every round the user may read, annotated with ``member_role`` (pages and the API)."""
    if user.pk is None:
        return Assessment.objects.none()
    return Assessment.objects.for_user(user).select_related("municipality", "framework")


def get_batch_export_for_requester(user, pk: int) -> BatchExport:
    """A batch export of the user's own, not yet expired; anyone else's is a 404 (also a
    colleague's of the same municipality: the ZIP can hold other municipalities' rounds)."""
    export = (
        BatchExport.objects.current().filter(pk=pk, requester=user.pk).first()
        if user.pk is not None
        else None
    )
    return _found(export, _("Deze export bestaat niet (meer) of is niet van u."))


def get_batch_export_for_download(user, pk: int) -> BatchExport:
    """A batch export the user may still download: their own, not expired, and every round
    in it still readable by them now. Access is checked when the file is used, not only
    when it was made: a consultant whose access ended or was revoked gets nothing."""
    export = get_batch_export_for_requester(user, pk)
    asked = Assessment.objects.filter(pk__in=export.assessment_ids).count()
    if assessments_for_user(user).filter(pk__in=export.assessment_ids).count() < asked:
        raise PermissionDenied(
            _(
                "U heeft geen toegang meer tot alle metingen in deze export. Vraag een nieuwe "
                "export aan: die bevat alleen wat u nu mag zien."
            )
        )
    return export


def batch_export_parts_for_requester(user, export: BatchExport) -> list[BatchExportPart]:
    """The rounds of the user's own export with their progress, for its page: only the
    rounds the user may still read (a round they lost access to is not named)."""
    return list(
        BatchExportPart.objects.filter(
            export=export, assessment__in=assessments_for_user(user).values("pk")
        )
        .select_related("assessment__municipality")
        .defer("files")
        .order_by("assessment__municipality__name", "-assessment__created_at")
    )


def get_api_token_for_owner(user, pk: int) -> ApiToken:
    """One of the user's own API tokens; another user's is a 404."""
    token = ApiToken.objects.filter(pk=pk, user=user.pk).first() if user.pk else None
    return _found(token, _("Deze sleutel bestaat niet of is niet van u."))


def coordinated_municipality(user, municipality_id: int, refusal: str) -> Municipality:
    """A municipality of the user's in which they are a coordinator: 404 for outsiders,
    403 with ``refusal`` (what only a coordinator may do there) for other roles."""
    membership = get_membership(user, municipality_id)
    require_role(membership.role, MANAGE_ROLES, refusal)
    return membership.municipality


def get_municipality_for_manage(user, municipality_id: int) -> Municipality:
    """A municipality whose members the user manages: coordinators only."""
    return coordinated_municipality(
        user, municipality_id, _("Alleen een coördinator van deze gemeente kan leden beheren.")
    )


def get_municipality_for_branding(user, municipality_id: int) -> Municipality:
    """A municipality whose report cover the user may change: coordinators only."""
    return coordinated_municipality(
        user,
        municipality_id,
        _("Alleen een coördinator van deze gemeente kan het voorblad van het rapport aanpassen."),
    )


def get_member_for_manage(user, municipality_id: int, membership_id: int) -> Membership:
    """A membership of a municipality the user manages; another municipality's is a 404."""
    municipality = get_municipality_for_manage(user, municipality_id)
    membership = (
        Membership.objects.select_related("user", "municipality")
        .filter(pk=membership_id, municipality=municipality)
        .first()
    )
    return _found(membership, _("Dit lid bestaat niet of u heeft er geen toegang toe."))


def get_invitation_for_manage(user, municipality_id: int, invitation_id: int) -> Invitation:
    """An open invitation (not accepted, not withdrawn) of a municipality the user manages;
    another municipality's, or one that is no longer open, is a 404."""
    municipality = get_municipality_for_manage(user, municipality_id)
    invitation = (
        Invitation.objects.pending()
        .select_related("municipality", "assessment")
        .filter(
            pk=invitation_id,
            municipality=municipality,
            region__isnull=True,  # a regio-coördinator's: on the region's page
        )
        .first()
    )
    return _found(invitation, _("Deze uitnodiging bestaat niet (meer) of is al gebruikt."))


def require_role(role: str, allowed: set[str], message: str) -> None:
    if role not in allowed:
        raise PermissionDenied(message)


def get_municipality_for_rounds(user, municipality_id: int) -> Municipality:
    """A municipality in which the user may start a round: coordinators only."""
    return coordinated_municipality(
        user,
        municipality_id,
        _("Alleen een coördinator van deze gemeente kan een meting starten of afsluiten."),
    )


def get_assessment_for_view(user, pk: int) -> Assessment:
    """A round of one of the user's municipalities (``member_role`` set), or 404."""
    # get(), not first(): it drops the default ordering (a join on the municipality's name)
    # and builds a cheaper query; this runs on every page of a round and every autosave.
    try:
        assessment = assessments_for_user(user).get(pk=pk)
    except Assessment.DoesNotExist:
        assessment = None
    return _found(assessment, _("Deze meting bestaat niet of u heeft er geen toegang toe."))


def coordinated_assessment(user, pk: int, refusal: str) -> Assessment:
    """A round, open or closed, of a municipality in which the user is a coordinator: 404
    for outsiders, 403 with ``refusal`` for other roles."""
    assessment = get_assessment_for_view(user, pk)
    require_role(assessment.member_role, MANAGE_ROLES, refusal)
    return assessment


def get_assessment_for_edit(user, pk: int) -> Assessment:
    """A round the user may change: 404 for outsiders, 403 for viewers and closed rounds."""
    assessment = get_assessment_for_view(user, pk)
    require_role(
        assessment.member_role,
        EDIT_ROLES,
        _("U mag deze meting alleen bekijken; vraag een coördinator om invulrechten."),
    )
    if not assessment.is_open:
        raise PermissionDenied(
            _("Deze meting is afgesloten. Antwoorden en instellingen kunnen niet meer veranderen.")
        )
    return assessment


def get_assessment_for_manage(user, pk: int) -> Assessment:
    """A round the user may close or manage: coordinators only."""
    assessment = get_assessment_for_edit(user, pk)
    require_role(
        assessment.member_role,
        MANAGE_ROLES,
        _("Alleen een coördinator van deze gemeente kan dit doen."),
    )
    return assessment


def get_assessment_for_dialogue(user, pk: int) -> Assessment:
    """A round whose dialogue agenda the user leads: coordinators, open or closed round
    (recording an agreed level goes through ``get_assessment_for_manage``)."""
    return coordinated_assessment(
        user, pk, _("Alleen een coördinator van deze gemeente kan de gespreksagenda gebruiken.")
    )


def get_closed_assessment_for_manage(user, pk: int) -> Assessment:
    """A closed round the user may reopen: coordinators only; an open round is a 403."""
    assessment = coordinated_assessment(
        user, pk, _("Alleen een coördinator van deze gemeente kan dit doen.")
    )
    if assessment.is_open:
        raise PermissionDenied(_("Deze meting is open; heropenen is niet nodig."))
    return assessment


def get_question_of_round(assessment: Assessment, question_id: int) -> Question:
    """A statement of the round's version of the questionnaire (the round was loaded for
    the user already); any other id is a 404."""
    question = Question.objects.filter(pk=question_id, framework=assessment.framework_id).first()
    if question is None:
        raise Http404(_("Deze vraag hoort niet bij deze meting."))
    return question


def is_taken_over(assessment: Assessment) -> bool:
    """Whether a newer round carried this round's actions forward: from then on the plan
    lives on there and this round's actions are read-only again."""
    return Action.objects.filter(carried_from__assessment=assessment.pk).exists()


def may_follow_up(assessment: Assessment, owner_user_id: int | None, user) -> bool:
    """Who keeps a closed round's plan up to date: its coordinators, and the owner of an
    action (a current member who is not a consultant: consultants only read). The round is
    loaded through this module (``member_role`` set); ``is_taken_over`` is checked apart,
    once per page."""
    if assessment.is_open:
        return False
    role = assessment.member_role
    if role in MANAGE_ROLES:
        return True
    return (
        owner_user_id is not None
        and owner_user_id == user.pk
        and role != Membership.Role.CONSULTANT
    )


def get_action_for_follow_up(user, pk: int, action_id: int) -> Action:
    """An action of a closed round whose follow-up the user may record (``may_follow_up``):
    404 for another municipality's round or an action of another round, 403 for anyone
    else, for an open round (its plan is edited as a whole) and once a newer round has
    taken the actions over. ``action.assessment`` is the round with ``member_role``."""
    assessment = get_assessment_for_view(user, pk)
    action = Action.objects.filter(pk=action_id, assessment=assessment.pk).first()
    if action is None:
        raise NotFoundForUser(_("Deze actie bestaat niet (meer) in deze meting."))
    action.assessment = assessment
    if assessment.is_open:
        raise PermissionDenied(
            _("Deze meting is nog open. Wijzig de actie in het actieplan met “Bewerken”.")
        )
    if not may_follow_up(assessment, action.owner_user_id, user):
        raise PermissionDenied(
            _("Alleen een coördinator of de eigenaar van deze actie kan de voortgang bijwerken.")
        )
    if is_taken_over(assessment):
        raise PermissionDenied(
            _(
                "Een nieuwere meting heeft de acties van deze meting overgenomen. Werk de "
                "voortgang bij in het actieplan van die meting."
            )
        )
    return action


def can_edit(assessment: Assessment) -> bool:
    return assessment.is_open and assessment.member_role in EDIT_ROLES


def can_manage(assessment: Assessment) -> bool:
    return assessment.is_open and assessment.member_role in MANAGE_ROLES


class Visibility:
    """What one user may see of the people behind a round's answers: the one rule.

    Every page, export, PDF, ZIP and API answer that shows respondents asks
    ``visibility()`` (docs/security.md, "Who sees whose answers"):

    - **names**: only coordinators see who the respondents are: they manage people and
      chase who has not started. Everyone else (editors, viewers, consultants) sees
      "Invuller 2 (Wonen)": a number and a perspective, never a name. A region
      coordinator sees no respondents at all (only the shared theme scores).
    - **colleagues' levels and notes**: while a round is open, an editor answers
      independently and sees colleagues' answers to a statement only after answering it
      (``answered``). Coordinators, viewers and consultants see all; after closing,
      everyone does.
    """

    def __init__(self, *, names: bool, all_answers: bool, assessment: Assessment, user) -> None:
        self.names = names
        self.all_answers = all_answers
        self._assessment = assessment
        self._user = user

    @cached_property
    def answered(self) -> frozenset[str]:
        """The statements the user answered (read only when needed: one query)."""
        if self.all_answers:
            return frozenset()
        return frozenset(answered_question_codes(self._assessment, self._user))

    def sees_answers_to(self, question_code: str) -> bool:
        return self.all_answers or question_code in self.answered

    @property
    def only_questions(self) -> set[str] | None:
        """For exports: the statements whose answers may be in the file; None: all."""
        return None if self.all_answers else set(self.answered)


def visibility(assessment: Assessment, user) -> Visibility:
    """The rule for ``user`` in ``assessment`` (loaded through this module, so that
    ``member_role`` is the user's current role)."""
    role = assessment.member_role
    return Visibility(
        names=role in NAME_ROLES,
        all_answers=not assessment.is_open or role not in EDITOR_ONLY,
        assessment=assessment,
        user=user,
    )


def respondent_label(number: int, perspective: str) -> str:
    """How a respondent is shown to whoever may not see names: "Invuller 2 (Wonen)"."""
    if perspective:
        return _("Invuller %(n)s (%(perspective)s)") % {"n": number, "perspective": perspective}
    return _("Invuller %(n)s") % {"n": number}


def answered_question_codes(assessment: Assessment, user) -> set[str]:
    """Codes of the questions the user answered in the round (a level, 'weet niet', 'n.v.t.',
    a legal duty's state, or an indicator's number)."""
    return set(
        Answer.objects.filter(response__assessment=assessment, response__respondent=user.pk)
        .exclude(value="", number__isnull=True)
        .values_list("question__code", flat=True)
    )


def get_region_for_view(user, region_id: int) -> Region:
    """A region the user coordinates (``RegionMembership``), or 404 for everyone else:
    a member of a municipality in the region sees nothing of the others through it."""
    region = (
        Region.objects.filter(pk=region_id, memberships__user=user.pk)
        .select_related("lead")
        .first()
        if user.pk is not None
        else None
    )
    return _found(region, _("Deze regio bestaat niet of u heeft er geen toegang toe."))


def regions_for(user):
    """The regions the user coordinates, for the home page."""
    return Region.objects.filter(memberships__user=user.pk).order_by("name")


def get_municipality_for_regions(user, municipality_id: int) -> Municipality:
    """A municipality whose regions the user handles (create one, answer an invitation):
    coordinators only."""
    return coordinated_municipality(
        user,
        municipality_id,
        _(
            "Alleen een coördinator van deze gemeente kan regio's aanmaken of uitnodigingen "
            "beantwoorden."
        ),
    )


def get_region_for_manage(user, region_id: int) -> Region:
    """A region the user manages: coordinators of its lead municipality only. Another
    member of the lead, or a regio-coördinator of the region, knows the region: 403;
    anyone else 404 (a member municipality's coordinator too: the lead manages)."""
    region = (
        Region.objects.select_related("lead").filter(pk=region_id).first()
        if user.pk is not None
        else None
    )
    role = None
    if region is not None and region.lead_id is not None:
        role = (
            Membership.objects.current()
            .filter(user=user.pk, municipality=region.lead_id)
            .values_list("role", flat=True)
            .first()
        )
    message = _("Alleen een coördinator van de trekkende gemeente kan deze regio beheren.")
    if role is None:
        if region is not None and region.memberships.filter(user=user.pk).exists():
            raise PermissionDenied(message)
        raise NotFoundForUser(_("Deze regio bestaat niet of u heeft er geen toegang toe."))
    require_role(role, MANAGE_ROLES, message)
    return region


def get_region_invitation_for_answer(
    user, municipality_id: int, invitation_id: int
) -> RegionInvitation:
    """An open invitation of a region to a municipality the user is coordinator of; one to
    another municipality, or one already answered, is a 404."""
    municipality = get_municipality_for_regions(user, municipality_id)
    return _pending_region_invitation(invitation_id, municipality=municipality)


def get_region_coordinator_for_manage(user, region_id: int, membership_id: int) -> RegionMembership:
    """A regio-coördinator's role in a region the user manages; another region's is a 404."""
    region = get_region_for_manage(user, region_id)
    membership = (
        RegionMembership.objects.select_related("user", "region")
        .filter(pk=membership_id, region=region)
        .first()
    )
    return _found(membership, _("Deze regio-coördinator bestaat niet (meer) in deze regio."))


def get_region_invitation_for_withdraw(
    user, region_id: int, invitation_id: int
) -> RegionInvitation:
    """An unanswered invitation of a region the user manages; another region's is a 404."""
    region = get_region_for_manage(user, region_id)
    return _pending_region_invitation(invitation_id, region=region)


def _pending_region_invitation(invitation_id: int, **within) -> RegionInvitation:
    invitation = (
        RegionInvitation.objects.pending()
        .select_related("region", "municipality")
        .filter(pk=invitation_id, **within)
        .first()
    )
    return _found(invitation, _("Deze uitnodiging bestaat niet (meer) of is al beantwoord."))


def get_coordinator_invitation_for_manage(user, region_id: int, invitation_id: int) -> Invitation:
    """An open invitation to become regio-coördinator of a region the user manages."""
    region = get_region_for_manage(user, region_id)
    invitation = (
        Invitation.objects.pending()
        .select_related("municipality", "region")
        .filter(pk=invitation_id, region=region)
        .first()
    )
    return _found(invitation, _("Deze uitnodiging bestaat niet (meer) of is al gebruikt."))


def get_assessment_for_consent(user, pk: int) -> Assessment:
    """A round whose sharing with the region the user decides: coordinators of its
    municipality, open or closed (sharing changes nothing of the round's results)."""
    return coordinated_assessment(
        user,
        pk,
        _("Alleen een coördinator van deze gemeente kan delen met de regio aan- of uitzetten."),
    )


def get_assessment_for_partner_links(user, pk: int) -> Assessment:
    """A round whose partner links the user sees and revokes: its coordinators, open or
    closed (making a link goes through ``get_assessment_for_manage``: open rounds only)."""
    return coordinated_assessment(
        user, pk, _("Alleen een coördinator van deze gemeente kan partnerlinks beheren.")
    )


def get_partner_link_for_manage(user, pk: int, link_id: int) -> PartnerLink:
    """A partner link of a round whose links the user manages; a link of another round is
    a 404. ``link.assessment`` is the round with ``member_role``."""
    assessment = get_assessment_for_partner_links(user, pk)
    link = PartnerLink.objects.filter(pk=link_id, assessment=assessment.pk).first()
    if link is None:
        raise NotFoundForUser(_("Deze partnerlink bestaat niet (meer) in deze meting."))
    link.assessment = assessment
    return link


# The session key of a partner's session: the id of the link it was opened with. A partner
# is never logged in: every member page, the API and the admin see an anonymous visitor.
PARTNER_SESSION_KEY = "scan_partner_link"


class PartnerLinkRefused(PermissionDenied):
    """A partner page without a usable link: the message says why, in plain Dutch."""


def get_partner_link_for_session(session, link_id: int) -> PartnerLink:
    """The link a partner's session was opened with, if it is ``link_id`` and usable now
    (asked on every request: revoking or an end date takes effect at once); otherwise
    ``PartnerLinkRefused`` with the reason."""
    if session.get(PARTNER_SESSION_KEY) != link_id:
        raise PartnerLinkRefused(
            _(
                "Deze pagina is alleen te openen via de partnerlink die u van de gemeente "
                "kreeg. Open die link (of scan de QR-code) opnieuw."
            )
        )
    link = (
        PartnerLink.objects.select_related("user", "assessment__municipality")
        .filter(pk=link_id)
        .first()
    )
    problem = _("Deze link bestaat niet meer.") if link is None else link.unusable_reason()
    if problem:
        raise PartnerLinkRefused(problem)
    return link
