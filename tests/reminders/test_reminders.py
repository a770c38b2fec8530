"""Reminder e-mails: a round's due date and its reminder, the weekly digest of actions due,
once-only sending under a frozen clock, the switch per municipality and unsubscribing."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from assessments import tasks
from assessments.models import Action, Assessment, Membership, Reminder, ReminderOptOut
from assessments.plans.forms import ActionForm
from assessments.plans.services import ActionInput, add_action
from assessments.reminders import services as reminders
from assessments.rounds.services import close_assessment
from tests.factories import MembershipFactory, UserFactory
from tests.helpers.actions import ActionFactory, answer, answer_all

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# A Tuesday; the round is due a week later.
NOW = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=AMSTERDAM)
TODAY = NOW.date()


def at(days: int, hour: int = 8) -> datetime.datetime:
    return (NOW + datetime.timedelta(days=days)).replace(hour=hour)


@pytest.fixture
def due_round(assessment: Assessment) -> Assessment:
    assessment.due_date = TODAY + datetime.timedelta(days=7)
    assessment.save()
    return assessment


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def close(assessment: Assessment, user) -> None:
    """Close the round (a round closes only when a response counts)."""
    answer_all(assessment, user, "2")
    close_assessment(assessment=assessment, user=user)


def link_in(body: str, name: str) -> str:
    return re.search(rf"https?://\S+/{name}/\S+/", body).group(0)


# --- The round's due date: who may set it ---------------------------------------------------


def due_date_url(assessment: Assessment) -> str:
    return reverse("assessments:due_date", args=[assessment.pk])


@pytest.mark.django_db
def test_a_coordinator_sets_the_due_date(client, assessment, coordinator):
    client.force_login(coordinator)
    response = client.post(due_date_url(assessment), {"due_date": "2099-06-30"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.due_date == datetime.date(2099, 6, 30)
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert 'value="2099-06-30"' in page
    assert "Invullen vóór dinsdag 30 juni 2099." in page


@pytest.mark.django_db
def test_an_empty_date_clears_the_due_date(client, due_round, coordinator):
    client.force_login(coordinator)
    client.post(due_date_url(due_round), {"due_date": ""})
    due_round.refresh_from_db()
    assert due_round.due_date is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2000-01-01", "morgen"])
def test_a_date_in_the_past_or_no_date_is_refused_with_a_message(
    client, assessment, coordinator, value
):
    client.force_login(coordinator)
    response = client.post(due_date_url(assessment), {"due_date": value}, follow=True)
    assessment.refresh_from_db()
    assert assessment.due_date is None
    text = response.content.decode()
    assert "Kies een datum vanaf vandaag." in text or "Vul een datum in" in text


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "viewer"])
def test_a_non_coordinator_gets_403(client, assessment, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(due_date_url(assessment), {"due_date": "2099-06-30"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.due_date is None


@pytest.mark.django_db
def test_another_municipalitys_round_is_404(client, assessment, outsider):
    client.force_login(outsider)
    assert client.post(due_date_url(assessment), {"due_date": "2099-06-30"}).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, assessment):
    response = client.post(due_date_url(assessment), {"due_date": "2099-06-30"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_closed_rounds_due_date_cannot_change(client, assessment, coordinator):
    close(assessment, coordinator)
    client.force_login(coordinator)
    assert client.post(due_date_url(assessment), {"due_date": "2099-06-30"}).status_code == 403


@pytest.mark.django_db
def test_only_a_coordinator_sees_the_due_date_form(client, assessment, editor, coordinator):
    client.force_login(editor)
    detail = reverse("assessments:detail", args=[assessment.pk])
    assert due_date_url(assessment) not in client.get(detail).content.decode()
    client.force_login(coordinator)
    assert due_date_url(assessment) in client.get(detail).content.decode()


# --- The round reminder -------------------------------------------------------------------


@pytest.mark.django_db
def test_unfinished_respondents_get_one_reminder_however_often_the_task_runs(
    due_round, coordinator, editor, second_editor, viewer
):
    answer_all(due_round, second_editor, "3")  # finished
    answer(due_round, editor, A1="2", B1="weet_niet")  # two of sixteen
    assert tasks.send_round_reminders(now=NOW) == 2
    assert tasks.send_round_reminders(now=NOW) == 0
    assert tasks.send_round_reminders(now=at(days=1)) == 0
    assert recipients() == ["coordinator@example.org", "editor@example.org"]
    message = next(m for m in mail.outbox if m.to == ["editor@example.org"])
    assert message.subject == "Herinnering: vul de scan in vóór 8 december 2026"
    assert "U heeft 2 van de 16 stellingen beantwoord." in message.body
    assert f"/meting/{due_round.pk}/" in message.body
    assert "dinsdag 8 december 2026" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{link_in(message.body, 'afmelden')}>"
    rows = Reminder.objects.filter(kind=Reminder.Kind.ROUND_DUE)
    assert sorted(r.recipient.username for r in rows) == ["coordinator", "editor"]
    assert {(r.assessment_id, r.period, r.sent_at) for r in rows} == {
        (due_round.pk, "2026-12-08", NOW)
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_before", "sent"),
    [(8, 0), (7, 1), (3, 1), (0, 1), (-1, 0)],  # -1: the due date has passed
)
def test_the_reminder_goes_in_the_week_before_the_due_date(assessment, editor, days_before, sent):
    assessment.due_date = TODAY + datetime.timedelta(days=days_before)
    assessment.save()
    assert reminders.send_round_reminders(now=NOW) == sent


@pytest.mark.django_db
def test_a_new_due_date_is_a_new_reminder(due_round, editor):
    assert reminders.send_round_reminders(now=NOW) == 1
    due_round.due_date += datetime.timedelta(days=3)  # 11 December
    due_round.save()
    assert reminders.send_round_reminders(now=at(days=2)) == 0  # more than a week before
    assert reminders.send_round_reminders(now=at(days=3)) == 1
    assert reminders.send_round_reminders(now=at(days=4)) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_unique_constraint_refuses_a_second_row_for_the_same_reminder(due_round, editor):
    from django.db import IntegrityError, transaction

    fields = {"kind": "meting", "assessment": due_round, "recipient": editor, "period": "x"}
    Reminder.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**fields)


@pytest.mark.django_db
def test_a_mail_that_fails_is_tried_again_on_the_next_run(due_round, editor, monkeypatch):
    def fail(self, fail_silently=False):
        raise OSError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    with pytest.raises(OSError):
        reminders.send_round_reminders(now=NOW)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert reminders.send_round_reminders(now=at(days=1)) == 1


@pytest.mark.django_db
def test_nobody_is_reminded_of_a_closed_round_or_one_without_due_date(assessment, editor):
    assert reminders.send_round_reminders(now=NOW) == 0  # no due date
    assessment.due_date = TODAY + datetime.timedelta(days=2)
    assessment.save()
    close(assessment, editor)
    assert reminders.send_round_reminders(now=NOW) == 0


@pytest.mark.django_db
def test_a_respondent_without_address_inactive_or_viewer_now_is_left_out(due_round, editor):
    demoted = MembershipFactory(municipality=due_round.municipality, role="editor").user
    answer(due_round, demoted, A1="2")
    Membership.objects.filter(user=demoted).update(role=Membership.Role.VIEWER)
    MembershipFactory(municipality=due_round.municipality, user=UserFactory(email=""))
    MembershipFactory(municipality=due_round.municipality, user=UserFactory(is_active=False))
    assert reminders.send_round_reminders(now=NOW) == 1
    assert recipients() == ["editor@example.org"]


@pytest.mark.django_db
def test_a_note_alone_is_not_an_answer_but_weet_niet_and_nvt_are(due_round, editor):
    answer_all(due_round, editor, "nvt", A1="weet_niet")
    assert reminders.unfinished_respondents(due_round) == []
    answer(due_round, editor, A1="")
    [(user, answered, total)] = reminders.unfinished_respondents(due_round)
    assert (user, answered, total) == (editor, 15, 16)


@pytest.mark.django_db
def test_a_municipality_with_reminders_off_gets_none(due_round, editor):
    due_round.municipality.reminders_enabled = False
    due_round.municipality.save()
    assert reminders.send_round_reminders(now=NOW) == 0
    ActionFactory(assessment=due_round, owner_user=editor, due_date=TODAY)
    assert reminders.send_action_digests(now=NOW) == 0
    assert mail.outbox == []


# --- The weekly action digest -------------------------------------------------------------


@pytest.mark.django_db
def test_an_owner_gets_one_digest_a_week_of_the_actions_due_in_two_weeks(
    assessment, editor, second_editor, coordinator
):
    ActionFactory(
        assessment=assessment,
        title="Kernteam",
        owner_user=editor,
        due_date=TODAY + datetime.timedelta(days=3),
    )
    ActionFactory(assessment=assessment, title="Woonafspraken", owner_user=editor, due_date=TODAY)
    ActionFactory(  # too late for this digest
        assessment=assessment, owner_user=editor, due_date=TODAY + datetime.timedelta(days=15)
    )
    ActionFactory(  # done
        assessment=assessment, owner_user=editor, due_date=TODAY, status=Action.Status.DONE
    )
    ActionFactory(  # overdue: not "due in the next 14 days"
        assessment=assessment, owner_user=editor, due_date=TODAY - datetime.timedelta(days=1)
    )
    ActionFactory(assessment=assessment, owner_user=second_editor, due_date=TODAY, title="X")
    ActionFactory(assessment=assessment, owner_user=None, due_date=TODAY)  # free text only

    assert tasks.send_action_digests(now=NOW) == 2
    assert tasks.send_action_digests(now=NOW) == 0
    assert tasks.send_action_digests(now=at(days=5)) == 0  # Sunday: the same ISO week
    assert recipients() == ["editor2@example.org", "editor@example.org"]
    message = next(m for m in mail.outbox if m.to == ["editor@example.org"])
    assert message.subject == "Uw acties met een deadline in de komende twee weken"
    body = message.body
    assert "U bent eigenaar van 2 acties met een deadline in de komende 14 dagen:" in body
    assert body.index("Woonafspraken") < body.index("Kernteam")  # by due date
    assert "Deadline: vrijdag 4 december 2026 · status: Gepland · Zonnedal" in body
    assert f"/meting/{assessment.pk}/acties/" in body
    assert "afmelden/" in body
    digest = Reminder.objects.get(kind=Reminder.Kind.ACTION_DIGEST, recipient=editor)
    assert digest.period == "2026-W49" and digest.assessment is None
    assert sorted(digest.action_ids) == sorted(
        Action.objects.filter(title__in=["Kernteam", "Woonafspraken"]).values_list("pk", flat=True)
    )
    # The next week: a new digest, with what is then due.
    assert tasks.send_action_digests(now=at(days=7)) == 1


@pytest.mark.django_db
def test_an_owner_who_left_the_municipality_gets_no_digest(assessment, editor):
    ActionFactory(assessment=assessment, owner_user=editor, due_date=TODAY)
    Membership.objects.filter(user=editor).delete()
    assert reminders.send_action_digests(now=NOW) == 0


@pytest.mark.django_db
def test_actions_of_a_closed_round_still_count(assessment, editor):
    ActionFactory(assessment=assessment, owner_user=editor, due_date=TODAY)
    close(assessment, editor)
    assert reminders.send_action_digests(now=NOW) == 1


# --- The owner member on the action form ------------------------------------------------------


@pytest.mark.django_db
def test_the_action_form_offers_the_municipalitys_members_only(assessment, editor, outsider):
    form = ActionForm(assessment=assessment)
    choices = list(form.fields["owner_user"].queryset)
    assert editor in choices and outsider not in choices
    form = ActionForm(
        {"title": "Actie", "status": "gepland", "level": "ambtelijk", "owner_user": outsider.pk},
        assessment=assessment,
    )
    assert not form.is_valid()
    assert form.errors["owner_user"] == ["Kies als eigenaar een lid van deze gemeente."]


@pytest.mark.django_db
def test_the_action_edit_page_saves_the_owner_member(client, assessment, editor):
    action = ActionFactory(assessment=assessment)
    client.force_login(editor)
    url = reverse("assessments:action_edit", args=[assessment.pk, action.pk])
    data = {"title": "Actie", "status": "gepland", "level": "ambtelijk", "owner_user": editor.pk}
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.owner_user == editor
    # Inline (htmx) the field is in the row's form too, so saving there keeps it.
    row = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="owner_user"' in row


@pytest.mark.django_db
def test_the_service_refuses_an_owner_from_another_municipality(assessment, editor, outsider):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="lid van deze gemeente"):
        add_action(
            assessment=assessment,
            user=editor,
            data=ActionInput(title="Actie", owner_user=outsider),
        )


# --- Unsubscribing -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_link_in_a_reminder_unsubscribes_after_a_click_on_the_button(client, due_round, editor):
    reminders.send_round_reminders(now=NOW)
    path = urlsplit(link_in(mail.outbox[0].body, "afmelden")).path
    page = client.get(path)  # what a mail scanner does: nothing changes
    assert page.status_code == 200
    assert "Geen herinneringen meer sturen" in page.content.decode()
    assert not ReminderOptOut.objects.exists()
    done = client.post(path)
    assert done.status_code == 200
    assert "U bent afgemeld." in done.content.decode()
    assert ReminderOptOut.objects.get().user == editor
    assert client.post(path).status_code == 200  # twice: still one opt-out
    assert ReminderOptOut.objects.count() == 1
    # No more reminders for this user, even for a new due date or a digest.
    due_round.due_date += datetime.timedelta(days=1)
    due_round.save()
    ActionFactory(assessment=due_round, owner_user=editor, due_date=TODAY)
    assert reminders.send_round_reminders(now=at(days=1)) == 0
    assert reminders.send_action_digests(now=at(days=1)) == 0


@pytest.mark.django_db
def test_a_forged_or_altered_link_unsubscribes_nobody(client, editor):
    token = reminders.unsubscribe_token(editor)
    for bad in [token[:-2] + "xx", "1", "onbekend"]:
        response = client.post(reverse("assessments:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "Deze afmeldlink klopt niet." in response.content.decode()
    assert not ReminderOptOut.objects.exists()


@pytest.mark.django_db
def test_the_links_use_the_site_url(settings, due_round, editor):
    settings.SITE_URL = "https://scan.example.nl/"
    reminders.send_round_reminders(now=NOW)
    body = mail.outbox[0].body
    assert f"https://scan.example.nl/meting/{due_round.pk}/" in body
    assert "https://scan.example.nl/afmelden/" in body


def test_beat_runs_the_reminders_daily_and_the_digest_weekly(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["round-reminders"]["task"] == tasks.send_round_reminders.name
    assert schedule["action-digests"]["task"] == tasks.send_action_digests.name
    assert schedule["round-reminders"]["schedule"].day_of_week == set(range(7))
    assert schedule["action-digests"]["schedule"].day_of_week == {1}
