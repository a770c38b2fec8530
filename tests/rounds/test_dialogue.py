"""The dialogue agenda, its workshop mode and agreed levels: access, content, the scores."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import AgreedLevel, Assessment, Response
from assessments.rounds import agreement
from assessments.rounds import services as round_services
from assessments.rounds.results import Results, compute_results, load_results
from assessments.rounds.services import AnswerInput, save_answers, set_perspective
from readiness.models import Question
from tests.factories import MembershipFactory, UserFactory, make_framework


def dialogue_url(a: Assessment) -> str:
    return reverse("assessments:dialogue", args=[a.pk])


def workshop_url(a: Assessment, number: int) -> str:
    return reverse("assessments:workshop", args=[a.pk, number])


def agreed_url(a: Assessment, question: Question) -> str:
    return reverse("assessments:agreed_level", args=[a.pk, question.pk])


def questions(a: Assessment) -> list[Question]:
    return list(Question.objects.filter(framework=a.framework).order_by("order"))


def answer(a: Assessment, user, values: dict[str, str], note: str = "") -> None:
    by_code = {q.code: q for q in questions(a)}
    save_answers(
        assessment=a,
        user=user,
        items=[AnswerInput(by_code[code], value, note) for code, value in values.items()],
    )


@pytest.fixture
def differing(assessment, editor, second_editor):
    """Two respondents who answered everything: level 1 and 3 on A1 (spread 2), 0 and 4 on
    B1 (spread 4), the same elsewhere; the editor speaks for 'wonen' and leaves a note."""
    codes = [q.code for q in questions(assessment)]
    answer(assessment, editor, dict.fromkeys(codes, "2") | {"A1": "1", "B1": "0"})
    answer(assessment, second_editor, dict.fromkeys(codes, "2") | {"A1": "3", "B1": "4"})
    answer(assessment, editor, {"B1": "0"}, note="Nog geen afspraken met de corporaties.")
    set_perspective(assessment=assessment, user=editor, perspective="wonen")
    return assessment


def a1(assessment) -> Question:
    return Question.objects.get(framework=assessment.framework, code="A1")


# --- Agreed levels in the scores ----------------------------------------------------------


@pytest.mark.django_db
def test_an_agreed_level_replaces_the_median_in_the_round_scores(differing, coordinator):
    before = compute_results(differing)
    assert before.scores.consolidated["A1"].level == 1
    assert "A1" in before.scores.disagreements

    agreement.set_agreed_level(
        assessment=differing, user=coordinator, question=a1(differing), level=4, rationale="Samen"
    )
    after = compute_results(differing)
    assert after.scores.consolidated["A1"].level == 4
    assert after.scores.consolidated["A1"].agreed
    assert after.scores.consolidated["A1"].levels == (1, 3)  # what was answered stays
    assert "A1" not in after.scores.disagreements
    assert after.scores.overall.score > before.scores.overall.score
    assert after.agreed["A1"].level == 4 and after.agreed["A1"].rationale == "Samen"


@pytest.mark.django_db
def test_the_closed_rounds_snapshot_keeps_the_agreed_levels(differing, coordinator):
    agreement.set_agreed_level(
        assessment=differing, user=coordinator, question=a1(differing), level=4, rationale="Samen"
    )
    round_services.close_assessment(assessment=differing, user=coordinator)
    AgreedLevel.objects.all().delete()  # the snapshot alone must carry them
    frozen = load_results(Assessment.objects.get(pk=differing.pk))
    assert frozen.scores.consolidated["A1"].agreed
    assert frozen.scores.consolidated["A1"].level == 4
    assert frozen.agreed["A1"].rationale == "Samen"


@pytest.mark.django_db
def test_a_snapshot_from_before_agreed_levels_still_loads(differing):
    data = compute_results(differing).to_dict()
    del data["agreed"], data["left_out"]
    for consolidated in data["scores"]["consolidated"].values():
        del consolidated["agreed"]
    old = Results.from_dict(data)
    assert old.agreed == {} and old.left_out == 0
    assert not any(c.agreed for c in old.scores.consolidated.values())
    assert old.scores == compute_results(differing).scores


@pytest.mark.django_db
def test_an_agreed_level_needs_a_rationale_an_open_round_and_a_question_of_the_round(
    differing, coordinator
):
    with pytest.raises(ValidationError, match="waarom"):
        agreement.set_agreed_level(
            assessment=differing, user=coordinator, question=a1(differing), level=2, rationale=" "
        )
    other = Question.objects.filter(framework=make_framework(questions=8)).first()
    with pytest.raises(ValidationError, match="hoort niet bij"):
        agreement.set_agreed_level(
            assessment=differing, user=coordinator, question=other, level=2, rationale="x"
        )
    with pytest.raises(ValidationError, match="0 tot en met 4"):
        agreement.set_agreed_level(
            assessment=differing, user=coordinator, question=a1(differing), level=5, rationale="x"
        )
    round_services.close_assessment(assessment=differing, user=coordinator)
    with pytest.raises(ValidationError, match="afgesloten"):
        agreement.set_agreed_level(
            assessment=differing, user=coordinator, question=a1(differing), level=2, rationale="x"
        )
    assert not AgreedLevel.objects.exists()


# --- The views ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_records_and_removes_an_agreed_level(client, differing, coordinator):
    client.force_login(coordinator)
    question = a1(differing)
    prefix = f"v{question.pk}"
    response = client.post(
        agreed_url(differing, question),
        {f"{prefix}-level": "3", f"{prefix}-rationale": "Besproken"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{dialogue_url(differing)}#vraag-A1")
    agreed = AgreedLevel.objects.get(assessment=differing, question=question)
    assert (agreed.level, agreed.rationale, agreed.decided_by) == (3, "Besproken", coordinator)
    assert agreed.history.count() == 1

    response = client.post(agreed_url(differing, question), {f"{prefix}-level": "", "screen": "2"})
    assert response["Location"] == workshop_url(differing, 2)
    assert not AgreedLevel.objects.exists()
    assert AgreedLevel.history.filter(history_type="-", history_user=coordinator).count() == 1


@pytest.mark.django_db
def test_a_level_without_rationale_is_not_recorded(client, differing, coordinator):
    client.force_login(coordinator)
    question = a1(differing)
    client.post(agreed_url(differing, question), {f"v{question.pk}-level": "3"})
    assert not AgreedLevel.objects.exists()
    page = client.get(dialogue_url(differing)).content.decode()
    assert "Niet opgeslagen" in page


@pytest.mark.django_db
def test_editors_and_viewers_cannot_use_the_agenda(client, differing, editor, viewer):
    for user in (editor, viewer):
        client.force_login(user)
        assert client.get(dialogue_url(differing)).status_code == 403
        assert client.get(workshop_url(differing, 1)).status_code == 403
        question = a1(differing)
        response = client.post(
            agreed_url(differing, question),
            {f"v{question.pk}-level": "3", f"v{question.pk}-rationale": "x"},
        )
        assert response.status_code == 403
    assert not AgreedLevel.objects.exists()


@pytest.mark.django_db
def test_the_agenda_ranks_by_spread_shows_perspectives_and_notes_not_names(
    client, differing, coordinator, editor, second_editor
):
    client.force_login(coordinator)
    page = client.get(dialogue_url(differing)).content.decode()
    assert page.index("Stelling B1") < page.index("Stelling A1")  # spread 4 before 2
    assert "Wonen" in page and "invuller 2" in page
    assert "Nog geen afspraken met de corporaties." in page
    main = page.split('id="main"')[1]
    for user in (editor, second_editor):
        assert user.get_full_name() not in main and f">{user.username}<" not in main


@pytest.mark.django_db
def test_the_agenda_shows_ten_and_the_rest_behind_toon_alle(client, coordinator, municipality):
    assessment = round_services.start_assessment(
        municipality=municipality,
        user=coordinator,
        title="Veel verschil",
        framework=make_framework(questions=24),
    )
    codes = [q.code for q in questions(assessment)]
    for value in ("0", "4"):
        user = MembershipFactory(municipality=municipality, user=UserFactory()).user
        answer(assessment, user, dict.fromkeys(codes, value))
    client.force_login(coordinator)
    page = client.get(dialogue_url(assessment)).content.decode()
    shown, hidden = page.split("<details")
    assert shown.count('class="card mb-3 agenda-item"') == 10
    assert hidden.count('class="card mb-3 agenda-item"') == 14
    assert "Toon alle: nog 14 vragen met verschil" in hidden

    results_page = client.get(reverse("assessments:results", args=[assessment.pk])).content
    verschil = results_page.decode().split('id="verschil"')[1].split("</section>")[0]
    top, rest = verschil.split("<details")
    assert top.count("<li>") == 10 and rest.count("<li>") == 14


@pytest.mark.django_db
def test_the_workshop_shows_one_statement_per_screen_with_previous_and_next(
    client, differing, coordinator
):
    client.force_login(coordinator)
    first = client.get(workshop_url(differing, 1)).content.decode()
    assert "Stelling B1" in first and "Stelling A1" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(workshop_url(differing, 2)).content.decode()
    assert "Stelling A1" in second and 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get(workshop_url(differing, 3)).status_code == 404
    assert client.get(workshop_url(differing, 0)).status_code == 404


@pytest.mark.django_db
def test_results_page_lists_agreed_levels(client, differing, coordinator, editor):
    agreement.set_agreed_level(
        assessment=differing, user=coordinator, question=a1(differing), level=3, rationale="Samen"
    )
    client.force_login(editor)
    page = client.get(reverse("assessments:results", args=[differing.pk])).content.decode()
    section = page.split('id="vastgesteld"')[1].split("</section>")[0]
    assert "Stelling A1" in section and "vastgesteld in gesprek" in section and "Samen" in section


@pytest.mark.django_db
def test_the_agenda_costs_a_bounded_number_of_queries(
    client, differing, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(dialogue_url(differing))  # fills the framework cache
    with django_assert_max_num_queries(9):
        assert client.get(dialogue_url(differing)).status_code == 200
    assert Response.objects.filter(assessment=differing).count() == 2


@pytest.mark.django_db
def test_the_demo_round_has_one_agreed_level_on_top_of_its_agenda(framework, municipality):
    from assessments.demo import AGREED_RATIONALE, create_example_round
    from assessments.rounds.dialogue_page import agenda_items

    owner = UserFactory(username="demo")
    demo = create_example_round(municipality, owner)
    agreed = AgreedLevel.objects.get(assessment=demo)  # exactly one
    assert agreed.rationale == AGREED_RATIONALE
    top = agenda_items(compute_results(demo))[0]
    assert top.question.id == agreed.question_id
    assert top.agreed is not None and top.result.level == agreed.level


@pytest.mark.django_db
def test_staff_see_agreed_levels_in_the_admin(client, differing, coordinator, staff):
    agreement.set_agreed_level(
        assessment=differing, user=coordinator, question=a1(differing), level=3, rationale="Samen"
    )
    client.force_login(staff)
    page = client.get(reverse("admin:assessments_agreedlevel_changelist"))
    assert page.status_code == 200
    assert "A1: 3" in page.content.decode()


@pytest.mark.django_db
def test_the_report_marks_an_agreed_level(differing, coordinator):
    from assessments.reports.build import build_report

    agreement.set_agreed_level(
        assessment=differing, user=coordinator, question=a1(differing), level=3, rationale="Samen"
    )
    rows = {row.code: row for row in build_report(differing).appendix}
    assert rows["A1"].result == "3 · Ingericht (vastgesteld in gesprek)"
    assert rows["A2"].result == "2 · In ontwikkeling"
