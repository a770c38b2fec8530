"""The example round of the demo municipality: what a newcomer sees within a minute.

Three colleagues with different perspectives have answered every question, with some
disagreement, a few 'weet niet' answers and notes. Deterministic: the same data each time.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments.common.municipalities import DEMO_NEIGHBOUR_CODES
from assessments.models import (
    Action,
    Assessment,
    Membership,
    Municipality,
    Region,
    RegionMembership,
    period_end,
)
from assessments.plans import services as plan_services
from assessments.rounds import agreement
from assessments.rounds import services as round_services
from assessments.rounds.dialogue_page import agenda_items
from assessments.rounds.results import compute_results
from readiness.models import FrameworkVersion, Question
from readiness.plan import add_months

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
    # None (the version is not loaded): the newest published version.
    framework = (
        FrameworkVersion.objects.published().filter(version=EXAMPLE_FRAMEWORK_VERSION).first()
    )
    assessment = round_services.start_assessment(
        municipality=municipality, user=owner, title=EXAMPLE_TITLE, framework=framework
    )
    _answer_as_colleagues(assessment, municipality, owner, seed="demo")
    _agree_first_of_agenda(assessment, owner)
    plan_services.propose_actions(assessment=assessment, user=owner)
    return assessment


# The rounds before the example round, so that a newcomer sees a trend and a timeline:
# (title, months before today it started, months it stayed open, how its levels lagged).
# Same version as the example round (EXAMPLE_FRAMEWORK_VERSION): every theme compares.
HISTORY = [
    ("Nulmeting (demo)", 20, 2, lambda rng: -1),
    ("Herhaalmeting (demo)", 8, 2, lambda rng: -1 if rng.random() < 0.5 else 0),
]


@transaction.atomic
def create_history_rounds(municipality: Municipality, owner) -> list[Assessment]:
    """Create the two closed rounds before the example round, each once (by title).

    Dated in the past (started 20 and 8 months ago, closed two months later), with a plan
    proposed as of the start: part of the first plan is done, part of the second is under
    way and some of it is past its due date.
    """
    framework = (
        FrameworkVersion.objects.published().filter(version=EXAMPLE_FRAMEWORK_VERSION).first()
    )
    today = timezone.localdate()
    created = []
    for index, (title, months_ago, months_open, shift) in enumerate(HISTORY):
        if Assessment.objects.filter(municipality=municipality, title=title).exists():
            continue
        started = add_months(today, -months_ago)
        assessment = round_services.start_assessment(
            municipality=municipality, user=owner, title=title, framework=framework
        )
        _answer_as_colleagues(assessment, municipality, owner, seed=f"demo-{index}", shift=shift)
        plan_services.propose_actions(assessment=assessment, user=owner, today=started)
        actions = list(Action.objects.filter(assessment=assessment).order_by("order", "pk"))
        for number, action in enumerate(actions):
            # The first plan got about half done; of the second, a third is under way.
            if index == 0 and number % 2 == 0:
                action.status = Action.Status.DONE
            elif index == 1 and number % 3 == 0:
                action.status = Action.Status.IN_PROGRESS
            action.save(update_fields=["status"])
        round_services.close_assessment(assessment=assessment, user=owner)
        start_at = timezone.make_aware(datetime.datetime.combine(started, datetime.time(10, 0)))
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=start_at,
            closed_at=start_at + datetime.timedelta(days=30 * months_open),
        )
        created.append(assessment)
    return created


def _answer_as_colleagues(
    assessment: Assessment,
    municipality: Municipality,
    owner,
    *,
    seed: str,
    shift: Callable[[random.Random], int] = lambda rng: 0,
) -> None:
    """The three colleagues answer every question, deterministically from ``seed``."""
    User = get_user_model()
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
        # The example round's seed is "<username>-demo", as it always was.
        rng = random.Random(f"{username}-{seed}")  # noqa: S311 - demo data, not security
        items = []
        for question in questions:
            level = THEME_BASE.get(question.theme.code, 2) + bias + rng.choice([-1, 0, 0, 0, 1])
            level += shift(rng)
            value = str(min(4, max(0, level)))
            if rng.random() < 0.06:
                value = "weet_niet"
            note = rng.choice(NOTES) if rng.random() < 0.2 else ""
            items.append(round_services.AnswerInput(question=question, value=value, note=note))
        round_services.save_answers(assessment=assessment, user=user, items=items)
        round_services.set_perspective(assessment=assessment, user=user, perspective=perspective)


def _agree_first_of_agenda(assessment: Assessment, owner) -> None:
    """The demo shows one agreed level: the top statement of the dialogue agenda, agreed
    one level above its median, as a workshop might."""
    results = compute_results(assessment)
    ranked = agenda_items(results)
    if not ranked:
        return
    item = ranked[0]
    question = Question.objects.get(pk=item.question.id)
    agreement.set_agreed_level(
        assessment=assessment,
        user=owner,
        question=question,
        level=min(4, (item.result.level or 0) + 1),
        rationale=AGREED_RATIONALE,
    )


# The demo's region: Demodorp and four fictitious neighbours (GM99xx, flagged is_demo, so
# they never count in the national comparison nor get reminders). (code, name, how its
# closed round was answered, whether it shares that round with the region); None: no round.
NEIGHBOURS = [
    (DEMO_NEIGHBOUR_CODES[0], "Tweestroom (fictief)", 3, True),
    (DEMO_NEIGHBOUR_CODES[1], "Lindeveen (fictief)", 1, True),
    (DEMO_NEIGHBOUR_CODES[2], "Oosterbeemd (fictief)", 2, False),
    (DEMO_NEIGHBOUR_CODES[3], "Hoogwaard (fictief)", None, False),
]
NEIGHBOUR_ROUND_TITLE = "Nulmeting (demo)"
REGION_NAME = "Regio Demodorp (fictief)"
CONSULTANT_USERNAME = "demo.adviseur"
REGION_COORDINATOR_USERNAME = "demo.regio"
# The consultant's access, renewed by setup_demo only once it has run out.
CONSULTANT_DAYS = 364


@transaction.atomic
def create_neighbours(lead: Municipality) -> list[Municipality]:
    """The four neighbours, each once (by code), with their closed round once (by title)."""
    framework = (
        FrameworkVersion.objects.published().filter(version=EXAMPLE_FRAMEWORK_VERSION).first()
    )
    User = get_user_model()
    neighbours = []
    for code, name, base, shares in NEIGHBOURS:
        municipality, _created = Municipality.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "province_code": lead.province_code,
                "province": lead.province,
                "is_demo": True,
            },
        )
        neighbours.append(municipality)
        if (
            base is None
            or Assessment.objects.filter(
                municipality=municipality, title=NEIGHBOUR_ROUND_TITLE
            ).exists()
        ):
            continue
        owner, created = User.objects.get_or_create(
            username=f"demo.{code.lower()}",
            defaults={"first_name": "Coördinator", "last_name": name},
        )
        if created:
            owner.set_unusable_password()
            owner.save()
        Membership.objects.get_or_create(
            user=owner, municipality=municipality, defaults={"role": Membership.Role.COORDINATOR}
        )
        assessment = round_services.start_assessment(
            municipality=municipality, user=owner, title=NEIGHBOUR_ROUND_TITLE, framework=framework
        )
        rng = random.Random(f"{code}-demo")  # noqa: S311 - demo data, not security
        questions = Question.objects.filter(framework=assessment.framework).order_by("order")
        round_services.save_answers(
            assessment=assessment,
            user=owner,
            items=[
                round_services.AnswerInput(
                    question=q, value=str(min(4, max(0, base + rng.choice([-1, 0, 1])))), note=""
                )
                for q in questions
            ],
        )
        round_services.close_assessment(assessment=assessment, user=owner)
        Assessment.objects.filter(pk=assessment.pk).update(shares_with_region=shares)
    return neighbours


@transaction.atomic
def create_region(lead: Municipality, neighbours: list[Municipality]) -> Region:
    """The demo region, once (by name), led by Demodorp."""
    region, _created = Region.objects.get_or_create(
        name=REGION_NAME, defaults={"kind": Region.Kind.BESCHERMD_WONEN, "lead": lead}
    )
    region.members.add(lead, *neighbours)
    return region


@transaction.atomic
def create_consultant(municipalities: list[Municipality]):
    """A consultant of Demodorp and its first neighbour; returns (user, created)."""
    user, created = get_user_model().objects.get_or_create(
        username=CONSULTANT_USERNAME,
        defaults={"first_name": "Demo", "last_name": "Adviseur"},
    )
    # As ConsultantForm stores it: through the whole last day, until the midnight after it.
    last_day = timezone.localdate() + datetime.timedelta(days=CONSULTANT_DAYS)
    until = period_end(last_day)
    for municipality in municipalities:
        membership, made = Membership.objects.get_or_create(
            user=user,
            municipality=municipality,
            defaults={"role": Membership.Role.CONSULTANT, "valid_until": until},
        )
        if not made and membership.valid_until and membership.valid_until <= timezone.now():
            membership.valid_until = until
            membership.save(update_fields=["valid_until"])
    return user, created


@transaction.atomic
def create_region_coordinator(region: Region):
    """A regio-coördinator of the demo region (no municipality); returns (user, created)."""
    user, created = get_user_model().objects.get_or_create(
        username=REGION_COORDINATOR_USERNAME,
        defaults={"first_name": "Demo", "last_name": "Regiocoördinator"},
    )
    RegionMembership.objects.get_or_create(user=user, region=region)
    return user, created
