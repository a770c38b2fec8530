"""Operations that span models: starting a round, saving answers, closing a round.

Each is atomic and raises ``ValidationError`` with a message a user can read. Callers
(views) have already checked access through ``assessments/access.py``; the services check
the rules of the domain (an open round, a question of the round's framework, the scale).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.models import (
    ActionLevel,
    ActionTemplate,
    AnswerValue,
    Domain,
    FrameworkVersion,
    Question,
)
from readiness.plan import add_months
from readiness.scoring import STEP_ORDER

from . import benchmark
from .models import (
    NOTE_MAX_LENGTH,
    Action,
    AgreedLevel,
    Answer,
    ApiToken,
    Assessment,
    BatchExport,
    Invitation,
    Membership,
    Municipality,
    ReportFile,
    Response,
)
from .report import REPORT_LANGUAGE
from .results import compute_results, make_snapshot, template_proposals
from .securitylog import log_event
from .tasks import queue_batch_export, queue_render


@dataclass(frozen=True)
class AnswerInput:
    question: Question
    value: str
    note: str


def latest_framework() -> FrameworkVersion:
    framework = FrameworkVersion.objects.published().order_by("-published_at", "-id").first()
    if framework is None:
        raise ValidationError(
            _("Er is nog geen gepubliceerde vragenlijst. Vraag de beheerder om die te laden.")
        )
    return framework


@transaction.atomic
def start_assessment(
    *,
    municipality: Municipality,
    user,
    title: str,
    framework: FrameworkVersion | None = None,
    carry_answers: bool = False,
    carry_actions: bool = False,
) -> Assessment:
    """Start a round; optionally from the municipality's previous closed round: each
    respondent's answers and notes as a starting point, and the plan's open actions."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Geef de meting een titel, bijvoorbeeld 'Nulmeting voorjaar'."))
    framework = framework or latest_framework()
    if not framework.is_published:
        raise ValidationError(_("Een meting kan alleen met een gepubliceerde vragenlijst."))
    previous = previous_round(municipality) if carry_answers or carry_actions else None
    assessment = Assessment.objects.create(
        municipality=municipality, framework=framework, title=title, created_by=user
    )
    if previous is not None:
        carry_forward(
            previous=previous,
            assessment=assessment,
            user=user,
            answers=carry_answers,
            actions=carry_actions,
        )
    return assessment


def previous_round(municipality: Municipality) -> Assessment | None:
    """The municipality's most recent closed round: what a new round can start from."""
    return (
        Assessment.objects.filter(municipality=municipality, status=Assessment.Status.CLOSED)
        .select_related("framework")
        .order_by("-created_at", "-pk")
        .first()
    )


def _carried_value(old: list[tuple[str, str]]) -> tuple[str, str]:
    """One answer from the answers to the old question(s) a statement continues.

    One old question: its value and note. Several (merged questions): the lowest level
    when all have a level (never a flattering start), the common value when they agree,
    else no value; the notes are kept together.
    """
    values = [value for value, _note in old if value]
    notes = list(dict.fromkeys(note for _value, note in old if note))
    if len(set(values)) <= 1:
        value = values[0] if values else ""
    elif all(v.isdigit() for v in values):
        value = min(values)
    else:
        value = ""
    return value, "\n\n".join(notes)[:NOTE_MAX_LENGTH]


def carry_forward(
    *, previous: Assessment, assessment: Assessment, user, answers: bool, actions: bool
) -> None:
    """Copy from a closed round into a new round of the same municipality. The previous
    round is only read: a closed round never changes.

    Answers: each respondent who is still a member who answers (coordinator or editor)
    gets a response with their previous answers and notes, marked ``is_carried_over``
    until they save them. Across framework versions an answer follows the question
    mapping (``trend_page.correspondence``); a statement that is new gets no answer.
    Actions: the open ones (*gepland*, *bezig*) with their status, owner, dates and the
    questions they address (as far as those continue in the new version).
    """
    from .trend_page import correspondence  # trend_page reads results, as services does

    if previous.municipality_id != assessment.municipality_id:
        raise ValidationError(
            _("Een meting kan alleen verder gaan van een meting van dezelfde gemeente.")
        )
    if previous.is_open:
        raise ValidationError(_("Alleen een afgesloten meting kan het startpunt zijn."))
    codes = correspondence(previous, assessment)
    new_questions = {q.code: q for q in Question.objects.filter(framework=assessment.framework_id)}
    if answers:
        _carry_answers(previous, assessment, user, codes, new_questions)
    if actions:
        _carry_actions(previous, assessment, codes, new_questions)


