"""The action plan's operations: propose, add, change and delete actions, and the
follow-up of a closed round's plan during the year (``update_action_progress``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import access
from assessments.models import (
    Action,
    Assessment,
    Membership,
    Municipality,
)
from assessments.rounds.proposals import template_proposals
from assessments.rounds.results import compute_results
from assessments.rounds.services import lock_open_round
from readiness.models import (
    ActionLevel,
    ActionTemplate,
    Domain,
)
from readiness.plan import add_months

ACTION_TEXT_MAX_LENGTH = 200  # title and owner, as in the model
PROGRESS_NOTE_MAX_LENGTH = 2000


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


def _check_owner_user(owner_user, municipality_id: int) -> None:
    """The member who gets the digest of an action must be a current member of its
    municipality (an action's owner may also be a name without an account)."""
    if (
        owner_user is not None
        and not Membership.objects.current()
        .filter(user=owner_user.pk, municipality=municipality_id)
        .exists()
    ):
        raise ValidationError(_("Kies als eigenaar een lid van deze gemeente."))


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
    _check_owner_user(data.owner_user, assessment.municipality_id)
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
    the end. ``assessments_action_one_per_template`` backs this in the database. A
    template whose title is already in the plan is skipped as well: two actions of the
    same title are one action twice.
    """
    locked = lock_open_round(assessment.pk)
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
    taken: set[int] = set()
    titles: set[str] = set()
    for template_id, title in Action.objects.filter(assessment=locked).values_list(
        "template_id", "title"
    ):
        taken.add(template_id)
        titles.add(title.strip().casefold())
    order = _next_order(locked)
    new: list[tuple[Action, tuple[str, ...]]] = []
    for proposal in proposals:
        template = templates[proposal.template_code]
        # An action of the same title is the same action: one the user added, or one
        # carried from a round before carry-forward kept the template link.
        if template.pk in taken or template.title.strip().casefold() in titles:
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
    locked = lock_open_round(assessment.pk)
    fields = _clean_action(data, locked)
    return Action.objects.create(assessment=locked, order=_next_order(locked), **fields)


@transaction.atomic
def update_action(*, action: Action, user, data: ActionInput) -> Action:
    """Change an action; from now on proposing again leaves it alone (``is_edited``)."""
    locked = lock_open_round(action.assessment_id)
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
    lock_open_round(action.assessment_id)
    action.delete()


@dataclass(frozen=True)
class ProgressInput:
    """What may change in a closed round's action: the fields of the follow-up form."""

    status: str
    owner: str = ""
    owner_user: object | None = None
    due_date: datetime.date | str | None = None
    progress_note: str = ""


@transaction.atomic
def update_action_progress(
    *, action: Action, user, data: ProgressInput, today: datetime.date | None = None
) -> Action:
    """Record how a closed round's action goes: status, owner, deadline, a progress note.

    The round's answers, scores and its snapshot (the plan as decided) stay as they were;
    only the action changes, with its history. Refused in an open round (its plan is edited
    with ``update_action``) and once a newer round has taken the actions over. Who may do
    it is decided by ``access.get_action_for_follow_up``.
    """
    locked = Assessment.objects.select_for_update().get(pk=action.assessment_id)
    if locked.is_open:
        raise ValidationError(_("Deze meting is nog open. Wijzig de actie in het actieplan."))
    if access.is_taken_over(locked):
        raise ValidationError(_("Een nieuwere meting heeft de acties van deze meting overgenomen."))
    owner = data.owner.strip()
    note = data.progress_note.strip()
    if len(owner) > ACTION_TEXT_MAX_LENGTH:
        raise ValidationError(
            _("De eigenaar is te lang: maximaal %(max)s tekens.") % {"max": ACTION_TEXT_MAX_LENGTH}
        )
    if len(note) > PROGRESS_NOTE_MAX_LENGTH:
        raise ValidationError(
            _("De voortgang is te lang: maximaal %(max)s tekens.")
            % {"max": PROGRESS_NOTE_MAX_LENGTH}
        )
    if data.status not in Action.Status.values:
        raise ValidationError(_("Kies een status: gepland, bezig, gereed of vervallen."))
    _check_owner_user(data.owner_user, locked.municipality_id)
    fields: dict[str, object] = {
        "status": data.status,
        "owner": owner,
        "owner_user": data.owner_user,
        "due_date": _parse_due_date(data.due_date),
    }
    # The stored note, not the one on ``action``: a bound form has already set that.
    stored = Action.objects.filter(pk=action.pk).values_list("progress_note", flat=True).get()
    if note != stored:
        fields["progress_note"] = note
        fields["progress_noted_at"] = (today or timezone.localdate()) if note else None
    for name, value in fields.items():
        setattr(action, name, value)
    action.save(update_fields=[*fields, "updated_at"])
    return action
