"""Legal duties, indicators, statements for one role and partners' answers in a round:
answering them (autosave and the plain form), the results, the dialogue, the plan and the
trend. The framework is the factories' one with the kinds added (``add_statement_kinds``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Answer, Assessment, Response
from assessments.plans.services import propose_actions
from assessments.rounds.agreement import set_response_inclusion
from assessments.rounds.results import compute_results, load_results
from assessments.rounds.services import save_answer, set_perspective
from readiness.kinds import DutySummary
from readiness.models import Question
from tests.factories import (
    AssessmentFactory,
    UserFactory,
    add_statement_kinds,
    close_round,
    make_framework,
)

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def kinds_framework(db):
    return add_statement_kinds(make_framework(questions=16))


@pytest.fixture
def regio(municipality, kinds_framework) -> Assessment:
    """A round of a regiogemeente on the framework with every kind of statement."""
    municipality.region_role = "regiogemeente"
    municipality.save()
    return AssessmentFactory(municipality=municipality, framework=kinds_framework)


def q(assessment: Assessment, code: str) -> Question:
    return Question.objects.get(framework=assessment.framework_id, code=code)


def answer_url(assessment: Assessment, question: Question) -> str:
    return reverse("assessments:answer", args=[assessment.pk, question.pk])


def step_url(assessment: Assessment, step: str) -> str:
    return reverse("assessments:questionnaire", args=[assessment.pk, step])


def answer_maturity(assessment: Assessment, user, level: str = "2") -> None:
    """A level for every maturity statement for the municipality's role (not P1)."""
    for question in Question.objects.filter(framework=assessment.framework_id, kind="maturity"):
        if question.code in {"C9", "P1"}:
            continue
        save_answer(assessment=assessment, user=user, question=question, value=level, note="")


# --- Answering -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_legal_duty_is_answered_voldaan_deels_niet_or_nvt(client, regio, editor):
    client.force_login(editor)
    w1 = q(regio, "W1")
    for value in ("voldaan", "deels", "niet", "nvt"):
        response = client.post(answer_url(regio, w1), {f"q-{w1.pk}-value": value}, **HX)
        assert response.status_code == 200, response.content
        assert Answer.objects.get(question=w1).value == value


@pytest.mark.django_db
def test_a_level_is_no_answer_to_a_legal_duty_and_changes_nothing(client, regio, editor):
    client.force_login(editor)
    w1 = q(regio, "W1")
    save_answer(assessment=regio, user=editor, question=w1, value="voldaan", note="")
    response = client.post(answer_url(regio, w1), {f"q-{w1.pk}-value": "3"}, **HX)
    assert response.status_code == 400
    assert "Kies voldaan, deels voldaan, niet voldaan" in response.content.decode()
    assert Answer.objects.get(question=w1).value == "voldaan"
    with pytest.raises(ValidationError, match="voldaan"):
        save_answer(assessment=regio, user=editor, question=w1, value="4", note="")


@pytest.mark.django_db
def test_an_indicator_takes_a_number_with_a_decimal_comma(client, regio, editor):
    client.force_login(editor)
    k1 = q(regio, "K1")
    response = client.post(answer_url(regio, k1), {f"q-{k1.pk}-number": "3,5"}, **HX)
    assert response.status_code == 200, response.content
    answer = Answer.objects.get(question=k1)
    assert (answer.value, answer.number) == ("", Decimal("3.5"))
    # The history row has the number too (the save service writes it).
    assert answer.history.first().number == Decimal("3.5")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "twaalf"}, "Vul een getal in, bijvoorbeeld 12 of 3,5."),
        ({"number": "1,234"}, "hoogstens 2 cijfers achter de komma"),
        ({"number": "1e20"}, "hoogstens 12 cijfers"),
        ({"value": "3"}, "getal in, geen niveau"),
    ],
)
def test_a_bad_number_is_refused_in_dutch_and_changes_nothing(client, regio, editor, data, message):
    client.force_login(editor)
    k1 = q(regio, "K1")
    save_answer(assessment=regio, user=editor, question=k1, value="", note="", number=Decimal(12))
    post = {f"q-{k1.pk}-{name}": value for name, value in data.items()}
    response = client.post(answer_url(regio, k1), post, **HX)
    assert response.status_code == 400
    assert message in response.content.decode()
    answer = Answer.objects.get(question=k1)
    assert (answer.value, answer.number) == ("", Decimal(12))