def _carry_answers(previous, assessment, user, codes, new_questions) -> None:
    members = set(
        Membership.objects.filter(
            municipality=assessment.municipality_id,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.EDITOR],
        ).values_list("user_id", flat=True)
    )
    by_respondent: dict[int, dict[str, tuple[str, str]]] = {}
    perspectives: dict[int, str] = {}
    for respondent, perspective, code, value, note in Answer.objects.filter(
        response__assessment=previous, response__respondent__in=members
    ).values_list(
        "response__respondent_id", "response__perspective", "question__code", "value", "note"
    ):
        perspectives[respondent] = perspective
        by_respondent.setdefault(respondent, {})[code] = (value, note)
    now = timezone.now()
    for respondent, old_answers in by_respondent.items():
        response = Response.objects.create(
            assessment=assessment, respondent_id=respondent, perspective=perspectives[respondent]
        )
        rows = []
        for code, question in new_questions.items():
            old = [old_answers[c] for c in codes.get(code, ()) if c in old_answers]
            if not old:
                continue
            value, note = _carried_value(old)
            if value or note:
                rows.append(
                    Answer(
                        response=response,
                        question=question,
                        value=value,
                        note=note,
                        is_carried_over=True,
                        updated_at=now,
                        updated_by=user,
                    )
                )
        created = Answer.objects.bulk_create(rows)
        history = Answer.history.model
        history.objects.bulk_create(
            history(
                id=a.pk,
                response_id=response.pk,
                question_id=a.question_id,
                value=a.value,
                note=a.note,
                is_carried_over=True,
                updated_at=now,
                updated_by_id=user.pk,
                history_date=now,
                history_type="+",
                history_user_id=user.pk,
                history_change_reason="overgenomen uit de vorige meting",
            )
            for a in created
        )


def _carry_actions(previous, assessment, codes, new_questions) -> None:
    same_framework = previous.framework_id == assessment.framework_id
    members = set(
        Membership.objects.filter(municipality=assessment.municipality_id).values_list(
            "user_id", flat=True
        )
    )
    old_actions = (
        Action.objects.filter(
            assessment=previous,
            status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS],
        )
        .prefetch_related("questions")
        .order_by("order", "pk")
    )
    for order, old in enumerate(old_actions):
        action = Action.objects.create(
            assessment=assessment,
            # A template belongs to its framework version; across versions the action
            # continues as the municipality's own.
            template=old.template if same_framework else None,
            title=old.title,
            description=old.description,
            done_when=old.done_when,
            owner=old.owner,
            owner_user_id=old.owner_user_id if old.owner_user_id in members else None,
            owner_domain=old.owner_domain,
            start_date=old.start_date,
            due_date=old.due_date,
            status=old.status,
            level=old.level,
            priority=old.priority,
            order=order,
            is_edited=old.is_edited,
        )
        old_codes = {q.code for q in old.questions.all()}
        action.questions.set(
            [q for code, q in new_questions.items() if old_codes & set(codes.get(code, ()))]
        )


def _check_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise ValidationError(_("Deze meting is afgesloten en kan niet meer veranderen."))


def _check_answer(assessment: Assessment, item: AnswerInput) -> None:
    if item.question.framework_id != assessment.framework_id:
        raise ValidationError(
            _("Vraag %(code)s hoort niet bij de vragenlijst van deze meting.")
            % {"code": item.question.code}
        )
    if item.value not in {"", *AnswerValue.values}:
        raise ValidationError(
            _("Kies bij vraag %(code)s een niveau van 0 tot en met 4, 'weet niet' of 'n.v.t.'.")
            % {"code": item.question.code}
        )
    if len(item.note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("De toelichting bij vraag %(code)s is te lang: maximaal %(max)s tekens.")
            % {"code": item.question.code, "max": NOTE_MAX_LENGTH}
        )


