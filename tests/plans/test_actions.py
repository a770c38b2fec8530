"""The action plan: every URL for anonymous, outsider, viewer, editor and a closed round;
proposing, editing inline (htmx) and as plain forms, adding and removing actions."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import Action, Assessment
from assessments.plans.services import ActionInput, add_action, propose_actions, update_action
from assessments.rounds.results import ActionRow, load_actions
from assessments.rounds.services import close_assessment
from readiness.plan import add_months
from tests.factories import AssessmentFactory, close_round, make_framework
from tests.helpers.actions import (
    ActionFactory,
    add_question_template,
    answer,
    answer_all,
)

HX = {"HTTP_HX_REQUEST": "true"}

VALID = {
    "title": "Woningen vastleggen",
    "description": "In de prestatieafspraken.",
    "owner": "Wethouder wonen",
    "owner_domain": "wonen",
    "due_date": "2027-03-31",
    "status": "bezig",
    "level": "bestuurlijk",
}


def urls(assessment: Assessment, action: Action) -> dict[str, str]:
    one = [assessment.pk]
    two = [assessment.pk, action.pk]
    return {
        "actions": reverse("assessments:actions", args=one),
        "propose": reverse("assessments:actions_propose", args=one),
        "add": reverse("assessments:action_add", args=one),
        "edit": reverse("assessments:action_edit", args=two),
        "delete": reverse("assessments:action_delete", args=two),
    }


def plan(assessment: Assessment) -> list[tuple]:
    """Everything about the round's actions, to compare plans exactly."""
    return [
        (
            a.pk,
            a.template_id,
            a.title,
            a.description,
            a.owner,
            a.owner_domain,
            a.due_date,
            a.status,
            a.level,
            a.order,
            a.priority,
            a.is_edited,
            tuple(q.code for q in a.questions.order_by("order")),
        )
        for a in Action.objects.filter(assessment=assessment).order_by("order", "pk")
    ]


def template_codes(assessment: Assessment) -> list[str | None]:
    actions = Action.objects.filter(assessment=assessment).select_related("template")
    return [a.template.code if a.template else None for a in actions.order_by("order", "pk")]


WRITES = [
    ("propose", "post"),
    ("add", "get"),
    ("add", "post"),
    ("edit", "get"),
    ("edit", "post"),
    ("delete", "get"),
    ("delete", "post"),
]


# --- URLs and what each persona may do -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), [("actions", "get"), *WRITES])
def test_anonymous_is_sent_to_login(client, assessment, name, method):
    action = ActionFactory(assessment=assessment)
    response = getattr(client, method)(urls(assessment, action)[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_inline_edit_gets_401_not_a_login_page(client, assessment):
    action = ActionFactory(assessment=assessment)
    response = client.post(urls(assessment, action)["edit"], VALID, **HX)
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), [("actions", "get"), *WRITES])
def test_outsider_gets_404(client, assessment, outsider, editor, name, method):
    action = ActionFactory(assessment=assessment)
    answer_all(assessment, editor, "1")  # so that proposing would find gaps
    before = plan(assessment)
    client.force_login(outsider)
    response = getattr(client, method)(urls(assessment, action)[name], VALID)
    assert response.status_code == 404
    assert plan(assessment) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), WRITES)
def test_viewer_writing_gets_403(client, assessment, viewer, editor, name, method):
    action = ActionFactory(assessment=assessment)
    answer_all(assessment, editor, "1")
    before = plan(assessment)
    client.force_login(viewer)
    response = getattr(client, method)(urls(assessment, action)[name], VALID)
    assert response.status_code == 403
    assert plan(assessment) == before


@pytest.mark.django_db
def test_viewer_reads_the_plan_without_edit_buttons(client, assessment, viewer):
    action = ActionFactory(assessment=assessment, title="Kernteam instellen")
    client.force_login(viewer)
    response = client.get(urls(assessment, action)["actions"])
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kernteam instellen" in body
    assert "Stel acties voor" not in body
    assert urls(assessment, action)["edit"] not in body
    assert reverse("assessments:actions_xlsx", args=[assessment.pk]) in body


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), WRITES)
def test_closed_round_refuses_every_write_with_a_message(client, assessment, editor, name, method):
    action = ActionFactory(assessment=assessment)
    answer_all(assessment, editor, "1")
    close_assessment(assessment=assessment, user=editor)
    before = plan(assessment)
    client.force_login(editor)
    response = getattr(client, method)(urls(assessment, action)[name], VALID)
    assert response.status_code == 403
    assert "afgesloten" in response.content.decode()
    assert plan(assessment) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), [("edit", "get"), ("edit", "post"), *WRITES[-2:]])