@pytest.mark.django_db
def test_a_number_is_no_answer_to_a_maturity_statement(client, regio, editor):
    client.force_login(editor)
    a1 = q(regio, "A1")
    response = client.post(answer_url(regio, a1), {f"q-{a1.pk}-number": "4"}, **HX)
    assert response.status_code == 400
    assert "geen getal" in response.content.decode()
    assert not Answer.objects.filter(question=a1).exists()


@pytest.mark.django_db
def test_the_step_page_shows_the_input_of_each_kind(client, regio, editor):
    client.force_login(editor)
    w1, a1 = q(regio, "B1"), q(regio, "W1")  # B1 a level, W1 a legal duty
    page = client.get(step_url(regio, "samenwerking")).content.decode()
    assert f'name="q-{a1.pk}-value" id="id_q-{a1.pk}-value_voldaan" value="voldaan"' in page
    assert f'id="id_q-{a1.pk}-value_3"' not in page  # no level for a legal duty
    assert f'id="id_q-{w1.pk}-value_3"' in page
    assert "Wgs art. 4a" in page and "wettelijke plicht" in page
    k1 = q(regio, "K1")
    page = client.get(step_url(regio, "start_nu")).content.decode()
    assert f'name="q-{k1.pk}-number"' in page
    assert f'id="id_q-{k1.pk}-value_3"' not in page
    assert "weken" in page and "2026" in page


@pytest.mark.django_db
def test_the_plain_form_saves_numbers_and_refuses_a_bad_one(client, regio, editor):
    client.force_login(editor)
    k1, k2 = q(regio, "K1"), q(regio, "K2")
    url = step_url(regio, "start_nu")
    response = client.post(url, {f"q-{k1.pk}-number": "14", f"q-{k2.pk}-number": "geen"})
    assert response.status_code == 400
    assert "Vul een getal in" in response.content.decode()
    assert not Answer.objects.filter(question__in=[k1, k2]).exists()
    response = client.post(url, {f"q-{k1.pk}-number": "14", f"q-{k2.pk}-number": "2,5"})
    assert response.status_code == 302
    assert {a.question.code: a.number for a in Answer.objects.filter(question__in=[k1, k2])} == {
        "K1": Decimal(14),
        "K2": Decimal("2.5"),
    }


# --- N.v.t. by the municipality's role ---------------------------------------------------------


@pytest.mark.django_db
def test_a_statement_for_the_other_role_is_not_asked(client, regio, editor):
    client.force_login(editor)
    c9, r9 = q(regio, "C9"), q(regio, "R9")
    page = client.get(step_url(regio, "start_nu")).content.decode()
    assert "n.v.t. voor uw gemeente" in page
    assert f'name="q-{c9.pk}-value"' not in page
    assert f'name="q-{r9.pk}-value"' in page
    response = client.post(answer_url(regio, c9), {f"q-{c9.pk}-value": "2"}, **HX)
    assert response.status_code == 400
    assert "niet van toepassing voor uw gemeente" in response.content.decode()
    assert not Answer.objects.filter(question=c9).exists()


@pytest.mark.django_db
def test_without_a_role_every_statement_is_asked(client, municipality, kinds_framework, editor):
    assessment = AssessmentFactory(municipality=municipality, framework=kinds_framework)
    client.force_login(editor)
    page = client.get(step_url(assessment, "start_nu")).content.decode()
    assert "n.v.t. voor uw gemeente" not in page
    assert f'name="q-{q(assessment, "C9").pk}-value"' in page


@pytest.mark.django_db
def test_results_keep_duties_indicators_and_the_other_role_out_of_the_score(
    client, regio, editor, coordinator
):
    answer_maturity(regio, editor, "2")
    for code, value in (("W1", "voldaan"), ("W2", "deels")):
        save_answer(assessment=regio, user=editor, question=q(regio, code), value=value, note="")
    k1 = q(regio, "K1")
    save_answer(assessment=regio, user=editor, question=k1, value="", note="", number=Decimal(14))
    results = compute_results(regio)
    scores = results.scores
    assert not {"W1", "W2", "W3", "K1", "K2"} & set(scores.consolidated)
    assert scores.consolidated["C9"].state == "nvt"  # critical, but not for this role
    assert scores.consolidated["P1"].state == "nvt"  # the corporatie's statement
    # 16 statements of the factories and R9 answered at level 2 out of 4: exactly 50.
    assert (scores.overall.answered, scores.overall.applicable) == (17, 17)
    assert scores.overall.score == 50.0 and not scores.overall.is_capped
    assert scores.legal_duties == DutySummary(met=1, applicable=2)  # W3 is for centrum
    assert scores.indicators["K1"].value == "14" and scores.indicators["K2"].value is None
    assert scores.not_for_role == ["W3", "C9"]
    client.force_login(coordinator)
    page = client.get(reverse("assessments:results", args=[regio.pk])).content.decode()
    assert "Wettelijke plichten: 1 van 2 voldaan" in page
    assert "Deels voldaan" in page and "Wvggz art. 5:1" in page
    assert "N.v.t. voor uw gemeente" in page and "Stelling C9" in page


