"""The retention job: what it anonymises and deletes, and what it keeps."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import (
    Answer,
    BatchExport,
    Erasure,
    Invitation,
    Membership,
    PartnerLink,
    ReportFile,
    Response,
)
from assessments.privacy.retention import apply_retention
from assessments.tasks import apply_retention as apply_retention_task
from tests.factories import AssessmentFactory, ResponseFactory, UserFactory, answer_all
from tests.helpers.partners import make_link

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - datetime.timedelta(days=800)
RECENTLY = NOW - datetime.timedelta(days=10)


@pytest.fixture
def dormant(municipality, assessment):
    """A respondent of Wonen who last logged in 800 days ago, with a note."""
    user = UserFactory(
        username="anna.devries@zonnedal.nl",
        first_name="Anna",
        last_name="de Vries",
        email="anna.devries@zonnedal.nl",
        last_login=LONG_AGO,
    )
    Membership.objects.create(
        user=user, municipality=municipality, role="editor", perspective="wonen"
    )
    response = ResponseFactory(assessment=assessment, respondent=user, perspective="wonen")
    answer_all(response, value="3", note="Wij overleggen elke week met de corporatie.")
    return user


def test_an_account_unused_past_the_period_is_anonymised_and_its_answers_stay(
    dormant, assessment, caplog
):
    result = apply_retention(now=NOW)

    dormant.refresh_from_db()
    assert result.anonymised == 1
    assert dormant.get_full_name() == "Invuller (Wonen)"
    assert dormant.email == ""
    assert "anna" not in dormant.username
    assert not dormant.is_active and not dormant.has_usable_password()
    assert Erasure.objects.get(user=dormant).reason == Erasure.Reason.RETENTION
    assert not Membership.objects.filter(user=dormant).exists()
    response = Response.objects.get(assessment=assessment, respondent=dormant)
    assert response.answers.count() == assessment.framework.questions.count()
    assert set(Answer.objects.filter(response=response).values_list("value", "note")) == {
        ("3", "Wij overleggen elke week met de corporatie.")
    }
    log = caplog.text
    assert f'"object": "user:{dormant.pk}"' in log and '"event": "person_erased"' in log
    assert "anna" not in log.lower()


def test_recent_staff_and_token_users_are_kept(dormant, editor):
    recent = UserFactory(last_login=RECENTLY, first_name="Bram")
    staff = UserFactory(last_login=LONG_AGO, is_staff=True, first_name="Carla")
    never = UserFactory(last_login=None, first_name="Dirk")  # joined now, never logged in
    token_user = UserFactory(last_login=LONG_AGO, first_name="Eva")
    token_user.api_tokens.create(
        name="BI", prefix="bts_x", token_hash="h" * 64, expires_at=NOW, last_used_at=RECENTLY
    )

    result = apply_retention(now=NOW)

    assert result.anonymised == 1
    kept = get_user_model().objects.filter(pk__in=[recent.pk, staff.pk, never.pk, token_user.pk])
    assert sorted(u.first_name for u in kept) == ["Bram", "Carla", "Dirk", "Eva"]
    assert not Erasure.objects.exclude(user=dormant).exists()


def test_an_account_that_never_logged_in_counts_from_when_it_was_made(db):
    user = UserFactory(last_login=None, first_name="Femke")
    get_user_model().objects.filter(pk=user.pk).update(date_joined=LONG_AGO)

    assert apply_retention(now=NOW).anonymised == 1
    user.refresh_from_db()
    assert user.get_full_name() == "Invuller"  # no perspective known


def test_the_period_is_a_setting(dormant, settings):
    settings.RETENTION_INACTIVE_DAYS = 900

    assert apply_retention(now=NOW).anonymised == 0


def test_a_second_run_changes_nothing(dormant):
    apply_retention(now=NOW)
    assert apply_retention(now=NOW).anonymised == 0


def test_expired_invitations_are_deleted_and_pending_ones_kept(municipality, coordinator):
    def invite(email, expires_at):
        return Invitation.objects.create(
            municipality=municipality,
            email=email,
            token_hash=email.ljust(64, "0")[:64],
            invited_by=coordinator,
            expires_at=expires_at,
        )

    invite("verlopen@zonnedal.nl", NOW - datetime.timedelta(days=1))
    pending = invite("open@zonnedal.nl", NOW + datetime.timedelta(days=3))

    assert apply_retention(now=NOW).invitations == 1
    assert list(Invitation.objects.all()) == [pending]


def test_stale_files_are_deleted_and_final_reports_kept(assessment, coordinator, settings):
    settings.RETENTION_FILE_DAYS = 30
    closed = AssessmentFactory(municipality=assessment.municipality, status="closed")

    def report(round_, *, is_final, days_ago, language="nl", status=ReportFile.Status.READY):
        row = ReportFile.objects.create(
            assessment=round_, language=language, is_final=is_final, status=status
        )
        when = NOW - datetime.timedelta(days=days_ago)
        ReportFile.objects.filter(pk=row.pk).update(requested_at=when)
        return row

    old_concept = report(assessment, is_final=False, days_ago=40)
    fresh_concept = report(assessment, is_final=False, days_ago=2, language="en")
    final = report(closed, is_final=True, days_ago=400)
    concept_of_closed = report(closed, is_final=False, days_ago=1, language="en")
    BatchExport.objects.create(requester=coordinator, expires_at=NOW)  # expired
    current = BatchExport.objects.create(
        requester=coordinator, expires_at=NOW + datetime.timedelta(hours=3)
    )

    result = apply_retention(now=NOW)

    assert (result.report_files, result.batch_exports) == (2, 1)
    remaining = set(ReportFile.objects.values_list("pk", flat=True))
    assert remaining == {fresh_concept.pk, final.pk}
    assert old_concept.pk not in remaining and concept_of_closed.pk not in remaining
    assert list(BatchExport.objects.values_list("pk", flat=True)) == [current.pk]


def test_the_beat_task_runs_the_job_and_is_scheduled(dormant, settings):
    assert apply_retention_task.delay().get()["anonymised"] == 1
    schedule = settings.CELERY_BEAT_SCHEDULE["retention"]
    assert schedule["task"] == apply_retention_task.name


def test_ended_partner_links_lose_their_contact_and_keep_their_answers(assessment, coordinator):
    ended = make_link(
        assessment,
        coordinator,
        contact_name="Piet Jansen",
        contact_email="piet@woonplaats.example",
        expires_at=NOW + datetime.timedelta(days=1),
    )
    running = make_link(
        assessment, coordinator, organisation="GGD", perspective="ggd", contact_name="Els Bos"
    )
    answer_all(ended.user.responses.get(), value="2")
    PartnerLink.objects.filter(pk=ended.pk).update(expires_at=RECENTLY)

    assert apply_retention(now=NOW).partner_links == 1

    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.contact_name, ended.contact_email) == ("", "")
    assert ended.user.is_active is False
    assert Answer.objects.filter(response__respondent=ended.user, value="2").exists()
    assert running.contact_name == "Els Bos" and running.user.is_active
    assert apply_retention(now=NOW).partner_links == 0  # a second run changes nothing


def test_a_partner_links_hidden_user_is_not_anonymised_as_an_account(assessment, coordinator):
    link = make_link(assessment, coordinator)
    get_user_model().objects.filter(pk=link.user.pk).update(date_joined=LONG_AGO)

    apply_retention(now=NOW)

    assert not Erasure.objects.filter(user=link.user).exists()
