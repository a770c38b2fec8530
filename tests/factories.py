"""factory-boy factories and a builder for whole frameworks of any size."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Answer, Assessment, Membership, Municipality, Response
from readiness.models import ActionTemplate, FrameworkVersion, Question, Source, Step, Theme

STEPS = [
    ("wijkbasis", "Stevige basis in de wijk", ["A", "E"]),
    ("samenwerking", "Samenwerken over domeinen en met partners", ["B", "D", "F", "G"]),
    ("start_nu", "Start nu", ["C", "H"]),
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("een-lang-testwachtwoord")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    # GM8000-GM9999, clear of the real codes; a code has at most 6 characters (a long test
    # session creates more than 2,000 municipalities, so the numbers wrap around).
    code = factory.Sequence(lambda n: f"GM{8000 + n % 2000:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    province = "Utrecht"
    province_code = "PV26"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Membership.Role.EDITOR


def make_framework(
    *, questions: int = 16, version: str | None = None, published: bool = True
) -> FrameworkVersion:
    """A framework with the 3 steps, 8 themes and ``questions`` spread over the themes.

    Theme A's first question and theme E's first question are critical.
    """
    framework = FrameworkVersion.objects.create(
        name="Testscan",
        version=version or f"t{FrameworkVersion.objects.count() + 1}",
        status=FrameworkVersion.Status.PUBLISHED if published else FrameworkVersion.Status.DRAFT,
        published_at=timezone.now() if published else None,
    )
    Source.objects.create(framework=framework, code="S1", title="Bronartikel")
    themes: list[Theme] = []
    theme_order = 0
    for step_order, (code, title, theme_codes) in enumerate(STEPS, start=1):
        step = Step.objects.create(framework=framework, code=code, order=step_order, title=title)
        for theme_code in theme_codes:
            theme_order += 1
            themes.append(
                Theme.objects.create(
                    framework=framework,
                    step=step,
                    code=theme_code,
                    order=theme_order,
                    title=f"Thema {theme_code}",
                )
            )
    per_theme = [questions // len(themes) + (i < questions % len(themes)) for i in range(8)]
    rows = []
    order = 0
    for theme, count in zip(themes, per_theme, strict=True):
        for i in range(1, count + 1):
            order += 1
            rows.append(
                Question(
                    framework=framework,
                    theme=theme,
                    code=f"{theme.code}{i}",
                    order=order,
                    statement=f"Stelling {theme.code}{i}",
                    help_text="Waarom dit ertoe doet.",
                    sources="S1",
                    weight=(i % 3) + 1,
                    is_critical=(i == 1 and theme.code in {"A", "E"}),
                    level_descriptions=[f"niveau {n}" for n in range(5)] if i == 1 else [],
                )
            )
    Question.objects.bulk_create(rows)
    for order, theme in enumerate(themes, start=1):
        ActionTemplate.objects.create(
            framework=framework,
            theme=theme,
            code=f"{theme.code}-1",
            order=order,
            title=f"Actie voor thema {theme.code}",
            description="Doe iets concreets.",
            owner_domain="wmo_zorg",
            horizon_months=6,
        )
    return framework


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    municipality = factory.SubFactory(MunicipalityFactory)
    framework = factory.LazyFunction(make_framework)
    title = "Nulmeting voorjaar"


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    assessment = factory.SubFactory(AssessmentFactory)
    respondent = factory.SubFactory(UserFactory)


def answer_all(response: Response, value: str = "2", note: str = "") -> list[Answer]:
    questions = Question.objects.filter(framework=response.assessment.framework_id)
    return Answer.objects.bulk_create(
        Answer(response=response, question=q, value=value, note=note) for q in questions
    )


def close_round(assessment: Assessment, user) -> None:
    """Close a round the way a coordinator can: closing is refused while no response
    counts, so every response is included by choice, and a round without any gets an
    (included) response of ``user``. The answers themselves are left as the test made them.
    """
    from assessments.rounds.services import close_assessment

    if not Response.objects.filter(assessment=assessment).exists():
        Response.objects.create(assessment=assessment, respondent=user)
    Response.objects.filter(assessment=assessment).update(is_included=True)
    close_assessment(assessment=assessment, user=user)


def add_statement_kinds(framework: FrameworkVersion) -> FrameworkVersion:
    """Add the statement kinds of question-bank format 3 to a ``make_framework`` version,
    before a round uses it.

    Theme B gets legal duties W1 and W2 (for all) and W3 (centrumgemeenten only); theme H
    the indicators K1 (weeks, 2026) and K2 (households, 2026); theme C a critical weight-3
    statement C9 for centrumgemeenten only and R9 for regiogemeenten only, with an action
    template each; theme D a statement P1 in the corporatie's own voice; an action W-1
    bound to the legal duty W1.
    """
    themes = {t.code: t for t in Theme.objects.filter(framework=framework)}
    order = Question.objects.filter(framework=framework).count()
    specs = [
        ("W1", "B", {"kind": "legal_duty", "legal_basis": "Wgs art. 4a"}),
        ("W2", "B", {"kind": "legal_duty", "legal_basis": "Wvggz art. 5:1"}),
        ("W3", "B", {"kind": "legal_duty", "applies_to": "centrumgemeente"}),
        ("K1", "H", {"kind": "indicator", "unit": "weken", "period": "2026"}),
        ("K2", "H", {"kind": "indicator", "unit": "huishoudens", "period": "2026"}),
        ("C9", "C", {"applies_to": "centrumgemeente", "is_critical": True, "weight": 3}),
        ("R9", "C", {"applies_to": "regiogemeente", "weight": 3}),
        ("P1", "D", {"partner_perspectives": ["corporatie"]}),
    ]
    for code, theme, fields in specs:
        order += 1
        Question.objects.create(
            framework=framework,
            theme=themes[theme],
            code=code,
            order=order,
            statement=f"Stelling {code}",
            help_text="Waarom dit ertoe doet.",
            sources="S1",
            **fields,
        )
    ActionTemplate.objects.create(
        framework=framework,
        theme=themes["B"],
        code="W-1",
        order=19,
        title="Actie voor de schuldhulp",
        description="Regel de vroegsignalering.",
        owner_domain="werk_inkomen",
        horizon_months=6,
        question_codes="W1",
    )
    for order, (code, question, role) in enumerate(
        [("C-9", "C9", "centrumgemeente"), ("R-9", "R9", "regiogemeente")], start=20
    ):
        ActionTemplate.objects.create(
            framework=framework,
            theme=themes["C"],
            code=code,
            order=order,
            title=f"Actie alleen voor {role}",
            description="Doe iets concreets.",
            owner_domain="wmo_zorg",
            horizon_months=6,
            question_codes=question,
            applies_to=role,
        )
    return framework