def _upsert_response(assessment: Assessment, user) -> Response:
    """The user's response in the round, created on their first save.

    An upsert in one statement: a double click or two tabs never create two responses.
    """
    now = timezone.now()
    # A new response starts from the member's usual domain (asked in the invitation);
    # an existing one keeps its own (only updated_at is updated on conflict).
    perspective = (
        Membership.objects.filter(user=user.pk, municipality=assessment.municipality_id)
        .values_list("perspective", flat=True)
        .first()
        or ""
    )
    (response,) = Response.objects.bulk_create(
        [
            Response(
                assessment=assessment,
                respondent=user,
                perspective=perspective,
                created_at=now,
                updated_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["assessment", "respondent"],
        update_fields=["updated_at"],
    )
    return response


# savepoint=False: the upserts below are single statements, so a savepoint would only add
# two round trips to the hottest write of the app; a failure still rolls back the whole call.
@transaction.atomic(savepoint=False)
def save_answers(*, assessment: Assessment, user, items: Iterable[AnswerInput]) -> list[Answer]:
    """Store the user's answers in the round: all of them or, on any bad item, none.

    Each saved answer also gets a history row (who, when, the new value; the previous row
    holds the old value). The history is written here because the upsert below bypasses
    model signals.
    """
    _check_open(assessment)
    items = list(items)
    for item in items:
        _check_answer(assessment, item)
    if not items:
        return []
    response_id = None
    if getattr(assessment, "annotated_for_user_id", None) == user.pk:
        response_id = assessment.my_response_id  # loaded with the round (Assessment.for_user)
    if response_id is None:
        response_id = _upsert_response(assessment, user).pk
    now = timezone.now()
    answers = Answer.objects.bulk_create(
        [
            Answer(
                response_id=response_id,
                question=item.question,
                value=item.value,
                note=item.note,
                # Any save confirms or changes an answer taken over from the last round.
                is_carried_over=False,
                updated_at=now,
                updated_by=user,
            )
            for item in items
        ],
        # Saving the same answer twice (a retried request) updates the one row.
        update_conflicts=True,
        unique_fields=["response", "question"],
        update_fields=["value", "note", "is_carried_over", "updated_at", "updated_by"],
    )
    history = Answer.history.model
    history.objects.bulk_create(
        history(
            id=answer.pk,
            response_id=response_id,
            question_id=answer.question_id,
            value=answer.value,
            note=answer.note,
            updated_at=now,
            updated_by_id=user.pk,
            history_date=now,
            history_type="~",
            history_user_id=user.pk,
        )
        for answer in answers
    )
    return answers


def save_answer(
    *, assessment: Assessment, user, question: Question, value: str, note: str
) -> Answer:
    (answer,) = save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(question=question, value=value, note=note)],
    )
    return answer


@transaction.atomic
def set_perspective(*, assessment: Assessment, user, perspective: str) -> Response:
    _check_open(assessment)
    if perspective not in {"", *Domain.values}:
        raise ValidationError(_("Kies een perspectief uit de lijst."))
    response = _upsert_response(assessment, user)
    Response.objects.filter(pk=response.pk).update(perspective=perspective)
    response.perspective = perspective
    return response


@transaction.atomic
def set_targets(*, assessment: Assessment, targets: dict[str, int]) -> Assessment:
    _check_open(assessment)
    for step, level in targets.items():
        if step not in STEP_ORDER:
            raise ValidationError(_("Onbekende stap: %(step)s.") % {"step": step})
        if not isinstance(level, int) or not 0 <= level <= 4:
            raise ValidationError(_("De ambitie is een niveau van 0 tot en met 4."))
    assessment.targets = dict(targets)
    assessment.save(update_fields=["targets"])
    return assessment


