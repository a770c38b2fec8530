"""The dialogue's decisions: which responses count and the levels agreed in conversation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    AgreedLevel,
    Assessment,
    Response,
)
from assessments.rounds.services import lock_open_round
from readiness.models import (
    Question,
    QuestionKind,
)


@transaction.atomic
def set_response_inclusion(
    *, assessment: Assessment, response: Response, included: bool | None
) -> Response:
    """Let a response count, or not, whatever its number of answers; None: by threshold."""
    lock_open_round(assessment.pk)
    if response.assessment_id != assessment.pk:
        raise ValidationError(_("Deze invulling hoort niet bij deze meting."))
    if included not in (True, False, None):
        raise ValidationError(_("Kies: automatisch, wel meetellen of niet meetellen."))
    response.is_included = included
    response.save(update_fields=["is_included", "updated_at"])
    return response


@transaction.atomic
def set_agreed_level(
    *, assessment: Assessment, user, question: Question, level: int, rationale: str
) -> AgreedLevel:
    """Record (or change) the level the respondents agreed on for one statement."""
    locked = lock_open_round(assessment.pk)
    if question.framework_id != locked.framework_id:
        raise ValidationError(
            _("Vraag %(code)s hoort niet bij de vragenlijst van deze meting.")
            % {"code": question.code}
        )
    if question.kind != QuestionKind.MATURITY:
        raise ValidationError(
            _("Vraag %(code)s is geen stelling met niveaus: daar stelt u geen niveau vast.")
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
    # Under the round's row lock (above): no concurrent insert of the same statement.
    agreed = AgreedLevel.objects.filter(assessment=locked, question=question).first()
    if agreed is None:
        agreed = AgreedLevel(assessment=locked, question=question)
    agreed.level = level
    agreed.rationale = rationale
    agreed.decided_by = user
    agreed.decided_at = timezone.now()
    # The history names the user also without a request (an import, a command).
    agreed._history_user = user
    agreed.save()
    return agreed


@transaction.atomic
def clear_agreed_level(*, assessment: Assessment, user, question: Question) -> None:
    """Remove a statement's agreed level: its median counts again."""
    locked = lock_open_round(assessment.pk)
    for agreed in AgreedLevel.objects.filter(assessment=locked, question=question):
        agreed._history_user = user
        agreed.delete()  # one by one, so that the history records who removed it