@pytest.mark.django_db
def test_a_closed_round_keeps_its_duties_and_indicators(regio, editor):
    answer_maturity(regio, editor)
    save_answer(assessment=regio, user=editor, question=q(regio, "W1"), value="voldaan", note="")
    save_answer(
        assessment=regio, user=editor, question=q(regio, "K2"), value="", note="", number=Decimal(3)
    )
    before = compute_results(regio)
    close_round(regio, editor)
    Answer.objects.filter(question__code="W1").update(value="niet")
    regio.refresh_from_db()
    assert load_results(regio) == before


@pytest.mark.django_db
def test_only_actions_for_the_municipalitys_role_are_proposed(regio, editor, municipality):
    answer_maturity(regio, editor, "0")
    titles = {a.title for a in propose_actions(assessment=regio, user=editor)}
    assert "Actie alleen voor regiogemeente" in titles
    assert "Actie alleen voor centrumgemeente" not in titles


# --- Partners' answers: a perspective, not the score -------------------------------------------


@pytest.fixture
def partner(regio):
    """A housing corporation's response: every statement answered at level 4."""
    user = UserFactory(username="partnergebruiker")
    response = Response.objects.create(assessment=regio, respondent=user, perspective="corporatie")
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value="4")
        for question in Question.objects.filter(framework=regio.framework_id, kind="maturity")
        if question.code != "C9"
    )
    return response


@pytest.mark.django_db
def test_a_partners_answers_are_not_in_the_score_by_default(regio, editor, partner):
    answer_maturity(regio, editor, "1")
    set_perspective(assessment=regio, user=editor, perspective="wonen")
    results = compute_results(regio)
    assert results.perspectives == ["wonen"]
    assert results.scores.overall.score == 25.0
    assert results.scores.consolidated["P1"].state == "nvt"
    assert results.scores.disagreements == []
    assert {a.value for a in results.partner_answers["A1"]} == {"4"}
    assert results.partner_answers["A1"][0].respondent == 2  # numbered after the counted ones
    assert results.left_out == 1


@pytest.mark.django_db
def test_the_coordinator_can_let_a_partner_count(regio, editor, partner):
    answer_maturity(regio, editor, "1")
    set_response_inclusion(assessment=regio, response=partner, included=True)
    results = compute_results(regio)
    assert len(results.perspectives) == 2 and results.partner_answers == {}
    assert "A1" in results.scores.disagreements  # 1 and 4: now part of the own levels
    # The corporatie's own statement stays a perspective, never the municipality's score.
    assert results.scores.consolidated["P1"].state == "nvt"


@pytest.mark.django_db
def test_a_partners_own_statement_is_asked_only_to_that_partner(client, regio, editor, partner):
    p1 = q(regio, "P1")
    client.force_login(editor)
    assert f'name="q-{p1.pk}-value"' not in client.get(step_url(regio, "samenwerking")).text
    # A respondent whose perspective is the corporatie's sees it.
    set_perspective(assessment=regio, user=editor, perspective="corporatie")
    assert f'name="q-{p1.pk}-value"' in client.get(step_url(regio, "samenwerking")).text


@pytest.mark.django_db
def test_an_unmet_legal_duty_gets_its_action_first(regio, editor):
    answer_maturity(regio, editor, "2")
    save_answer(assessment=regio, user=editor, question=q(regio, "W1"), value="niet", note="")
    actions = propose_actions(assessment=regio, user=editor)
    first = actions[0]
    assert (first.title, first.priority) == ("Actie voor de schuldhulp", 24)
    assert [c.code for c in first.questions.all()] == ["W1"]


@pytest.mark.django_db
def test_the_dialogue_shows_what_partners_said(client, regio, editor, coordinator, partner):
    answer_maturity(regio, editor, "1")
    client.force_login(coordinator)
    page = client.get(reverse("assessments:dialogue", args=[regio.pk])).content.decode()
    assert "Het perspectief van partners" in page
    assert "Woningcorporatie" in page
    assert "tellen niet mee in de score van uw gemeente" in page
    assert partner.respondent.username not in page  # a perspective, never a name


