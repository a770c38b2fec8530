"""The PDF report of a round, first step: everything it says, built as plain, frozen data.

``build_report(assessment)`` gathers everything into a frozen ``Report`` (``contents.py``,
tested exactly); ``render.render_pdf(report)`` lays that data out. A closed round's report
never changes: its scores and action plan come from the snapshot taken at closing
(``load_results``/``load_actions``), its date is the closing date, and the few other things
it reads (sources and action templates) belong to the framework version, which is
immutable once a round uses it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from assessments.common.svg import display_score
from assessments.models import Action, Assessment, ReportBranding
from assessments.models.rounds import ANSWER_CHOICES
from assessments.reports.branding import logo_content_type
from assessments.reports.contents import (
    FULL,
    PRIORITY_HIGH_FROM,
    PRIORITY_MEDIUM_FROM,
    REPORT_LANGUAGE,
    TOP_PRIORITIES,
    VARIANTS,
    AppendixAnswer,
    AppendixRow,
    Decision,
    Disagreement,
    DutyLine,
    DutyTotals,
    GapLine,
    IndicatorLine,
    Logo,
    OpenQuestion,
    Report,
    ScaleLevel,
    Score,
    SourceLine,
    StatementLine,
    StepSummary,
    Strength,
    ThemeSummary,
    View,
)
from assessments.reports.trend import (
    since_previous,
    timeline_entries,
)
from assessments.rounds.benchmark import benchmark_for
from assessments.rounds.charts import chart_points
from assessments.rounds.proposals import template_proposals
from assessments.rounds.results import (
    ActionRow,
    Results,
    load_actions,
    load_results,
)
from readiness.content import outline_for
from readiness.kinds import shown_number
from readiness.models import LEVEL_LABELS, ActionLevel, ActionTemplate, DutyValue, Source
from readiness.scoring import (
    CAP_LEVEL,
    DISAGREEMENT_SPREAD,
    GREEN_FROM,
    MAX_LEVEL,
    RED_BELOW,
    GroupScore,
)

_LIGHT_WORDS = {
    "rood": gettext_noop("rood"),
    "oranje": gettext_noop("oranje"),
    "groen": gettext_noop("groen"),
}


# The generic description of each level of the answer scale (domain.md §2.1).
SCALE_DESCRIPTIONS = {
    0: gettext_noop("Niet aanwezig en (nog) geen aandacht voor."),
    1: gettext_noop(
        "Het onderwerp is benoemd of in kaart gebracht. Er gebeurt iets, maar los en "
        "afhankelijk van enkele personen."
    ),
    2: gettext_noop(
        "Er is een plan, pilot of eerste afspraak. Deels belegd, nog niet structureel of "
        "niet voor de hele gemeente."
    ),
    3: gettext_noop(
        "Structureel geregeld en vastgelegd in beleid, contract of werkafspraak. Budget en "
        "eigenaar zijn bekend en het werkt in de praktijk."
    ),
    4: gettext_noop(
        "Als niveau 3, en het wordt gevolgd, regelmatig met partners, inwoners en "
        "ervaringsdeskundigen besproken en bijgestuurd."
    ),
}


def scale() -> tuple[ScaleLevel, ...]:
    """The generic five levels, in the active language: the report's explanation of the
    scale, and the blank questionnaire's levels for a statement without texts of its own."""
    return tuple(
        ScaleLevel(level, str(LEVEL_LABELS[level]), gettext(SCALE_DESCRIPTIONS[level]))
        for level in range(MAX_LEVEL + 1)
    )


def report_language() -> str:
    """The language for a report asked for now: the active one (the user's interface
    language) when the report has it, else Dutch."""
    language = translation.get_language() or REPORT_LANGUAGE
    return language if language in dict(settings.LANGUAGES) else REPORT_LANGUAGE


def build_report(
    assessment: Assessment, language: str = REPORT_LANGUAGE, variant: str = FULL
) -> Report:
    """The report of a round as plain data, in a fixed number of queries (at most 10).

    ``language`` is that of the report's own texts (headings, labels, explanations): one
    of settings.LANGUAGES, else Dutch. ``variant`` is "volledig" or "bestuurlijk"
    (contents.VARIANTS): both hold the same data, the bestuurlijke rapportage shows less
    of it.
    """
    if language not in dict(settings.LANGUAGES):
        language = REPORT_LANGUAGE
    if variant not in VARIANTS:
        raise ValueError(f"unknown report variant {variant!r}")
    with translation.override(language):
        return _build(assessment, language, variant)