@transaction.atomic
def close_assessment(*, assessment: Assessment, user) -> Assessment:
    """Close the round and freeze its results. A round in which no response counts has
    no results to freeze and is refused (the close page warns about low coverage)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_open(locked)
    results = compute_results(locked)
    if not results.perspectives:
        raise ValidationError(
            _(
                "Deze meting kan nog niet worden afgesloten: er is geen invulling die meetelt. "
                "Vraag collega's om de vragenlijst in te vullen, of laat een invulling "
                "toch meetellen."
            )
        )
    locked.snapshot = make_snapshot(locked, results)
    locked.status = Assessment.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = user
    locked.save(update_fields=["snapshot", "status", "closed_at", "closed_by"])
    # The national comparison of the version now has this round (assessments/benchmark.py).
    benchmark.invalidate(locked.framework_id)
    for name in ("snapshot", "status", "closed_at", "closed_by"):
        setattr(assessment, name, getattr(locked, name))
    return assessment


# simple-history keeps the reason in a column of 100 characters.
REOPEN_REASON_MAX_LENGTH = 100


@transaction.atomic
def reopen_assessment(*, assessment: Assessment, user, reason: str) -> Assessment:
    """Open a closed round again, with the reason in the round's history.

    Its frozen results go (the page and report compute them again from the answers) and so
    do its stored PDF reports, which said "afgesloten en vastgelegd".
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Schrijf op waarom de meting weer open moet."))
    if len(reason) > REOPEN_REASON_MAX_LENGTH:
        raise ValidationError(
            _("De reden is te lang: maximaal %(max)s tekens.") % {"max": REOPEN_REASON_MAX_LENGTH}
        )
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_open:
        raise ValidationError(_("Deze meting is al open."))
    locked.status = Assessment.Status.OPEN
    locked.snapshot = None
    locked.closed_at = None
    locked.closed_by = None
    locked._change_reason = reason  # simple-history writes it into the history row
    locked._history_user = user
    locked.save(update_fields=["snapshot", "status", "closed_at", "closed_by"])
    ReportFile.objects.filter(assessment=locked).delete()
    # Its scores leave the national comparison (an older closed round may take its place).
    benchmark.invalidate(locked.framework_id)
    for name in ("snapshot", "status", "closed_at", "closed_by"):
        setattr(assessment, name, getattr(locked, name))
    return assessment


@transaction.atomic
def set_response_inclusion(
    *, assessment: Assessment, response: Response, included: bool | None
) -> Response:
    """Let a response count, or not, whatever its number of answers; None: by threshold."""
    _lock_open_round(assessment.pk)
    if response.assessment_id != assessment.pk:
        raise ValidationError(_("Deze invulling hoort niet bij deze meting."))
    if included not in (True, False, None):
        raise ValidationError(_("Kies: automatisch, wel meetellen of niet meetellen."))
    response.is_included = included
    response.save(update_fields=["is_included", "updated_at"])
    return response


# --- Agreed levels (the dialogue agenda) ---------------------------------------------------


