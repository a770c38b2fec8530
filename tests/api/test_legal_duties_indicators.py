"""The API's legal duties (voldaan, deels, niet, n.v.t., with the article) and indicators
(a number with unit and period): shown apart from the scores and never part of one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.api.services import create_api_token
from assessments.api.views import indicators_data, legal_duties_data, scores_data
from assessments.models import Answer, Assessment
from assessments.rounds.results import compute_results, load_results
from assessments.rounds.services import save_answer
from readiness.models import Question
from tests.factories import AssessmentFactory, add_statement_kinds, close_round, make_framework


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def q(assessment: Assessment, code: str) -> Question:
    return Question.objects.get(framework=assessment.framework_id, code=code)


@pytest.fixture
def regio(municipality) -> Assessment:
    """A regiogemeente's round with every kind of statement (tests.factories), answered:
    a level for each maturity statement, W1 voldaan, W2 deels, K1 12,5 weeks, K2 nothing."""
    municipality.region_role = "regiogemeente"
    municipality.save()
    return AssessmentFactory(
        municipality=municipality, framework=add_statement_kinds(make_framework(questions=16))
    )


def answer(assessment: Assessment, user) -> None:
    for question in Question.objects.filter(framework=assessment.framework_id, kind="maturity"):
        if question.code not in {"C9", "P1"}:  # for centrumgemeenten; the corporatie's
            save_answer(assessment=assessment, user=user, question=question, value="2", note="")
    save_answer(
        assessment=assessment, user=user, question=q(assessment, "W1"), value="voldaan", note=""
    )
    save_answer(
        assessment=assessment, user=user, question=q(assessment, "W2"), value="deels", note=""
    )
    save_answer(
        assessment=assessment,
        user=user,
        question=q(assessment, "K1"),
        value="",
        note="",
        number=Decimal("12.5"),
    )


@pytest.mark.django_db
def test_legal_duties_come_with_their_article_state_and_how_many_are_met(
    client, regio, editor, viewer
):
    answer(regio, editor)
    _token, secret = create_api_token(user=viewer, name="x", days=1)
    data = client.get(reverse("api:round_legal_duties", args=[regio.pk]), **bearer(secret))
    assert data.status_code == 200
    data = data.json()
    assert (data["round"], data["met"], data["applicable"]) == (regio.pk, 1, 2)
    assert [
        (d["code"], d["legal_basis"], d["applies_to"], d["state"], d["answers"])
        for d in data["duties"]
    ] == [
        ("W1", "Wgs art. 4a", "all", "voldaan", ["voldaan"]),
        ("W2", "Wvggz art. 5:1", "all", "deels", ["deels"]),
        # For centrumgemeenten only: n.v.t. in a regiogemeente without anyone saying so.
        ("W3", "", "centrumgemeente", "nvt", []),
    ]
    assert data["duties"][0]["statement"] == "Stelling W1"


@pytest.mark.django_db
def test_indicators_come_as_numbers_with_unit_and_period(client, regio, editor, viewer):
    answer(regio, editor)
    _token, secret = create_api_token(user=viewer, name="x", days=1)
    data = client.get(reverse("api:round_indicators", args=[regio.pk]), **bearer(secret)).json()
    assert data == {
        "round": regio.pk,
        "indicators": [
            {
                "code": "K1",
                "statement": "Stelling K1",
                "unit": "weken",
                "period": "2026",
                "value": "12.5",
                "values": ["12.5"],
                "differs": False,
            },
            {
                "code": "K2",
                "statement": "Stelling K2",
                "unit": "huishoudens",
                "period": "2026",
                "value": None,
                "values": [],
                "differs": False,
            },
        ],
    }


@pytest.mark.django_db
def test_no_duty_answer_and_no_number_changes_a_score(regio, editor):
    answer(regio, editor)
    before = scores_data(regio, compute_results(regio))
    Answer.objects.filter(question__code="W1").update(value="niet")
    Answer.objects.filter(question__code="K1").update(number=Decimal(400))
    after = compute_results(regio)
    assert scores_data(regio, after) == before
    assert legal_duties_data(regio, after)["met"] == 0
    assert indicators_data(regio, after)["indicators"][0]["value"] == "400"


@pytest.mark.django_db
def test_a_closed_round_answers_from_its_snapshot(client, regio, editor, coordinator):
    answer(regio, editor)
    open_duties = legal_duties_data(regio, compute_results(regio))
    open_indicators = indicators_data(regio, compute_results(regio))
    close_round(regio, coordinator)
    regio.refresh_from_db()
    # A later change of the answers does not reach the closed round's figures.
    Answer.objects.filter(question__code="W1").update(value="niet")
    Answer.objects.filter(question__code="K1").update(number=Decimal(1))
    _token, secret = create_api_token(user=coordinator, name="x", days=1)
    duties = client.get(reverse("api:round_legal_duties", args=[regio.pk]), **bearer(secret))
    indicators = client.get(reverse("api:round_indicators", args=[regio.pk]), **bearer(secret))
    assert duties.json() == open_duties == legal_duties_data(regio, load_results(regio))
    assert indicators.json() == open_indicators


@pytest.mark.django_db
def test_another_municipalitys_round_is_a_404_and_no_token_a_401(client, regio, outsider):
    _token, secret = create_api_token(user=outsider, name="x", days=1)
    for name in ("api:round_legal_duties", "api:round_indicators"):
        url = reverse(name, args=[regio.pk])
        assert client.get(url, **bearer(secret)).status_code == 404
        assert client.get(url).status_code == 401
        assert client.post(url, **bearer(secret)).status_code in {404, 405}


@pytest.mark.django_db
def test_an_editor_of_an_open_round_sees_colleagues_answers_only_after_answering(
    client, regio, editor, second_editor
):
    """The one visibility rule (access.visibility), as on the results page: the state and
    the middle value are figures of the round; each respondent's own answer to a duty or
    number for an indicator only once the editor answered that statement."""
    answer(regio, second_editor)
    _token, secret = create_api_token(user=editor, name="x", days=1)

    def fetch():
        duties = client.get(reverse("api:round_legal_duties", args=[regio.pk]), **bearer(secret))
        indicators = client.get(reverse("api:round_indicators", args=[regio.pk]), **bearer(secret))
        return (
            {d["code"]: (d["state"], d["answers"]) for d in duties.json()["duties"]},
            {i["code"]: (i["value"], i["values"]) for i in indicators.json()["indicators"]},
        )

    duties, indicators = fetch()
    assert duties["W1"] == ("voldaan", None)
    assert indicators["K1"] == ("12.5", None)

    save_answer(assessment=regio, user=editor, question=q(regio, "W1"), value="niet", note="")
    save_answer(
        assessment=regio, user=editor, question=q(regio, "K1"), value="", note="", number=Decimal(7)
    )
    # Answered now: the colleague's answers show (the editor's own two answers do not count
    # yet: too few statements answered for a response to count).
    duties, indicators = fetch()
    assert duties["W1"] == ("voldaan", ["voldaan"])
    assert duties["W2"] == ("deels", None)  # not answered by the editor yet
    assert indicators["K1"] == ("12.5", ["12.5"])


@pytest.mark.django_db
def test_the_results_page_shows_colleagues_numbers_only_after_answering(
    client, regio, editor, second_editor, coordinator
):
    answer(regio, second_editor)  # K1: 12,5
    answer(regio, coordinator)
    save_answer(
        assessment=regio,
        user=coordinator,
        question=q(regio, "K1"),
        value="",
        note="",
        number=Decimal(20),
    )
    client.force_login(editor)
    url = reverse("assessments:results", args=[regio.pk])
    html = client.get(url).content.decode()
    assert "(invullers gaven verschillende getallen)" in html
    assert "12,5; 20" not in html
    save_answer(
        assessment=regio, user=editor, question=q(regio, "K1"), value="", note="", number=Decimal(7)
    )
    html = client.get(url).content.decode()
    assert "(invullers gaven verschillende getallen: 12,5; 20)" in html