def _build(assessment: Assessment, language: str, variant: str) -> Report:
    results = load_results(assessment)
    # The level texts of each question: the framework version is immutable once a round
    # uses it, and its outline is cached per process (load_results read it already).
    level_texts = {
        q.code: q.level_descriptions for q in outline_for(assessment.framework).questions
    }
    actions = load_actions(assessment)
    scores = results.scores
    questions = results.question_by_code
    targets = {s.code: s.target for s in results.steps}
    theme_titles = {t.code: t.title for t in results.themes}
    # A theme without questions has no score; the report leaves it out, like the charts.
    themes = [t for t in results.themes if t.code in scores.themes]

    def level_text(code: str, level: int) -> str:
        texts = level_texts.get(code) or []
        return texts[level] if level < len(texts) else ""

    def gap_line(gap) -> GapLine:
        return GapLine(
            code=gap.code,
            statement=questions[gap.code].statement,
            theme=gap.theme,
            level=gap.level,
            level_label=str(LEVEL_LABELS[gap.level]),
            target=gap.target,
            gap=gap.gap,
            priority=gap.priority,
            is_critical=gap.is_critical,
            target_label=str(LEVEL_LABELS[gap.target]),
            level_text=level_text(gap.code, gap.level),
            target_text=level_text(gap.code, gap.target),
        )

    def theme_summary(code: str) -> ThemeSummary:
        members = [q for q in results.questions if q.theme == code]
        strengths = []
        for q in members:
            if q.code not in scores.consolidated:
                continue  # a legal duty or an indicator: never a strength or a gap
            level = scores.consolidated[q.code].level
            if level is not None and level >= targets[q.step]:
                strengths.append(Strength(q.code, q.statement, level, str(LEVEL_LABELS[level])))
        return ThemeSummary(
            code=code,
            title=theme_titles[code],
            score=_score(scores.themes[code]),
            strengths=tuple(strengths),
            gaps=tuple(gap_line(g) for g in scores.gaps if g.theme == code),
        )

    steps = tuple(
        StepSummary(
            code=step.code,
            number=number,
            title=step.title,
            description=step.description,
            target=step.target,
            target_label=str(LEVEL_LABELS[step.target]),
            score=_score(scores.steps[step.code]),
            themes=tuple(theme_summary(t.code) for t in themes if t.step == step.code),
        )
        for number, step in enumerate((s for s in results.steps if s.code in scores.steps), start=1)
    )
    framework = assessment.framework
    date = _report_date(assessment)
    branding = ReportBranding.objects.filter(municipality=assessment.municipality_id).first()
    return Report(
        language=language,
        municipality=assessment.municipality.name,
        consultant_name=branding.consultant_name if branding else "",
        logo=_logo(branding.logo if branding else None),
        consultant_logo=_logo(branding.consultant_logo if branding else None),
        title=assessment.title,
        status=assessment.status,
        is_concept=assessment.is_open,
        date=date,
        framework_name=framework.name,
        framework_version=framework.version,
        woonplaatsbeginsel_date=settings.WOONPLAATSBEGINSEL_DATE,
        respondents=tuple(results.respondents),
        overall=_score(scores.overall),
        steps=steps,
        chart_points=tuple(chart_points(results)),
        top_priorities=tuple(gap_line(g) for g in scores.gaps[:TOP_PRIORITIES]),
        decisions=_decisions(assessment, results, actions, date),
        to_investigate=tuple(
            OpenQuestion(
                code=code,
                statement=questions[code].statement,
                state_label=_result_label(results, code),
            )
            for code in scores.to_investigate
        ),
        disagreements=tuple(_disagreement(results, code) for code in scores.disagreements),
        actions=tuple(actions),
        appendix=_appendix(results),
        scale=scale(),
        method=_method_texts(),
        sources=tuple(
            SourceLine(code=s.code, title=s.title, url=s.url)
            for s in Source.objects.filter(framework=assessment.framework_id).order_by("id")
        ),
        benchmark=benchmark_for(assessment, results),
        since_previous=since_previous(assessment, results),
        timeline=timeline_entries(assessment, actions, date),
        variant=variant,
        duty_totals=(
            DutyTotals(scores.legal_duties.met, scores.legal_duties.applicable)
            if scores.duties
            else None
        ),
        duties=tuple(
            DutyLine(
                code=q.code,
                statement=q.statement,
                legal_basis=q.legal_basis,
                answer=_duty_label(d.state),
                is_met=d.is_met,
            )
            for q, d in results.legal_duties
        ),
        indicators=tuple(
            IndicatorLine(
                code=q.code,
                statement=q.statement,
                value=shown_number(i.value),
                unit=q.unit,
                period=q.period,
                values=tuple(shown_number(v) for v in i.values) if i.differs else (),
            )
            for q, i in results.indicators
        ),
        not_for_role=tuple(
            StatementLine(code, questions[code].statement) for code in scores.not_for_role
        ),
    )