@transaction.atomic
def set_agreed_level(
    *, assessment: Assessment, user, question: Question, level: int, rationale: str
) -> AgreedLevel:
    """Record (or change) the level the respondents agreed on for one statement."""
    locked = _lock_open_round(assessment.pk)
    if question.framework_id != locked.framework_id:
        raise ValidationError(
            _("Vraag %(code)s hoort niet bij de vragenlijst van deze meting.")
            % {"code": question.code}
        )
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 4:
        raise ValidationError(_("Het vastgestelde niveau is een niveau van 0 tot en met 4."))
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError(_("Schrijf kort op waarom u dit niveau samen vaststelt."))
    if len(rationale) > AgreedLevel.RATIONALE_MAX_LENGTH:
        raise ValidationError(
            _("De onderbouwing is te lang: maximaal %(max)s tekens.")
            % {"max": AgreedLevel.RATIONALE_MAX_LENGTH}
        )
    agreed, _created = AgreedLevel.objects.update_or_create(
        assessment=locked,
        question=question,
        defaults={
            "level": level,
            "rationale": rationale,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    return agreed


@transaction.atomic
def clear_agreed_level(*, assessment: Assessment, user, question: Question) -> None:
    """Remove a statement's agreed level: its median counts again."""
    locked = _lock_open_round(assessment.pk)
    for agreed in AgreedLevel.objects.filter(assessment=locked, question=question):
        agreed._history_user = user
        agreed.delete()  # one by one, so that the history records who removed it


# --- The action plan ------------------------------------------------------------------------

ACTION_TEXT_MAX_LENGTH = 200  # title and owner, as in the model


@dataclass(frozen=True)
class ActionInput:
    """What a user sets on an action: the fields of the action form.

    ``due_date`` may be an ISO date string (``2026-12-31``) for callers without a form.
    """

    title: str
    description: str = ""
    owner: str = ""
    owner_domain: str = ""
    due_date: datetime.date | str | None = None
    status: str = Action.Status.PLANNED
    level: str = ActionLevel.AMBTELIJK
    done_when: str = ""
    # A member of the round's municipality: gets the weekly digest (assessments/reminders.py).
    owner_user: object | None = None


def _lock_open_round(assessment_id: int) -> Assessment:
    """Lock the round for this transaction and check it is open.

    ``close_assessment`` takes the same row lock, so the plan cannot change between the
    snapshot of a closing round and its new status; concurrent proposals wait for each other.
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment_id)
    _check_open(locked)
    return locked


def _parse_due_date(value: datetime.date | str | None) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            _("Vul de deadline in als datum, bijvoorbeeld 2026-12-31 (jaar-maand-dag).")
        ) from None


def _clean_action(data: ActionInput, assessment: Assessment) -> dict[str, object]:
    title = data.title.strip()
    owner = data.owner.strip()
    if not title:
        raise ValidationError(_("Geef de actie een titel."))
    if len(title) > ACTION_TEXT_MAX_LENGTH or len(owner) > ACTION_TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Titel en eigenaar zijn elk maximaal %(max)s tekens.")
            % {"max": ACTION_TEXT_MAX_LENGTH}
        )
    if data.owner_domain not in {"", *Domain.values}:
        raise ValidationError(_("Kies een domein uit de lijst."))
    if data.status not in Action.Status.values:
        raise ValidationError(_("Kies een status: gepland, bezig, gereed of vervallen."))
    if data.level not in ActionLevel.values:
        raise ValidationError(_("Kies het niveau: bestuurlijk of ambtelijk."))
    if (
        data.owner_user is not None
        and not Membership.objects.filter(
            user=data.owner_user.pk, municipality=assessment.municipality_id
        ).exists()
    ):
        raise ValidationError(_("Kies als eigenaar een lid van deze gemeente."))
    return {
        "title": title,
        "description": data.description.strip(),
        "done_when": data.done_when.strip(),
        "owner": owner,
        "owner_domain": data.owner_domain,
        "due_date": _parse_due_date(data.due_date),
        "status": data.status,
        "level": data.level,
        "owner_user": data.owner_user,
    }


def _next_order(assessment: Assessment) -> int:
    last = Action.objects.filter(assessment=assessment).aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def propose_actions(
    *, assessment: Assessment, user, today: datetime.date | None = None
) -> list[Action]:
    """Add a draft action for each template that addresses a gap and has none in the round.

    The draft takes the template's wording for the municipality's role in its region, its
    default owner role and its done-when sentence. Returns only the new actions. Existing
    actions are never changed, edited or not, so
    proposing again gives the same plan unless new gaps appeared; those add new drafts at
    the end. ``assessments_action_one_per_template`` backs this in the database.
    """
    locked = _lock_open_round(assessment.pk)
    today = today or timezone.localdate()
    # The wording of an action differs for a centrumgemeente and a regiogemeente.
    region_role = (
        Municipality.objects.filter(pk=locked.municipality_id)
        .values_list("region_role", flat=True)
        .first()
    ) or ""
    results = compute_results(locked)
    templates, proposals = template_proposals(
        results,
        ActionTemplate.objects.filter(framework=locked.framework_id).select_related(
            "theme", "question"
        ),
    )
    taken = set(
        Action.objects.filter(assessment=locked, template__isnull=False).values_list(
            "template_id", flat=True
        )
    )
    order = _next_order(locked)
    new: list[tuple[Action, tuple[str, ...]]] = []
    for proposal in proposals:
        template = templates[proposal.template_code]
        if template.pk in taken:
            continue
        action = Action(
            assessment=locked,
            template=template,
            title=template.title,
            description=template.description_for(region_role),
            done_when=template.done_when,
            owner=template.owner_role,
            owner_domain=template.owner_domain,
            level=template.level,
            start_date=today,
            due_date=add_months(today, template.horizon_months),
            priority=proposal.priority,
            order=order + len(new),
        )
        new.append((action, proposal.question_codes))
    # bulk_create sets the primary keys on these objects (PostgreSQL, SQLite >= 3.35).
    created = Action.objects.bulk_create([action for action, _codes in new])
    question_ids = {q.code: q.id for q in results.questions}
    through = Action.questions.through
    through.objects.bulk_create(
        through(action_id=action.pk, question_id=question_ids[code])
        for action, codes in new
        for code in codes
    )
    return created


@transaction.atomic
def add_action(*, assessment: Assessment, user, data: ActionInput) -> Action:
    """Add the user's own action at the end of the plan."""
    locked = _lock_open_round(assessment.pk)
    fields = _clean_action(data, locked)
    return Action.objects.create(assessment=locked, order=_next_order(locked), **fields)


@transaction.atomic
def update_action(*, action: Action, user, data: ActionInput) -> Action:
    """Change an action; from now on proposing again leaves it alone (``is_edited``)."""
    locked = _lock_open_round(action.assessment_id)
    fields = _clean_action(data, locked)
    for name, value in fields.items():
        setattr(action, name, value)
    action.is_edited = True
    action.save(update_fields=[*fields, "is_edited", "updated_at"])
    return action


@transaction.atomic
def delete_action(*, action: Action, user) -> None:
    """Remove an action from the plan.

    A removed proposal comes back when actions are proposed again and its gap is still
    there; the status *vervallen* is the way to keep it in the plan as dropped.
    """
    _lock_open_round(action.assessment_id)
    action.delete()


# --- Members and invitations ---------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# The roles of the municipality's own people: invited, or changed on the members page.
MEMBER_ROLES = [r for r in Membership.Role.values if r != Membership.Role.CONSULTANT]


@transaction.atomic
def invite_member(
    *,
    municipality: Municipality,
    email: str,
    role: str,
    invited_by,
    name: str = "",
    perspective: str = "",
    request=None,
) -> tuple[Invitation, str]:
    """Create an invitation and return it with its secret token (only ever in the e-mail).

    ``name`` and ``perspective`` (the invitee's domain) become the new member's name and
    usual perspective. Inviting the same address again revokes the earlier, still open
    invitation.
    """
    email = email.strip().lower()
    if role not in MEMBER_ROLES:
        raise ValidationError(_("Kies een rol uit de lijst."))
    if perspective not in {"", *Domain.values}:
        raise ValidationError(_("Kies een perspectief uit de lijst."))
    if Membership.objects.filter(municipality=municipality, user__email__iexact=email).exists():
        raise ValidationError(_("Deze persoon is al lid van %(m)s.") % {"m": municipality})
    now = timezone.now()
    Invitation.objects.filter(
        municipality=municipality,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        municipality=municipality,
        email=email,
        name=name.strip(),
        perspective=perspective,
        role=role,
        token_hash=_token_hash(token),
        invited_by=invited_by,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    log_event(
        "invitation",
        request=request,
        action="uitnodigen",
        obj=f"gemeente:{municipality.code} rol:{role}",
    )
    return invitation, token


def find_invitation(token: str) -> Invitation:
    """The open invitation for a token; ValidationError with the reason when it cannot be used."""
    invitation = (
        Invitation.objects.select_related("municipality")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(
            _("Deze uitnodiging is niet (meer) geldig. Vraag de coördinator om een nieuwe.")
        )
    if invitation.accepted_at is not None:
        raise ValidationError(_("Deze uitnodiging is al gebruikt. Log in met uw account."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("Deze uitnodiging is verlopen. Vraag de coördinator om een nieuwe.")
        )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user=None, password: str = "", name: str = "", request=None):
    """Use an invitation once: join with an existing account, or create one with a password.

    ``user``: the logged-in user, whose e-mail address must match the invitation.
    Without a user, a new account is made for the invitation's address, named ``name``
    (or the name the coordinator gave in the invitation).
    """
    invitation = find_invitation(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # a second click while the first was on its way
        raise ValidationError(_("Deze uitnodiging is al gebruikt. Log in met uw account."))
    User = get_user_model()
    if user is not None and user.is_authenticated:
        if user.email.strip().lower() != invitation.email:
            raise ValidationError(
                _(
                    "Deze uitnodiging is voor een ander e-mailadres. Log uit en open de link "
                    "opnieuw, of vraag een uitnodiging voor uw eigen adres."
                )
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("Er is al een account met dit e-mailadres. Log eerst in en open de link opnieuw.")
            )
        first_name, _space, last_name = (name or invitation.name).strip().partition(" ")
        user = User(
            username=invitation.email,
            email=invitation.email,
            first_name=first_name[:150],
            last_name=last_name.strip()[:150],
        )
        validate_password(password, user)
        user.set_password(password)
        user.save()
    Membership.objects.update_or_create(
        user=user,
        municipality=invitation.municipality,
        # A former consultant who joins as a colleague: no end date any more.
        defaults={
            "role": invitation.role,
            "perspective": invitation.perspective,
            "valid_until": None,
        },
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log_event(
        "invitation_accepted",
        request=request,
        actor=user.get_username(),
        action="uitnodiging accepteren",
        obj=f"gemeente:{invitation.municipality.code} rol:{invitation.role}",
    )
    return user


def _check_coordinators_remain(municipality: Municipality, *, without: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(municipality=municipality, role=Membership.Role.COORDINATOR)
        .exclude(pk=without.pk)
    )
    if not others.exists():
        raise ValidationError(
            _(
                "Een gemeente heeft altijd minstens één coördinator. Maak eerst iemand anders "
                "coördinator."
            )
        )


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    # A consultant's access is granted for a limited time (grant_consultant), never by
    # changing a member's role; a consultant is not made a colleague this way either.
    if role not in MEMBER_ROLES or membership.role == Membership.Role.CONSULTANT:
        raise ValidationError(_("Kies een rol uit de lijst."))
    if membership.role == Membership.Role.COORDINATOR and role != Membership.Role.COORDINATOR:
        _check_coordinators_remain(membership.municipality, without=membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    if membership.role == Membership.Role.COORDINATOR:
        _check_coordinators_remain(membership.municipality, without=membership)
    membership.delete()


def request_report(*, assessment: Assessment, user, language: str = REPORT_LANGUAGE) -> ReportFile:
    """Have the round's PDF report rendered in a language, or reuse the one already there.

    A closed round's report never changes: once rendered (or on its way) it is reused, and
    only a failed or stuck render is tried again. An open round's answers change, so each
    request renders anew and replaces the previous file; a render still running for the
    replaced row finds it gone and stores nothing. The render runs after the commit, in a
    worker (or in-process without a broker, config/celery.py), so that it sees the row.
    """
    with transaction.atomic():
        # Two clicks at once on the same round: the second waits, then sees the first's row
        # (and the round's status as it is now, not as the view read it).
        locked = Assessment.objects.select_for_update().only("status").get(pk=assessment.pk)
        existing = (
            ReportFile.objects.for_round(assessment, language)
            .only("status", "is_final", "requested_at")
            .first()
        )
        if existing is not None:
            if existing.serves(locked):
                return existing
            existing.delete()
        report_file = ReportFile.objects.create(
            assessment=assessment,
            language=language,
            requested_by=user,
            is_final=not locked.is_open,
        )
        transaction.on_commit(partial(queue_render, report_file.pk))
    return report_file


# --- Consultants, batch exports and API tokens (issue 15) ---

CONSULTANT_MAX_DAYS = 366
API_TOKEN_PREFIX = "bts_"  # noqa: S105 (a public marker that tells scanners what it is)
API_TOKEN_MAX_DAYS = 366


@transaction.atomic
def grant_consultant(
    *,
    municipality: Municipality,
    email: str,
    valid_until: datetime.datetime,
    granted_by,
    request=None,
) -> Membership:
    """Give an existing account read access to the municipality until ``valid_until``.

    Granting again extends or shortens the period. A colleague who is already a member
    with another role keeps that role: a consultant is someone from outside.
    """
    now = timezone.now()
    if valid_until <= now:
        raise ValidationError(_("Kies een einddatum in de toekomst."))
    if valid_until > now + datetime.timedelta(days=CONSULTANT_MAX_DAYS):
        raise ValidationError(_("Een adviseur krijgt toegang voor hoogstens een jaar."))
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            _(
                "Er is geen account met dit e-mailadres. De adviseur maakt eerst een account, "
                "bijvoorbeeld via een uitnodiging van een andere gemeente."
            )
        )
    membership = (
        Membership.objects.select_for_update().filter(user=user, municipality=municipality).first()
    )
    if membership is not None and membership.role != Membership.Role.CONSULTANT:
        raise ValidationError(
            _("Deze persoon is al lid van %(m)s met een andere rol.") % {"m": municipality}
        )
    if membership is None:
        membership = Membership(
            user=user, municipality=municipality, role=Membership.Role.CONSULTANT
        )
    membership.valid_until = valid_until
    membership.save()
    log_event(
        "consultant_granted",
        request=request,
        actor=granted_by.get_username(),
        action="adviseur toegang geven",
        obj=f"gemeente:{municipality.code} gebruiker:{user.pk} tot:{valid_until.isoformat()}",
    )
    return membership


@transaction.atomic
def revoke_consultant(*, membership: Membership, revoked_by, request=None) -> None:
    """End a consultant's access now. The membership's history keeps who had access when."""
    if membership.role != Membership.Role.CONSULTANT:
        raise ValidationError(_("Dit lid is geen adviseur."))
    membership.delete()
    log_event(
        "consultant_revoked",
        request=request,
        actor=revoked_by.get_username(),
        action="adviseur toegang intrekken",
        obj=f"gemeente:{membership.municipality.code} gebruiker:{membership.user_id}",
    )


def request_batch_export(*, user, assessments: list[Assessment]) -> BatchExport:
    """Queue one ZIP with the reports and answer workbooks of rounds the user may read.

    ``assessments`` come from ``access.assessments_for_user``; the task loads them again
    through it. The ZIP is kept for ``BatchExport.KEEP``, for the requester only.
    """
    if not assessments:
        raise ValidationError(_("Kies minstens één meting."))
    with transaction.atomic():
        export = BatchExport.objects.create(
            requester=user,
            assessment_ids=[a.pk for a in assessments],
            total=len(assessments),
            expires_at=timezone.now() + BatchExport.KEEP,
        )
        transaction.on_commit(partial(queue_batch_export, export.pk))
    return export


def api_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(*, user, name: str, days: int, request=None) -> tuple[ApiToken, str]:
    """A new personal API token; returns the row and the secret, which is never stored."""
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(_("Kies een geldigheid van 1 tot 366 dagen."))
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[: len(API_TOKEN_PREFIX) + 6],
        token_hash=api_token_hash(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    log_event("api_token_created", request=request, action="API-sleutel maken", obj=str(token.pk))
    return token, secret


def revoke_api_token(*, token: ApiToken, request=None) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event(
            "api_token_revoked", request=request, action="API-sleutel intrekken", obj=str(token.pk)
        )


@transaction.atomic
def set_region_consent(
    *, assessment: Assessment, user, shares: bool, request: HttpRequest | None = None
) -> Assessment:
    """Switch whether the round's closed results are shown to the coordinators of the
    municipality's regions. Every change is in the round's history and the security log."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.shares_with_region != shares:
        locked.shares_with_region = shares
        # simple-history keeps who and why with the row.
        locked._history_user = user
        locked._change_reason = "delen met de regio aan" if shares else "delen met de regio uit"
        locked.save(update_fields=["shares_with_region"])
        log_event(
            "region_consent",
            request=request,
            actor=user.get_username(),
            action="delen met de regio aan" if shares else "delen met de regio uit",
            obj=f"meting {locked.pk} ({locked.municipality_id})",
        )
    assessment.shares_with_region = shares
    return assessment