def test_an_action_of_another_round_is_a_404(
    client, assessment, municipality, editor, name, method
):
    other_round = AssessmentFactory(municipality=municipality, framework=assessment.framework)
    foreign = ActionFactory(assessment=other_round, title="Van een andere meting")
    client.force_login(editor)
    response = getattr(client, method)(urls(assessment, foreign)[name], VALID)
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Van een andere meting"


@pytest.mark.django_db
def test_closed_round_shows_the_plan_as_it_is_now_and_as_decided(
    client, assessment, editor, viewer
):
    # The plan lives on after closing (tests/plans/test_follow_up.py); the snapshot keeps it
    # as decided.
    action = ActionFactory(assessment=assessment, title="Zoals het was")
    close_round(assessment, editor)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
    client.force_login(viewer)
    body = client.get(urls(assessment, action)["actions"]).content.decode()
    assert "Zoals besloten: status Gepland" in body
    assert "afgesloten" in body


# --- Proposing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_editor_proposes_actions_for_the_gaps(client, assessment, editor):
    answer_all(assessment, editor, "2")  # every question one level below the target 3
    client.force_login(editor)
    response = client.post(reverse("assessments:actions_propose", args=[assessment.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:actions", args=[assessment.pk])
    actions = list(Action.objects.filter(assessment=assessment).order_by("order"))
    assert len(actions) == 8  # one theme template per theme
    first = actions[0]
    assert first.template.code == "A-1"
    assert first.title == "Actie voor thema A"
    assert first.description == "Doe iets concreets."
    assert (first.owner, first.owner_domain, first.level) == ("", "wmo_zorg", "ambtelijk")
    assert first.status == Action.Status.PLANNED
    assert first.due_date == add_months(timezone.localdate(), 6)
    assert [q.code for q in first.questions.order_by("order")] == ["A1", "A2"]
    assert first.priority == 4  # A1: gap 1 x weight 2, doubled because critical
    assert not first.is_edited
    assert [a.order for a in actions] == list(range(8))
    body = client.get(response["Location"]).content.decode()
    assert "8 nieuwe acties voorgesteld" in body
    assert "Actie voor thema A" in body


@pytest.mark.django_db
def test_proposals_are_ordered_by_priority(assessment, editor):
    # H2 (weight 3) three levels short: priority 9. A1 and E1 (critical, weight 2): 4.
    # The other themes' second questions (weight 3): 3, in step order, then by code.
    answer_all(assessment, editor, "2", H2="0")
    propose_actions(assessment=assessment, user=editor)
    assert template_codes(assessment) == ["H-1", "A-1", "E-1", "B-1", "D-1", "F-1", "G-1", "C-1"]
    priorities = list(
        Action.objects.filter(assessment=assessment)
        .order_by("order")
        .values_list("priority", flat=True)
    )
    assert priorities == [9, 4, 4, 3, 3, 3, 3, 3]


@pytest.mark.django_db
def test_proposing_twice_gives_the_same_plan(client, assessment, editor):
    answer_all(assessment, editor, "1")
    client.force_login(editor)
    url = reverse("assessments:actions_propose", args=[assessment.pk])
    client.post(url)
    first = plan(assessment)
    response = client.post(url)
    assert plan(assessment) == first
    assert len(first) == 8
    assert len({row[1] for row in first}) == 8  # no template twice
    body = client.get(response["Location"]).content.decode()
    assert "geen nieuwe acties" in body


@pytest.mark.django_db
def test_proposing_again_never_overwrites_what_a_user_edited(client, assessment, editor):
    answer_all(assessment, editor, "2")
    propose_actions(assessment=assessment, user=editor)
    action = Action.objects.get(assessment=assessment, template__code="B-1")
    client.force_login(editor)
    client.post(urls(assessment, action)["edit"], VALID)
    answer_all(assessment, editor, "0")  # larger gaps, higher priorities
    propose_actions(assessment=assessment, user=editor)
    action.refresh_from_db()
    assert action.is_edited
    assert (action.title, action.owner, action.status) == (
        VALID["title"],
        VALID["owner"],
        "bezig",
    )
    assert action.due_date == datetime.date(2027, 3, 31)
    assert Action.objects.filter(assessment=assessment).count() == 8


@pytest.mark.django_db
def test_a_new_gap_adds_a_new_draft_and_leaves_the_others_alone(assessment, editor):
    answer_all(assessment, editor, "3", A1="1")
    created = propose_actions(assessment=assessment, user=editor)
    assert [a.template.code for a in created] == ["A-1"]
    before = plan(assessment)
    answer(assessment, editor, B1="0")
    created = propose_actions(assessment=assessment, user=editor)
    assert [a.template.code for a in created] == ["B-1"]
    assert plan(assessment)[:1] == before
    assert template_codes(assessment) == ["A-1", "B-1"]
    new = created[0]
    assert new.order == before[0][9] + 1
    assert [q.code for q in new.questions.all()] == ["B1"]


@pytest.mark.django_db
def test_new_drafts_come_after_the_users_own_actions(assessment, editor):
    ActionFactory(assessment=assessment, order=7)
    answer_all(assessment, editor, "3", C2="2")
    (created,) = propose_actions(assessment=assessment, user=editor)
    assert created.order == 8
    assert template_codes(assessment) == [None, "C-1"]


@pytest.mark.django_db
def test_the_due_date_is_today_plus_the_horizon_clamped_to_the_month_end(assessment, editor):
    answer_all(assessment, editor, "3", A2="1")
    (action,) = propose_actions(
        assessment=assessment, user=editor, today=datetime.date(2026, 8, 31)
    )
    assert action.due_date == datetime.date(2027, 2, 28)  # horizon 6 months


@pytest.mark.django_db
def test_a_question_template_is_proposed_only_when_its_question_has_a_gap(municipality, editor):
    framework = make_framework(questions=16)
    add_question_template(framework, "A2")
    assessment = AssessmentFactory(municipality=municipality, framework=framework)
    answer_all(assessment, editor, "3", A1="2")
    propose_actions(assessment=assessment, user=editor)
    assert template_codes(assessment) == ["A-1"]
    answer(assessment, editor, A2="1")
    (action,) = propose_actions(
        assessment=assessment, user=editor, today=datetime.date(2026, 1, 31)
    )
    assert action.template.code == "A2-vraag"
    assert [q.code for q in action.questions.all()] == ["A2"]
    assert (action.owner_domain, action.level) == ("wonen", "bestuurlijk")
    assert action.due_date == datetime.date(2027, 1, 31)
    assert action.priority == 6  # gap 2 x weight 3


@pytest.mark.django_db
def test_without_gaps_nothing_is_proposed(client, assessment, editor):
    answer_all(assessment, editor, "4")
    client.force_login(editor)
    response = client.post(reverse("assessments:actions_propose", args=[assessment.pk]))
    assert not Action.objects.exists()
    assert "geen nieuwe acties" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_proposing_in_a_closed_round_is_refused_by_the_service(assessment, editor):
    answer_all(assessment, editor, "1")
    close_assessment(assessment=assessment, user=editor)
    with pytest.raises(ValidationError, match="afgesloten"):
        propose_actions(assessment=assessment, user=editor)
    assert not Action.objects.exists()


# --- Adding, editing, removing ---------------------------------------------------------------


@pytest.mark.django_db
def test_editor_adds_an_own_action_at_the_end(client, assessment, editor):
    ActionFactory(assessment=assessment, order=3)
    client.force_login(editor)
    url = reverse("assessments:action_add", args=[assessment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, VALID)
    assert response.status_code == 302
    action = Action.objects.get(title=VALID["title"])
    assert action.assessment == assessment
    assert action.template is None
    assert (action.owner, action.owner_domain, action.status, action.level) == (
        "Wethouder wonen",
        "wonen",
        "bezig",
        "bestuurlijk",
    )
    assert action.due_date == datetime.date(2027, 3, 31)
    assert action.order == 4
    assert action.priority == 0


@pytest.mark.django_db
def test_editing_without_htmx_is_a_page_and_a_redirect(client, assessment, editor):
    action = ActionFactory(assessment=assessment, title="Oude titel")
    client.force_login(editor)
    page = client.get(urls(assessment, action)["edit"])
    assert page.status_code == 200
    assert b"<html" in page.content
    assert b"Oude titel" in page.content
    response = client.post(urls(assessment, action)["edit"], VALID)
    assert response.status_code == 302
    assert response["Location"] == urls(assessment, action)["actions"]
    action.refresh_from_db()
    assert action.title == VALID["title"]
    assert action.is_edited


@pytest.mark.django_db
def test_inline_edit_with_htmx_swaps_one_table_row(client, assessment, editor):
    answer_all(assessment, editor, "2")
    propose_actions(assessment=assessment, user=editor)
    action = Action.objects.get(assessment=assessment, template__code="A-1")
    client.force_login(editor)
    form_row = client.get(urls(assessment, action)["edit"], **HX).content.decode()
    assert form_row.startswith(f'<tr id="actie-{action.pk}"')
    assert "<form" in form_row and 'hx-post="' in form_row
    assert "<html" not in form_row
    assert 'value="Actie voor thema A"' in form_row

    response = client.post(urls(assessment, action)["edit"], VALID, **HX)
    row = response.content.decode()
    assert response.status_code == 200
    assert row.startswith(f'<tr id="actie-{action.pk}"')
    assert "<form" not in row and "<html" not in row
    assert VALID["title"] in row and "Bezig" in row and "Bestuurlijk" in row
    assert "A1, A2" in row  # the questions it addresses stay
    action.refresh_from_db()
    assert action.title == VALID["title"]
    assert action.is_edited


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "Geef de actie een titel."),
        ("title", "x" * 201, "De titel is te lang"),
        ("due_date", "31-02-2027", "Vul de deadline in als datum"),
        ("due_date", "morgen", "Vul de deadline in als datum"),
        ("status", "klaar", "Kies een status"),
        ("level", "regionaal", "Kies het niveau"),
        ("owner_domain", "sport", "Kies een domein uit de lijst"),
    ],
)
def test_bad_input_is_a_400_with_a_dutch_message_and_stores_nothing(
    client, assessment, editor, field, value, message
):
    action = ActionFactory(assessment=assessment, title="Oude titel")
    before = plan(assessment)
    client.force_login(editor)
    for url in (urls(assessment, action)["edit"], urls(assessment, action)["add"]):
        response = client.post(url, {**VALID, field: value})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert plan(assessment) == before


@pytest.mark.django_db
def test_bad_inline_input_shows_the_form_row_again_with_the_message(client, assessment, editor):
    action = ActionFactory(assessment=assessment, title="Oude titel")
    client.force_login(editor)
    response = client.post(urls(assessment, action)["edit"], {**VALID, "title": ""}, **HX)
    body = response.content.decode()
    # 200, not 400: htmx would not swap a 4xx response and the message would stay unseen.
    assert response.status_code == 200
    assert body.startswith(f'<tr id="actie-{action.pk}"')
    assert "Geef de actie een titel." in body
    assert 'value="Wethouder wonen"' in body  # the user's other input is kept
    action.refresh_from_db()
    assert action.title == "Oude titel"
    assert not action.is_edited


@pytest.mark.django_db
def test_removing_an_action_asks_for_confirmation_first(client, assessment, editor):
    action = ActionFactory(assessment=assessment, title="Weg ermee")
    kept = ActionFactory(assessment=assessment)
    client.force_login(editor)
    page = client.get(urls(assessment, action)["delete"])
    assert page.status_code == 200
    assert "Weg ermee" in page.content.decode()
    assert Action.objects.filter(pk=action.pk).exists()
    response = client.post(urls(assessment, action)["delete"])
    assert response.status_code == 302
    assert list(Action.objects.filter(assessment=assessment)) == [kept]
    assert "is verwijderd" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_services_refuse_a_closed_round(assessment, editor):
    action = ActionFactory(assessment=assessment)
    close_round(assessment, editor)
    data = ActionInput(title="Nieuw")
    with pytest.raises(ValidationError, match="afgesloten"):
        add_action(assessment=assessment, user=editor, data=data)
    with pytest.raises(ValidationError, match="afgesloten"):
        update_action(action=action, user=editor, data=data)
    assert Action.objects.get().title == action.title


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ActionInput(title=" "), "Geef de actie een titel."),
        (ActionInput(title="Ok", due_date="31-12-2026"), "Vul de deadline in als datum"),
        (ActionInput(title="Ok", status="klaar"), "Kies een status"),
    ],
)
def test_the_services_check_their_input(assessment, editor, data, message):
    with pytest.raises(ValidationError, match=message):
        add_action(assessment=assessment, user=editor, data=data)
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_the_service_accepts_an_iso_date_string(assessment, editor):
    action = add_action(
        assessment=assessment, user=editor, data=ActionInput(title="Ok", due_date="2026-12-31")
    )
    assert action.due_date == datetime.date(2026, 12, 31)


