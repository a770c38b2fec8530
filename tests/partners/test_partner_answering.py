"""A partner answers through the link: the way in, the step page and autosave, what
they do not see, and how the link stops working (revoked, expired, round closed)."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Assessment, PartnerLink, Response
from assessments.partners.services import partner_questions, revoke_partner_link
from assessments.rounds.results import compute_results
from assessments.rounds.services import AnswerInput, save_answers
from tests.factories import make_framework
from tests.helpers.partners import link_address, make_link, open_link, partner_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def first_question(link):
    return partner_questions(link.assessment, link.perspective)[0]


def autosave(client, link, question, value, note=""):
    prefix = f"q-{question.pk}"
    return client.post(
        partner_url("partner_answer", link, question.pk),
        {f"{prefix}-value": value, f"{prefix}-note": note},
        **HTMX,
    )


def security_events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]


def test_the_link_opens_a_partner_session_and_drops_the_token_from_the_address(link, caplog):
    client = Client()
    with caplog.at_level(logging.INFO, logger="scan.security"):
        response = open_link(client, link)
    assert response.status_code == 302
    assert response["Location"] == partner_url("partner_home", link)
    assert "sesame" not in response["Location"]
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    home = client.get(response["Location"])
    html = home.content.decode()
    assert home.status_code == 200
    assert "Woningcorporatie De Woonplaats" in html and "Zonnedal" in html
    assert "0 van 16 stellingen beantwoord" in html
    # Not logged in: the partner is no user of the app.
    assert "_auth_user_id" not in client.session
    link.refresh_from_db()
    assert link.last_used_at is not None
    opened = [e for e in security_events(caplog) if e["event"] == "partner_link"]
    assert opened[0]["action"] == "partnerlink openen"


def test_a_partner_answers_with_autosave_as_their_own_perspective(partner, link, editor):
    question = first_question(link)
    response = autosave(partner, link, question, "3", "Staat in de prestatieafspraken.")
    assert response.status_code == 200
    assert "Opgeslagen om" in response.content.decode()
    answer = Answer.objects.get(response__respondent=link.user)
    assert (answer.question, answer.value, answer.note) == (
        question,
        "3",
        "Staat in de prestatieafspraken.",
    )
    own = Response.objects.get(assessment=link.assessment, respondent=link.user)
    assert own.perspective == "corporatie"
    # In the history with the hidden user, like any respondent's answer.
    assert answer.history.first().history_user == link.user
    # The page reloads with the answer.
    page = partner.get(partner_url("partner_questionnaire", link, question.theme.step.code))
    assert 'value="3" checked' in page.content.decode()


def test_the_partner_response_is_its_own_perspective_and_counts_by_choice(partner, link):
    for question in partner_questions(link.assessment, link.perspective):
        autosave(partner, link, question, "2")
    own = Response.objects.get(respondent=link.user)
    assert own.perspective == "corporatie"
    # Not in the municipality's score unless the coordinator lets it count (docs/scoring.md).
    assert compute_results(link.assessment).scores.overall.coverage == 0
    Response.objects.filter(pk=own.pk).update(is_included=True)
    assert compute_results(link.assessment).scores.overall.coverage == 1


def test_the_whole_step_also_saves_as_a_plain_post(partner, link):
    question = first_question(link)
    step = question.theme.step.code
    response = partner.post(
        partner_url("partner_questionnaire", link, step), {f"q-{question.pk}-value": "nvt"}
    )
    assert response.status_code == 302
    assert Answer.objects.get(response__respondent=link.user, question=question).value == "nvt"
    bad = partner.post(
        partner_url("partner_questionnaire", link, step), {f"q-{question.pk}-value": "9"}
    )
    assert bad.status_code == 400
    assert Answer.objects.get(response__respondent=link.user, question=question).value == "nvt"


def test_a_bad_answer_or_a_question_of_another_round_saves_nothing(partner, link, framework):
    question = first_question(link)
    assert autosave(partner, link, question, "7").status_code == 400
    elsewhere = make_framework(questions=4).questions.first()
    refused = autosave(partner, link, elsewhere, "2")
    assert refused.status_code == 400
    assert "hoort niet bij deze meting" in refused.content.decode()
    assert not Answer.objects.filter(response__respondent=link.user).exists()


def test_a_partner_sees_no_one_elses_answers_names_or_history(partner, link, editor):
    question = first_question(link)
    save_answers(
        assessment=link.assessment,
        user=editor,
        items=[AnswerInput(question, "1", "Geheime notitie van de gemeente")],
    )
    other = make_link(link.assessment, None, organisation="Zorgaanbieder De Brug")
    save_answers(
        assessment=link.assessment,
        user=other.user,
        items=[AnswerInput(question, "4", "Notitie van een andere partner")],
    )
    pages = [
        partner.get(partner_url("partner_home", link)),
        partner.get(partner_url("partner_questionnaire", link, question.theme.step.code)),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        for secret in (
            "Geheime notitie",
            "Notitie van een andere partner",
            "Zorgaanbieder De Brug",
            editor.get_full_name(),
            "historie",
            f"/meting/{link.assessment_id}/",  # no link into the municipality's pages
        ):
            assert secret not in html, secret
        assert 'value="1" checked' not in html and 'value="4" checked' not in html


def test_a_partner_session_is_for_its_own_link_only(partner, link):
    other = make_link(link.assessment, None, organisation="Politie Midden", perspective="politie")
    assert partner.get(partner_url("partner_home", other)).status_code == 403
    question = first_question(other)
    assert autosave(partner, other, question, "2").status_code == 403
    assert not Answer.objects.exists()


def test_a_token_of_one_link_does_not_open_another(link):
    other = make_link(link.assessment, None, organisation="GGD Regio", perspective="ggd")
    token = link_address(link).split("?", 1)[1]
    client = Client()
    response = client.get(reverse("assessments:partner_entry", args=[other.pk]) + "?" + token)
    assert response.status_code == 403
    assert "Deze link werkt niet (meer)" in response.content.decode()
    assert client.get(partner_url("partner_home", other)).status_code == 403


@pytest.mark.parametrize("query", ["", "?sesame=", "?sesame=abc", "?sesame=" + "A" * 40])
def test_a_missing_or_wrong_token_is_a_clear_page(link, query):
    client = Client()
    response = client.get(reverse("assessments:partner_entry", args=[link.pk]) + query)
    assert response.status_code == 403
    assert "Deze link werkt niet (meer)" in response.content.decode()
    assert client.get(partner_url("partner_home", link)).status_code == 403


def test_an_unknown_link_is_the_same_page(link):
    token = link_address(link).split("?", 1)[1]
    response = Client().get(
        reverse("assessments:partner_entry", args=[link.pk + 1000]) + "?" + token
    )
    assert response.status_code == 403
    assert "Deze link werkt niet (meer)" in response.content.decode()


def test_a_revoked_link_stops_at_once_also_in_an_open_session(partner, link, coordinator):
    question = first_question(link)
    assert autosave(partner, link, question, "2").status_code == 200
    address = link_address(link)
    revoke_partner_link(link=link, revoked_by=coordinator)

    home = partner.get(partner_url("partner_home", link))
    assert home.status_code == 403
    assert "De gemeente heeft deze link ingetrokken" in home.content.decode()
    refused = autosave(partner, link, question, "4")
    assert refused.status_code == 403
    assert "niet opgeslagen" in refused.content.decode()
    # The address handed out no longer opens anything.
    again = Client().get(address)
    assert again.status_code == 403
    assert "Deze link werkt niet (meer)" in again.content.decode()
    # The answers given stay in the round.
    assert Answer.objects.get(response__respondent=link.user).value == "2"


def test_an_expired_link_says_until_when_it_worked(partner, link):
    PartnerLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    link.refresh_from_db()
    home = partner.get(partner_url("partner_home", link))
    assert home.status_code == 403
    assert "Deze link was geldig tot en met" in home.content.decode()
    entry = Client().get(link_address(link))
    assert entry.status_code == 410
    assert "Deze link was geldig tot en met" in entry.content.decode()
    assert autosave(partner, link, first_question(link), "2").status_code == 403


def test_closing_the_round_ends_the_link(partner, link):
    Assessment.objects.filter(pk=link.assessment_id).update(status=Assessment.Status.CLOSED)
    page = partner.get(partner_url("partner_questionnaire", link, "wijkbasis"))
    assert page.status_code == 403
    assert "afgesloten" in page.content.decode()


def test_opening_a_link_ends_a_members_login_in_that_browser(client, coordinator, link):
    client.force_login(coordinator)
    assert open_link(client, link).status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("assessments:home")).status_code == 302  # to the login page


def test_stopping_ends_the_partner_session(partner, link):
    response = partner.post(partner_url("partner_leave", link))
    assert response.status_code == 200
    assert "U bent gestopt" in response.content.decode()
    assert partner.get(partner_url("partner_home", link)).status_code == 403


def test_wrong_links_are_rate_limited_per_address(link, settings, caplog):
    settings.PARTNER_LINK_RATE_FAILED = "3/minute"
    client = Client()
    wrong = reverse("assessments:partner_entry", args=[link.pk]) + "?sesame=fout"
    assert [client.get(wrong).status_code for _ in range(3)] == [403, 403, 403]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="scan.security"):
        blocked = client.get(link_address(link))  # even a good link, from this address
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    assert [e["result"] for e in security_events(caplog)] == ["te vaak"]
    # Another address is not blocked.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert open_link(other, link).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_count(link, settings):
    settings.PARTNER_LINK_RATE_FAILED = "2/minute"
    client = Client()
    wrong = reverse("assessments:partner_entry", args=[link.pk]) + "?sesame=fout"
    for n in range(2):
        client.get(wrong, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert client.get(wrong, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


def test_good_links_are_not_counted(link, settings):
    settings.PARTNER_LINK_RATE_FAILED = "3/minute"
    client = Client()
    assert [open_link(client, link).status_code for _ in range(5)] == [302] * 5


def test_the_hidden_user_cannot_log_in(client, link):
    assert not link.user.has_usable_password()
    response = client.post(
        reverse("login"), {"username": link.user.username, "password": link.user.password}
    )
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_continue_goes_to_the_first_step_with_open_statements(partner, link):
    questions = partner_questions(link.assessment, link.perspective)
    first_step = questions[0].theme.step.code
    for question in questions:
        if question.theme.step.code == first_step:
            autosave(partner, link, question, "3")
    html = partner.get(partner_url("partner_home", link)).content.decode()
    assert "Verder met invullen" in html
    later = next(q.theme.step.code for q in questions if q.theme.step.code != first_step)
    assert f'btn-primary" href="{partner_url("partner_questionnaire", link, later)}"' in html


def test_the_partner_pages_cost_few_queries(partner, link, django_assert_max_num_queries):
    step = first_question(link).theme.step.code
    partner.get(partner_url("partner_questionnaire", link, step))  # the outline is cached
    with django_assert_max_num_queries(5):
        assert partner.get(partner_url("partner_home", link)).status_code == 200
    with django_assert_max_num_queries(5):
        page = partner.get(partner_url("partner_questionnaire", link, step))
        assert page.status_code == 200
    with django_assert_max_num_queries(8):
        assert autosave(partner, link, first_question(link), "2").status_code == 200
