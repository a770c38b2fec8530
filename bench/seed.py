"""Fill a database with a realistic national load for the load benchmark (bench/load.py).

Run from the repository root against a throwaway PostgreSQL database (created when it
does not exist yet; ``make bench-seed`` runs this line):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scan_bench SECRET_KEY=x \
        .venv/bin/python bench/seed.py [--reset] [--output /tmp/scan-bench-users.json]

What it makes: it migrates, loads the question bank and the 342 municipalities with their
role in the region (the 43 centrumgemeenten of assessments/data/centrumgemeenten.csv), and
then for every municipality 3 editors and 1 coordinator, 2 rounds (the first closed, with
its snapshot; the second open), 3 responses per round in which every question for the
municipality's role is answered with a note, one history row per answer (as
``save_answers`` writes them), and 30 actions per round, each linked to one or two
questions.

Running it again changes no data; it only rewrites the JSON file for load.py (user names,
the password, round ids and question ids per step). ``--reset`` first empties the whole
database (``flush``). It refuses any database whose name does not contain "bench": the
users it makes all share one known password.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import (  # noqa: E402
    Action,
    Answer,
    Assessment,
    Membership,
    Municipality,
    Response,
)
from assessments.rounds.results import make_snapshot  # noqa: E402
from readiness.kinds import applies  # noqa: E402
from readiness.models import (  # noqa: E402
    ActionTemplate,
    AnswerValue,
    Applicability,
    Domain,
    FrameworkVersion,
    Question,
    QuestionKind,
)

ROUNDS = 2
RESPONDENTS = 3
ACTIONS = 30
PREFIX = "bench-"
# Every bench user has this password: the database is a throwaway benchmark database.
PASSWORD = "bench-wachtwoord-2026"  # noqa: S105
DEFAULT_OUTPUT = Path("/tmp/scan-bench-users.json")  # noqa: S108
BATCH = 5000
ROUND_TITLES = ["Nulmeting voorjaar 2026", "Herhaalmeting najaar 2026"]
PERSPECTIVES = [Domain.WMO_ZORG, Domain.WONEN, Domain.OOV]
LEVELS = [
    "0",
    "1",
    "1",
    "2",
    "2",
    "2",
    "3",
    "3",
    "4",
    AnswerValue.UNKNOWN,
    AnswerValue.NOT_APPLICABLE,
]
VALUES = {
    QuestionKind.MATURITY: LEVELS,
    QuestionKind.LEGAL_DUTY: ["voldaan", "voldaan", "deels", "niet", AnswerValue.NOT_APPLICABLE],
}
# About 190 characters, like a real note that explains an answer (as in bench/report.py).
NOTE = (
    "We hebben dit besproken in het regio-overleg. De afspraken staan in het werkplan, "
    "maar de uitvoering hangt nog af van een paar mensen. Volgend kwartaal evalueren we."
)


def counts() -> dict[str, int]:
    tables = {
        "municipalities": Municipality,
        "users": get_user_model(),
        "memberships": Membership,
        "rounds": Assessment,
        "responses": Response,
        "answers": Answer,
        "answer history": Answer.history.model,
        "actions": Action,
        "action questions": Action.questions.through,
    }
    return {name: model.objects.count() for name, model in tables.items()}


def username(municipality: Municipality, n: int | str) -> str:
    return f"{PREFIX}{municipality.code.lower()}-{n}"


@transaction.atomic
def seed(framework: FrameworkVersion, municipalities: list[Municipality]) -> None:
    rng = random.Random(2026)
    now = timezone.now()
    User = get_user_model()
    # One hash for all: hashing a thousand passwords one by one would take minutes.
    password_hash = make_password(PASSWORD)

    users = User.objects.bulk_create(
        User(
            username=username(m, n),
            first_name="Invuller" if n != "coord" else "Coördinator",
            last_name=m.name[:150],
            email=f"{username(m, n)}@example.invalid",
            password=password_hash,
        )
        for m in municipalities
        for n in [*range(1, RESPONDENTS + 1), "coord"]
    )
    per_municipality = RESPONDENTS + 1
    editors: dict[int, list] = {}
    memberships = []
    for i, m in enumerate(municipalities):
        group = users[i * per_municipality : (i + 1) * per_municipality]
        editors[m.pk] = group[:RESPONDENTS]
        memberships += [
            Membership(user=u, municipality=m, role=Membership.Role.EDITOR) for u in editors[m.pk]
        ]
        memberships.append(
            Membership(user=group[-1], municipality=m, role=Membership.Role.COORDINATOR)
        )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    rounds = Assessment.objects.bulk_create(
        Assessment(
            municipality=m,
            framework=framework,
            title=title,
            created_by=editors[m.pk][0],
            targets={"wijkbasis": 3, "samenwerking": 3, "start_nu": 2},
        )
        for m in municipalities
        for title in ROUND_TITLES
    )
    responses = Response.objects.bulk_create(
        (
            Response(assessment=a, respondent=user, perspective=perspective)
            for a in rounds
            for user, perspective in zip(editors[a.municipality_id], PERSPECTIVES, strict=True)
        ),
        batch_size=BATCH,
    )

    # The municipality's own statements (not the partners' modules) for its role, each
    # answered as its kind is: a level, a legal duty's voldaan/deels/niet/n.v.t., or an
    # indicator's number. A statement for the other role is n.v.t. and has no answer.
    questions = list(
        Question.objects.filter(framework=framework, partner_perspectives=[]).order_by("order")
    )
    answers = Answer.objects.bulk_create(
        (
            Answer(
                response=r,
                question=q,
                value="" if q.kind == QuestionKind.INDICATOR else rng.choice(VALUES[q.kind]),
                number=rng.randint(0, 400) if q.kind == QuestionKind.INDICATOR else None,
                note=f"{NOTE} ({q.code})",
                updated_at=now,
                updated_by_id=r.respondent_id,
            )
            for r in responses
            for q in questions
            if applies(q.applies_to, r.assessment.municipality.region_role)
        ),
        batch_size=BATCH,
    )
    Answer.record_history(answers, at=now, kind="+", batch_size=BATCH)

    templates = list(ActionTemplate.objects.filter(framework=framework).order_by("order")[:ACTIONS])
    by_theme: dict[int, list[Question]] = {}
    for q in questions:
        by_theme.setdefault(q.theme_id, []).append(q)
    actions = Action.objects.bulk_create(
        (
            Action(
                assessment=a,
                template=t,
                title=t.title,
                description=t.description,
                owner="Beleidsadviseur Wmo",
                owner_domain=t.owner_domain,
                due_date=datetime.date(2027, 1 + n % 12, 1),
                level=t.level,
                priority=rng.randrange(1, 13),
                order=n,
            )
            for a in rounds
            for n, t in enumerate(templates)
        ),
        batch_size=BATCH,
    )
    through = Action.questions.through
    links = []
    for action, template in zip(actions, templates * len(rounds), strict=True):
        linked = {template.question_id} if template.question_id else set()
        linked.add(rng.choice(by_theme[template.theme_id]).pk)
        links += [through(action_id=action.pk, question_id=qid) for qid in linked]
    through.objects.bulk_create(links, batch_size=BATCH)

    # The first round of every municipality is closed, with the snapshot closing writes.
    closed = [a for a in rounds if a.title == ROUND_TITLES[0]]
    for a in closed:
        a.snapshot = make_snapshot(a)
        a.status = Assessment.Status.CLOSED
        a.closed_at = now
        a.closed_by = editors[a.municipality_id][0]
    Assessment.objects.bulk_update(
        closed, ["snapshot", "status", "closed_at", "closed_by"], batch_size=100
    )


def load_plan(framework: FrameworkVersion) -> dict:
    """What load.py needs: per municipality its editors and rounds; per step the ids of the
    statements answered with a level."""
    rounds = Assessment.objects.filter(
        municipality__memberships__user__username__startswith=PREFIX
    ).distinct()
    by_municipality: dict[int, dict[str, int]] = {}
    for a in rounds.values("pk", "municipality_id", "status"):
        by_municipality.setdefault(a["municipality_id"], {})[a["status"]] = a["pk"]
    editors: dict[int, list[str]] = {}
    for m_id, name in (
        Membership.objects.filter(user__username__startswith=PREFIX, role=Membership.Role.EDITOR)
        .order_by("municipality_id", "user__username")
        .values_list("municipality_id", "user__username")
    ):
        editors.setdefault(m_id, []).append(name)
    # The statements load.py autosaves a level for: the maturity statements a member of any
    # municipality sees (load.py picks one for any user, so none for one role only).
    steps: dict[str, list[int]] = {}
    for qid, step in (
        Question.objects.filter(
            framework=framework,
            kind=QuestionKind.MATURITY,
            partner_perspectives=[],
            applies_to=Applicability.ALL,
        )
        .order_by("order")
        .values_list("pk", "theme__step__code")
    ):
        steps.setdefault(step, []).append(qid)
    return {
        "password": PASSWORD,
        "steps": steps,
        "municipalities": [
            {
                "code": m.code,
                "name": m.name,
                "open_round": by_municipality[m.pk][Assessment.Status.OPEN],
                "closed_round": by_municipality[m.pk][Assessment.Status.CLOSED],
                "editors": editors[m.pk],
            }
            for m in Municipality.objects.filter(pk__in=by_municipality).order_by("code")
        ],
    }


def create_database_if_missing() -> None:
    """On PostgreSQL, create the database named in DATABASE_URL when it does not exist."""
    if connection.vendor != "postgresql":
        return
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
        import psycopg2  # only needed for PostgreSQL

        name = connection.settings_dict["NAME"]
        params = {**connection.get_connection_params(), "dbname": "postgres"}
        admin = psycopg2.connect(**params)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        print(f"created database {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()

    database = connection.settings_dict["NAME"]
    # A thousand users with one known password do not belong in a real database.
    if "bench" not in str(database):
        parser.error(f"'{database}' is not a bench database: its name must contain 'bench'")
    create_database_if_missing()
    if args.reset:
        call_command("flush", interactive=False, verbosity=0)

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_questionbank", stdout=io.StringIO())
    call_command("load_municipalities", "--centrumgemeenten", stdout=io.StringIO())
    framework = FrameworkVersion.objects.published().order_by("-published_at", "-id").first()
    municipalities = list(Municipality.objects.active().filter(is_demo=False).order_by("code"))
    if get_user_model().objects.filter(username__startswith=PREFIX).exists():
        print(f"{database}: already seeded, no data changed")
    else:
        seed(framework, municipalities)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would
    elapsed = time.perf_counter() - started

    args.output.write_text(json.dumps(load_plan(framework), indent=1))
    print(f"database {connection.vendor} '{database}', {elapsed:.1f} s")
    for name, n in counts().items():
        print(f"  {name:<17} {n:>8}")
    print(f"load plan for bench/load.py: {args.output}")


if __name__ == "__main__":
    main()
