"""A person's data on request (inzageverzoek) and its erasure, as staff do them in the
admin: the export holds their data and nobody else's; erasure keeps the answers under
"Invuller (Wonen)"."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import Action, Answer, ApiToken, Erasure, Invitation, Membership
from assessments.privacy.services import erase_person, export_person
from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTE = "Wij overleggen elke week met de corporatie."
OTHER_NOTE = "Notitie van een collega die niet in de export mag."


@pytest.fixture
def anna(municipality, assessment, coordinator):
    user = UserFactory(
        username="anna.devries@zonnedal.nl",
        first_name="Anna",
        last_name="de Vries",
        email="anna.devries@zonnedal.nl",
    )
    Membership.objects.create(
        user=user, municipality=municipality, role="editor", perspective="wonen"
    )
    question = Question.objects.filter(framework=assessment.framework).first()
    save_answers(assessment=assessment, user=user, items=[AnswerInput(question, "3", NOTE)])
    Invitation.objects.create(
        municipality=municipality,
        email=user.email,
        name="Anna de Vries",
        token_hash="a" * 64,
        invited_by=coordinator,
        expires_at=timezone.now() + datetime.timedelta(days=3),
        accepted_at=timezone.now(),
        accepted_by=user,
    )
    Action.objects.create(
        assessment=assessment, title="Woonafspraken", owner="Anna de Vries", owner_user=user
    )
    ApiToken.objects.create(
        user=user,
        name="BI",
        prefix="bts_a",
        token_hash="b" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    return user


@pytest.fixture
def colleague(municipality, assessment, coordinator):
    user = UserFactory(username="bram", first_name="Bram", last_name="Jansen")
    Membership.objects.create(user=user, municipality=municipality, role="editor")
    question = Question.objects.filter(framework=assessment.framework).first()
    save_answers(assessment=assessment, user=user, items=[AnswerInput(question, "1", OTHER_NOTE)])
    Invitation.objects.create(
        municipality=municipality,
        email="iemand.anders@zonnedal.nl",
        token_hash="c" * 64,
        invited_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    return user


def test_the_export_holds_the_persons_data(anna, assessment):
    data = export_person(anna)

    assert data["account"]["e-mailadres"] == "anna.devries@zonnedal.nl"
    assert data["account"]["voornaam"] == "Anna"
    assert [m["perspectief"] for m in data["lidmaatschappen"]] == ["wonen"]
    assert [(a["antwoord"], a["toelichting"]) for a in data["antwoorden"]] == [("3", NOTE)]
    assert [h["toelichting"] for h in data["eerdere_versies_van_antwoorden"]] == [NOTE]
    assert [i["naam"] for i in data["uitnodigingen"]] == ["Anna de Vries"]
    assert [a["titel"] for a in data["acties_als_eigenaar"]] == ["Woonafspraken"]
    assert [t["naam"] for t in data["api_sleutels"]] == ["BI"]
    assert len(data["invullingen"]) == 1
    json.dumps(data)  # plain data, ready for the file


def test_the_export_holds_nobody_elses_data(anna, colleague, coordinator):
    text = json.dumps(export_person(anna), ensure_ascii=False)

    for other in ("Bram", "Jansen", OTHER_NOTE, "iemand.anders@zonnedal.nl", "coordinator"):
        assert other not in text


def test_erasure_keeps_the_answers_under_the_perspective(anna, assessment, caplog):
    erase_person(user=anna, reason=Erasure.Reason.REQUEST, actor="staff")

    anna.refresh_from_db()
    assert anna.get_full_name() == "Invuller (Wonen)"
    assert (anna.email, anna.is_active, anna.has_usable_password()) == ("", False, False)
    answer = Answer.objects.get(response__respondent=anna)
    assert (answer.value, answer.note) == ("3", NOTE)
    assert not Invitation.objects.filter(email__iexact="anna.devries@zonnedal.nl").exists()
    assert not ApiToken.objects.filter(user=anna).exists()
    assert not Membership.objects.filter(user=anna).exists()
    assert Action.objects.get(title="Woonafspraken").owner == ""
    text = json.dumps(export_person(anna), ensure_ascii=False)
    for gone in ("Anna", "Vries", "anna.devries"):
        assert gone not in text
    assert "person_erased" in caplog.text and "anna" not in caplog.text.lower()


def test_an_erased_respondent_is_shown_as_invuller_wonen_to_a_coordinator(
    client, anna, assessment, coordinator
):
    erase_person(user=anna, reason=Erasure.Reason.REQUEST)
    client.force_login(coordinator)
    question = Question.objects.filter(framework=assessment.framework).first()

    for url in (
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("assessments:answer_history", args=[assessment.pk, question.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Invuller (Wonen)" in page, url
        assert "Anna" not in page and "anna.devries" not in page, url


def test_an_erased_person_cannot_log_in(client, anna):
    erase_person(user=anna, reason=Erasure.Reason.REQUEST)
    client.force_login(anna)  # a session made before: the account is inactive now

    response = client.get(reverse("assessments:home"))

    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- The admin actions ---


def _action(client, action, users, *, follow=False, **extra):
    return client.post(
        reverse("admin:auth_user_changelist"),
        {"action": action, "_selected_action": [u.pk for u in users], **extra},
        follow=follow,
    )


def test_staff_download_the_inzage_as_json(client, staff, anna, caplog):
    client.force_login(staff)

    response = _action(client, "export_person_data", [anna])

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(b"".join(response.streaming_content))
    assert data["account"]["id"] == anna.pk
    assert f'"object": "user:{anna.pk}"' in caplog.text and "person_exported" in caplog.text


def test_the_inzage_needs_exactly_one_person(client, staff, anna, colleague):
    client.force_login(staff)

    response = _action(client, "export_person_data", [anna, colleague], follow=True)

    assert "precies één persoon" in response.content.decode()


def test_staff_erase_after_confirming(client, staff, anna):
    client.force_login(staff)

    confirm = _action(client, "erase_personal_data", [anna])
    assert confirm.status_code == 200
    assert "Ja, wissen" in confirm.content.decode()
    assert "Enige coördinator" not in confirm.content.decode()
    anna.refresh_from_db()
    assert anna.first_name == "Anna"  # nothing erased before the confirmation

    done = _action(client, "erase_personal_data", [anna], confirm="yes")

    assert done.status_code == 302
    anna.refresh_from_db()
    assert anna.get_full_name() == "Invuller (Wonen)"
    assert Erasure.objects.get(user=anna).reason == Erasure.Reason.REQUEST


def test_the_confirmation_warns_when_the_person_is_the_only_coordinator(
    client, staff, coordinator, municipality
):
    client.force_login(staff)

    confirm = _action(client, "erase_personal_data", [coordinator]).content.decode()

    assert f"Enige coördinator van {municipality.name}" in confirm


def test_a_member_without_staff_rights_cannot_use_the_actions(client, coordinator, anna):
    client.force_login(coordinator)

    response = _action(client, "erase_personal_data", [anna], confirm="yes")

    assert response.status_code == 302 and "login" in response["Location"]
    assert get_user_model().objects.get(pk=anna.pk).first_name == "Anna"
