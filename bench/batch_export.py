"""Time a consultant's batch export of 20 rounds, from the request until the ZIP is ready,
with a Celery worker of 2 processes against Redis.

Run from the repository root against a throwaway PostgreSQL database (its name must
contain "bench"; created by ``migrate`` when empty) and a Redis database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scan_bench_batch SECRET_KEY=x \\
        CELERY_BROKER_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/batch_export.py [--rounds 20] [--runs 2] [--concurrency 2]

It migrates, loads the real question bank and makes (once; a second run reuses them) two
sets of ``--rounds`` rounds, each in a municipality of its own, answered by 3 respondents
with a note on every question and with 30 actions (as bench/report.py):

- *open*: open rounds. Every export renders all of them: the worst case.
- *closed*: closed rounds whose final report is stored (rendered once, by the worker, when
  the set is made). An export reuses the stored files and renders nothing.

A consultant of all these municipalities asks for the export as the page does
(``request_batch_export``); the script then polls the row until the ZIP is ready. It
starts the worker itself (``celery -A config worker --concurrency 2``, prefork: two
processes) and stops it at the end; the Redis database of ``CELERY_BROKER_URL`` is
purged first, so use one that no other worker listens to. Wall-clock seconds; a benchmark
prints, it does not assert. Budget (issue 23): 20 rounds with 2 workers in < 30 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from assessments.models import (  # noqa: E402
    Action,
    Assessment,
    BatchExport,
    BatchExportPart,
    Membership,
    Municipality,
    ReportFile,
    Response,
)
from assessments.reports.services import request_batch_export, request_report  # noqa: E402
from assessments.rounds.services import (  # noqa: E402
    AnswerInput,
    close_assessment,
    save_answers,
    set_perspective,
    start_assessment,
)
from config.celery import app as celery_app  # noqa: E402
from readiness.models import ActionLevel, Domain, FrameworkVersion, Question  # noqa: E402
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank  # noqa: E402

VERSION = "2026.1"
QUESTIONBANK = QUESTIONBANK_DIR / f"beschermd-thuis-{VERSION}.toml"
CONSULTANT = "bench-batch-consultant"
TIMEOUT = 600  # seconds: only reached when the worker is gone
NOTE = (
    "We hebben dit besproken in het regio-overleg. De afspraken staan in het werkplan, "
    "maar de uitvoering hangt nog af van een paar mensen. Volgend kwartaal evalueren we."
)


def make_round(code: str, name: str, consultant) -> Assessment:
    """A round in a new municipality: 3 respondents answer every question, 30 actions."""
    rng = random.Random(code)
    municipality = Municipality.objects.create(code=code, name=name, province="Utrecht")
    Membership.objects.create(
        municipality=municipality, user=consultant, role=Membership.Role.CONSULTANT
    )
    users = [
        get_user_model().objects.create_user(username=f"bench-{code}-{n}", password=None)
        for n in range(3)
    ]
    # Question bank 2026.1, as bench/report.py: every statement takes a level (the newest
    # versions also have legal duties and indicators, which take other answers).
    framework = FrameworkVersion.objects.get(version=VERSION)
    assessment = start_assessment(
        municipality=municipality, user=users[0], title="Nulmeting", framework=framework
    )
    questions = list(Question.objects.filter(framework=assessment.framework).order_by("order"))
    perspectives = [Domain.WMO_ZORG, Domain.WONEN, Domain.PARTNER]
    for user, perspective in zip(users, perspectives, strict=True):
        set_perspective(assessment=assessment, user=user, perspective=perspective)
        items = [
            AnswerInput(
                question=q,
                value=rng.choice(["0", "1", "2", "2", "3", "3", "4", "weet_niet"]),
                note=f"{NOTE} ({q.code})",
            )
            for q in questions
        ]
        save_answers(assessment=assessment, user=user, items=items)
    for n in range(30):
        action = Action.objects.create(
            assessment=assessment,
            title=f"Actie {n + 1}: maak afspraken met partners over de volgende stap",
            description="Concreet en haalbaar.",
            owner="Beleidsadviseur Wmo",
            due_date=datetime.date(2027, 1 + n % 12, 1),
            owner_domain=rng.choice(Domain.values),
            level=ActionLevel.BESTUURLIJK if n % 5 == 0 else ActionLevel.AMBTELIJK,
            priority=rng.randrange(1, 13),
            order=n,
        )
        action.questions.set(rng.sample(questions, 2))
    return assessment


def round_set(prefix: str, count: int, consultant) -> list[Assessment]:
    """The set's rounds, made the first time (municipality codes ``GM<prefix><nn>``, a
    two-digit prefix: no real municipality's code starts with 9)."""
    rounds = []
    for n in range(count):
        code = f"GM{prefix}{n:02d}"
        existing = Assessment.objects.filter(municipality__code=code).first()
        rounds.append(existing or make_round(code, f"Bench {code}", consultant))
    return rounds


