"""The example round of the demo municipality: what a newcomer sees within a minute.

Three colleagues with different perspectives have answered every question, with some
disagreement, a few 'weet niet' answers and notes. Deterministic: the same data each time.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from readiness.models import FrameworkVersion, Question

from . import services
from .dialogue_page import agenda_items
from .models import Assessment, Membership, Municipality
from .results import compute_results

EXAMPLE_TITLE = "Voorbeeldmeting (demo)"
# The example round stays on the version it was made with, so that loading a newer
# version never changes what the demo shows (its THEME_BASE letters are 2026.1's themes).
EXAMPLE_FRAMEWORK_VERSION = "2026.1"
# A believable profile: a reasonable base in the neighbourhood, weak cooperation and data.
THEME_BASE = {"A": 2, "B": 1, "C": 2, "D": 1, "E": 3, "F": 1, "G": 2, "H": 1}
COLLEAGUES = [
    ("demo", "wmo_zorg", 0),
    ("demo.wonen", "wonen", 1),
    ("demo.oov", "oov", -1),
]
AGREED_RATIONALE = (
    "In de werksessie besproken: de pilot in twee wijken loopt goed, maar is nog niet "
    "overal ingevoerd."
)
NOTES = [
    "Besproken in het kernteam; afspraken nog niet vastgelegd.",
    "Zie de prestatieafspraken met de corporaties.",
    "Loopt als pilot in twee wijken.",
    "Hangt af van de regio; navragen bij de centrumgemeente.",
]


@transaction.atomic
def create_example_round(municipality: Municipality, owner) -> Assessment | None:
    """Create the example round once; return None when it already exists."""
    if Assessment.objects.filter(municipality=municipality, title=EXAMPLE_TITLE).exists():
        return None
    User = get_user_model()
    # None (the version is not loaded): the newest published version.
    framework = (
        FrameworkVersion.objects.published().filter(version=EXAMPLE_FRAMEWORK_VERSION).first()
    )
    assessment = services.start_assessment(
        municipality=municipality, user=owner, title=EXAMPLE_TITLE, framework=framework
    )
    questions = list(
        Question.objects.filter(framework=assessment.framework).select_related("theme")
    )
    for username, perspective, bias in COLLEAGUES:
        user = owner if username == owner.username else None
        if user is None:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": "Collega", "last_name": perspective}
            )
            if created:
                user.set_unusable_password()
                user.save()
            Membership.objects.get_or_create(
                user=user, municipality=municipality, defaults={"role": Membership.Role.EDITOR}
            )
        rng = random.Random(f"{username}-demo")  # noqa: S311 - demo data, not security
        items = []
        for question in questions:
            level = THEME_BASE.get(question.theme.code, 2) + bias + rng.choice([-1, 0, 0, 0, 1])
            value = str(min(4, max(0, level)))
            if rng.random() < 0.06:
                value = "weet_niet"
            note = rng.choice(NOTES) if rng.random() < 0.2 else ""
            items.append(services.AnswerInput(question=question, value=value, note=note))
        services.save_answers(assessment=assessment, user=user, items=items)
        services.set_perspective(assessment=assessment, user=user, perspective=perspective)
    _agree_first_of_agenda(assessment, owner)
    services.propose_actions(assessment=assessment, user=owner)
    return assessment


def _agree_first_of_agenda(assessment: Assessment, owner) -> None:
    """The demo shows one agreed level: the top statement of the dialogue agenda, agreed
    one level above its median, as a workshop might."""
    results = compute_results(assessment)
    ranked = agenda_items(results)
    if not ranked:
        return
    item = ranked[0]
    question = Question.objects.get(pk=item.question.id)
    services.set_agreed_level(
        assessment=assessment,
        user=owner,
        question=question,
        level=min(4, (item.result.level or 0) + 1),
        rationale=AGREED_RATIONALE,
    )