@pytest.mark.django_db
def test_the_round_page_does_not_count_a_partner_by_default(client, regio, editor, partner):
    client.force_login(editor)
    page = client.get(reverse("assessments:detail", args=[regio.pk])).context
    counts = {r.perspective: r.counts for r in page["responses"]}
    assert counts == {"corporatie": False}


# --- The trend -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_trend_shows_indicators_over_the_rounds(client, municipality, kinds_framework, editor):
    first = AssessmentFactory(municipality=municipality, framework=kinds_framework, title="Eerste")
    answer_maturity(first, editor)
    k1 = q(first, "K1")
    save_answer(assessment=first, user=editor, question=k1, value="", note="", number=Decimal(12))
    close_round(first, editor)
    second = AssessmentFactory(municipality=municipality, framework=kinds_framework, title="Twee")
    save_answer(
        assessment=second, user=editor, question=k1, value="", note="", number=Decimal("9.5")
    )
    # One statement of many answered: below the threshold, so the coordinator lets it count.
    Response.objects.filter(assessment=second).update(is_included=True)
    client.force_login(editor)
    response = client.get(reverse("assessments:trend", args=[second.pk]))
    data = response.context["data"]
    assert [(row.question.code, row.values) for row in data.indicators] == [
        ("K1", ("12", "9,5")),
        ("K2", ("–", "–")),
    ]
    page = response.content.decode()
    assert "Indicatoren over de metingen" in page and "weken" in page


@pytest.mark.django_db
def test_the_home_page_counts_only_the_statements_for_the_role(client, regio, editor):
    k1 = q(regio, "K1")
    save_answer(assessment=regio, user=editor, question=k1, value="", note="", number=Decimal(1))
    client.force_login(editor)
    groups = client.get(reverse("assessments:home")).context["groups"]
    (round_,) = groups[0][1]
    total = Question.objects.filter(framework=regio.framework_id).count()
    # W3 and C9 are for centrumgemeenten, P1 is the corporatie's; a number is an answer.
    assert (round_.question_count, round_.my_answered) == (total - 3, 1)


# --- Carrying a round forward into a version where a statement changed kind ----------------------


@pytest.mark.django_db
def test_a_level_is_not_carried_into_a_statement_that_became_a_legal_duty(
    municipality, coordinator, editor, monkeypatch
):
    from assessments.rounds import trend
    from assessments.rounds.services import start_assessment

    old = make_framework(questions=16, version="oud")
    new = add_statement_kinds(make_framework(questions=16, version="nieuw"))
    Question.objects.filter(framework=old, code="B1").update(key="schulden")
    Question.objects.filter(framework=new, code="W1").update(key="schulden")
    Question.objects.filter(framework=old, code="A1").update(key="regie")
    Question.objects.filter(framework=new, code="A1").update(key="regie")
    monkeypatch.setattr(
        trend, "_mapping", lambda _old, _new: {"B1": ("schulden",), "A1": ("regie",)}
    )
    first = AssessmentFactory(municipality=municipality, framework=old)
    for code in ("A1", "B1"):
        save_answer(assessment=first, user=editor, question=q(first, code), value="2", note=code)
    close_round(first, coordinator)
    second = start_assessment(
        municipality=municipality,
        user=coordinator,
        title="Herhaal",
        framework=new,
        carry_answers=True,
    )
    carried = {
        a.question.code: (a.value, a.note)
        for a in Answer.objects.filter(response__assessment=second)
    }
    # The level stays a level; the duty keeps only the note, never "2".
    assert carried == {"A1": ("2", "A1"), "W1": ("", "B1")}
    assert compute_results(second).scores.duties["W1"].state == "empty"


@pytest.mark.django_db
def test_no_level_can_be_agreed_for_a_legal_duty_or_an_indicator(regio, coordinator):
    from assessments.rounds.agreement import set_agreed_level

    for code in ("W1", "K1"):
        with pytest.raises(ValidationError, match="geen stelling met niveaus"):
            set_agreed_level(
                assessment=regio, user=coordinator, question=q(regio, code), level=3, rationale="x"
            )
    assert not regio.agreed_levels.exists()


@pytest.mark.django_db
def test_the_history_of_an_indicator_shows_its_number(client, regio, editor):
    k1 = q(regio, "K1")
    save_answer(
        assessment=regio, user=editor, question=k1, value="", note="", number=Decimal("3.5")
    )
    client.force_login(editor)
    url = reverse("assessments:answer_history", args=[regio.pk, k1.pk])
    assert "<td>3,50</td>" in client.get(url).content.decode()  # two decimals, as stored