def store_final_reports(rounds: list[Assessment], consultant) -> None:
    """Close the rounds and have the worker render and store their final reports."""
    for assessment in rounds:
        if assessment.is_open:
            Response.objects.filter(assessment=assessment).update(is_included=True)
            close_assessment(assessment=assessment, user=consultant)
        request_report(assessment=assessment, user=consultant)
    wanted = ReportFile.objects.filter(assessment__in=rounds, is_final=True)
    deadline = time.monotonic() + TIMEOUT
    while wanted.ready().count() < len(rounds) and time.monotonic() < deadline:
        time.sleep(0.5)


def start_worker(concurrency: int) -> subprocess.Popen:
    command = [
        *(sys.executable, "-m", "celery", "-A", "config", "worker"),
        *("--concurrency", str(concurrency), "--pool", "prefork", "--loglevel", "warning"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    worker = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - our own command, no user input
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            sys.exit("The Celery worker did not start.")
    return worker


def export_once(consultant, rounds: list[Assessment]) -> tuple[float, BatchExport]:
    start = time.perf_counter()
    export = request_batch_export(user=consultant, assessments=rounds)
    deadline = time.monotonic() + TIMEOUT
    while export.is_pending and time.monotonic() < deadline:
        time.sleep(0.1)
        export = BatchExport.objects.defer("zip").get(pk=export.pk)
    return time.perf_counter() - start, export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Use a throwaway database whose name contains 'bench'.")
    if settings.TASKS_IN_THREAD:
        sys.exit("Set CELERY_BROKER_URL: the export is measured through a worker.")

    call_command("migrate", verbosity=0)
    load_questionbank(QUESTIONBANK)
    consultant, _made = get_user_model().objects.get_or_create(username=CONSULTANT)
    open_rounds = round_set("91", args.rounds, consultant)
    closed_rounds = round_set("92", args.rounds, consultant)
    celery_app.control.purge()  # nothing of an earlier, interrupted run
    worker = start_worker(args.concurrency)
    try:
        store_final_reports(closed_rounds, consultant)
        print(
            f"{args.rounds} rounds per export, worker concurrency {args.concurrency} "
            f"(prefork), broker {settings.CELERY_BROKER_URL.rsplit('@', 1)[-1]}"
        )
        sets = [("open (all rendered)", open_rounds), ("closed (stored)", closed_rounds)]
        for label, rounds in sets:
            for run in range(1, args.runs + 1):
                seconds, export = export_once(consultant, rounds)
                reused = BatchExportPart.objects.filter(export=export, is_reused=True).count()
                print(
                    f"{label:<22} run {run}: {seconds:6.1f} s until the ZIP was ready "
                    f"({export.get_status_display()}, {export.done}/{export.total} rounds, "
                    f"{reused} stored reports reused)"
                )
    finally:
        worker.terminate()
        worker.wait(timeout=60)


if __name__ == "__main__":
    main()