# --- The page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_plan_explains_what_to_do(client, assessment, editor):
    client.force_login(editor)
    body = client.get(reverse("assessments:actions", args=[assessment.pk])).content.decode()
    assert "nog geen acties" in body
    assert "Stel acties voor" in body
    assert "<table" not in body


@pytest.mark.django_db
def test_the_page_is_accessible_markup(client, assessment, editor):
    ActionFactory(assessment=assessment)
    client.force_login(editor)
    body = client.get(reverse("assessments:actions", args=[assessment.pk])).content.decode()
    assert body.count("<h1") == 1
    assert "<caption" in body and 'scope="col"' in body and 'scope="row"' in body
    assert " onclick=" not in body and "<script>" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 30])
def test_the_plan_page_queries_do_not_grow_with_actions(
    client, assessment, editor, django_assert_max_num_queries, size
):
    questions = list(assessment.framework.questions.all()[:3])
    for action in ActionFactory.create_batch(size, assessment=assessment):
        action.questions.set(questions)
    client.force_login(editor)
    url = reverse("assessments:actions", args=[assessment.pk])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b'<tr id="actie-') == size


@pytest.mark.django_db(transaction=True)
def test_two_editors_proposing_at_the_same_time_get_one_plan(
    municipality, framework, editor, second_editor
):
    """Real threads, each with its own connection: the round's row lock serialises them."""
    assessment = AssessmentFactory(municipality=municipality, framework=framework)
    answer_all(assessment, editor, "1")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def propose(user):
        try:
            barrier.wait(timeout=10)
            propose_actions(assessment=assessment, user=user)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=propose, args=(u,)) for u in (editor, second_editor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(template_codes(assessment)) == 8
    assert len(set(template_codes(assessment))) == 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "headers"), [("add", {}), ("edit", {}), ("edit", HX), ("delete", {})]
)
def test_the_form_pages_have_bounded_queries(
    client, assessment, editor, django_assert_max_num_queries, name, headers
):
    action = ActionFactory(assessment=assessment)
    action.questions.set(assessment.framework.questions.all()[:3])
    client.force_login(editor)
    with django_assert_max_num_queries(8):
        assert client.get(urls(assessment, action)[name], **headers).status_code == 200