def _duty_label(state: str) -> str:
    if state == "empty":
        return gettext("Niet beantwoord")
    return str(DutyValue(state).label)


def _logo(data: bytes | memoryview | None) -> Logo | None:
    if not data:
        return None
    data = bytes(data)
    return Logo(content_type=logo_content_type(data), data=data)


def _report_date(assessment: Assessment) -> datetime.date:
    if assessment.closed_at is not None:
        return timezone.localdate(assessment.closed_at)
    return timezone.localdate()


def _score(group: GroupScore) -> Score:
    light = group.light.value if group.light else None
    return Score(
        value=display_score(group.score) if group.score is not None else None,
        light=light,
        light_label=gettext(_LIGHT_WORDS[light]) if light else gettext("onvoldoende beantwoord"),
        coverage=display_score(100 * group.coverage) if group.coverage is not None else None,
        is_sufficient=group.is_sufficient,
        is_capped=group.is_capped,
    )


def _answer_label(value: str, number: str = "") -> str:
    if number:
        return shown_number(number)
    if not value:
        return gettext("Geen antwoord")
    return str(dict(ANSWER_CHOICES)[value])


def _result_label(results: Results, code: str) -> str:
    if code in results.scores.duties:
        return _duty_label(results.scores.duties[code].state)
    if code in results.scores.indicators:
        return shown_number(results.scores.indicators[code].value)
    if code in results.scores.not_for_role:
        return gettext("N.v.t. voor deze gemeente")
    result = results.scores.consolidated[code]
    if result.agreed:
        return gettext("%(level)s (vastgesteld in gesprek)") % {
            "level": _answer_label(str(result.level))
        }
    if result.level is not None:
        return _answer_label(str(result.level))
    if result.state == "empty":
        return gettext("Niet beantwoord")
    return _answer_label(result.state)


def _disagreement(results: Results, code: str) -> Disagreement:
    question = results.question_by_code[code]
    return Disagreement(
        code=code,
        statement=question.statement,
        spread=results.scores.consolidated[code].spread or 0,
        views=tuple(
            View(a.respondent, a.perspective, int(a.value))
            for a in results.answers.get(code, [])
            if a.value.isdigit()
        ),
    )


def _appendix(results: Results) -> tuple[AppendixRow, ...]:
    step_titles = {s.code: s.title for s in results.steps}
    theme_titles = {t.code: t.title for t in results.themes}
    rows = []
    for question in results.questions:
        given = {a.respondent: a for a in results.answers.get(question.code, [])}
        answers = []
        for number, perspective in enumerate(results.respondents, start=1):
            answer = given.get(number)
            if answer is None or not (answer.value or answer.note or answer.number):
                continue  # a respondent who left it open has nothing to show here
            answers.append(
                AppendixAnswer(
                    respondent=number,
                    perspective=perspective,
                    answer=_answer_label(answer.value, answer.number),
                    note=answer.note if answer else "",
                )
            )
        rows.append(
            AppendixRow(
                step=step_titles[question.step],
                theme=f"{question.theme} {theme_titles.get(question.theme, '')}".strip(),
                code=question.code,
                statement=question.statement,
                sources=question.sources,
                result=_result_label(results, question.code),
                answers=tuple(answers),
            )
        )
    return tuple(rows)