# --- Klaar als: when an action is done ------------------------------------------------------


@pytest.mark.django_db
def test_the_done_when_sentence_is_edited_shown_and_kept_in_the_snapshot(
    client, assessment, editor
):
    action = ActionFactory(assessment=assessment, title="Oude titel")
    client.force_login(editor)
    data = {**VALID, "done_when": "  De raad heeft het besluit genomen.  "}
    assert client.post(urls(assessment, action)["edit"], data).status_code == 302
    action.refresh_from_db()
    assert action.done_when == "De raad heeft het besluit genomen."
    page = client.get(urls(assessment, action)["actions"]).content.decode()
    assert "Klaar als:" in page
    assert "De raad heeft het besluit genomen." in page
    close_round(assessment, editor)
    (row,) = load_actions(Assessment.objects.get(pk=assessment.pk))
    assert row.done_when == "De raad heeft het besluit genomen."


def test_a_snapshot_row_from_before_done_when_still_loads():
    row = ActionRow.from_dict(
        {
            "title": "Oud",
            "description": "",
            "question_codes": ["A1"],
            "owner": "",
            "owner_domain_code": "",
            "due_date": "2027-03-31",
            "status_code": "gepland",
            "level_code": "ambtelijk",
            "priority": 4,
            "order": 0,
        }
    )
    assert row.done_when == ""
    assert row.due_date == datetime.date(2027, 3, 31)