def _is_bestuurlijk(row: ActionRow) -> bool:
    return row.level_code == ActionLevel.BESTUURLIJK


def _decisions(
    assessment: Assessment, results: Results, actions: list[ActionRow], date: datetime.date
) -> tuple[Decision, ...]:
    from_plan = tuple(
        Decision(
            title=row.title,
            description=row.description,
            question_codes=row.question_codes,
            owner=row.owner,
            due_date=row.due_date,
            is_from_plan=True,
            # A deadline that passed before the report's date, for an action not done: no
            # longer something to agree to by then, so the report flags it.
            is_overdue=row.due_date is not None
            and row.due_date < date
            and row.status_code != Action.Status.DONE,
        )
        for row in actions
        if _is_bestuurlijk(row) and row.status_code != Action.Status.DROPPED
    )
    if from_plan:
        return from_plan
    # No decision in the plan yet: the bestuurlijk templates that the plan rules would
    # propose for the gaps. Templates belong to the immutable framework version, so a
    # closed round reads the same rows later.
    unmet = any(d.state in {"niet", "deels"} for d in results.scores.duties.values())
    if not results.scores.gaps and not unmet:
        return ()
    templates, proposals = template_proposals(
        results,
        ActionTemplate.objects.filter(
            framework=assessment.framework_id, level=ActionLevel.BESTUURLIJK
        ).select_related("theme", "question"),
    )
    return tuple(
        Decision(
            title=templates[p.template_code].title,
            description=templates[p.template_code].description,
            question_codes=p.question_codes,
            owner="",
            due_date=None,
            is_from_plan=False,
        )
        for p in proposals
    )


def _method_texts() -> tuple[str, ...]:
    numbers = {
        "red": int(RED_BELOW),
        "green": int(GREEN_FROM),
        "cap": CAP_LEVEL,
        "spread": DISAGREEMENT_SPREAD,
        "high": PRIORITY_HIGH_FROM,
        "medium": PRIORITY_MEDIUM_FROM,
    }
    return (
        gettext(
            "Elke stelling krijgt een niveau van 0 tot en met 4. 'Weet niet' en 'n.v.t.' "
            "mogen ook. Die tellen niet mee in de score."
        ),
        gettext(
            "Vullen meer mensen de scan in, dan telt per stelling het middelste niveau. Bij "
            "een even aantal telt het laagste van de twee middelste. Zo valt de uitkomst "
            "nooit te gunstig uit."
        ),
        gettext(
            "De score van een thema, een stap en het geheel is het aantal behaalde punten "
            "als percentage van het maximum (0 tot 100). Elke stelling heeft een gewicht "
            "van 1 tot 3: zwaardere stellingen tellen meer mee."
        ),
        gettext(
            "Heeft minder dan de helft van de stellingen een niveau, dan staat er "
            "'onvoldoende beantwoord' in plaats van een score. 'Weet niet' en lege "
            "antwoorden tellen daarbij als niet beantwoord; 'n.v.t.' telt niet mee."
        ),
        gettext(
            "Stoplicht: rood onder %(red)s, oranje van %(red)s tot %(green)s, groen vanaf "
            "%(green)s. Staat een basisvoorwaarde op niveau %(cap)s of lager, dan is het "
            "thema hooguit oranje."
        )
        % numbers,
        gettext(
            "De ambitie is het niveau dat de gemeente per stap wil halen, meestal 3 "
            "(ingericht). Het gat is de ambitie min het niveau. De prioriteit is het gat "
            "maal het gewicht, en dubbel bij een basisvoorwaarde: een stelling die er "
            "zeker moet zijn voor beschermd thuis."
        ),
        gettext(
            "Het rapport noemt de prioriteit hoog vanaf %(high)s (bijvoorbeeld een gat van "
            "2 bij gewicht 3), midden van %(medium)s tot %(high)s en laag daaronder."
        )
        % numbers,
        gettext(
            "Eerst uitzoeken: basisvoorwaarden die niemand kon beantwoorden. Verschil van "
            "inzicht: de invullers liggen %(spread)s niveaus of meer uit elkaar. Juist "
            "daarover is een gesprek nuttig."
        )
        % numbers,
    )
