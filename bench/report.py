"""Time and memory to build and render the PDF report of a fully answered round.

Run from the repository root:

    DEBUG=1 .venv/bin/python bench/report.py [--variant volledig|bestuurlijk] [--actions 30]
        [--version 2026.1] [--runs 5] [--output /tmp/rapport.pdf] [--profile /tmp/rapport.prof]

It uses a throwaway SQLite file under /tmp unless DATABASE_URL is set (that database then
gets the benchmark's rows: use a throwaway one). It migrates, loads the real question
bank (``--version``, 2026.1 unless told), makes a round in which 3 respondents answer
every question with a note, adds 30 actions (``--actions``), then times ``build_report`` +
``render_pdf`` of one report variant (``--variant``: the full report, or the bestuurlijke
rapportage) a few times. Results: see docs/performance.md. ``--profile`` also writes a
cProfile of one more run, outside the timings (``python -m pstats`` reads it; cProfile
roughly doubles the time). ``--parts`` also times the report's HTML with one part taken
out at a time (each chapter, the charts, the timeline charts): what each part costs.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import logging
import os
import platform
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

_tmpdir = None
if "DATABASE_URL" not in os.environ:
    _tmpdir = tempfile.TemporaryDirectory(prefix="bench-report-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmpdir.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()
# WeasyPrint logs every layout step at INFO (the settings log INFO); that would drown the
# figures. Set before the import, which already parses WeasyPrint's own stylesheets.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

import weasyprint  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from assessments.models import Action, Assessment, Municipality  # noqa: E402
from assessments.reports.build import build_report  # noqa: E402
from assessments.reports.contents import FULL, VARIANTS  # noqa: E402
from assessments.reports.render import html_to_pdf, render_pdf, report_html  # noqa: E402
from assessments.rounds.services import (  # noqa: E402
    AnswerInput,
    save_answers,
    set_perspective,
    start_assessment,
)
from readiness.models import ActionLevel, Domain, Question  # noqa: E402
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank  # noqa: E402

VERSION = "2026.1"
RESPONDENTS = 3
ACTIONS = 30
NOTE = (
    "We hebben dit besproken in het regio-overleg. De afspraken staan in het werkplan, "
    "maar de uitvoering hangt nog af van een paar mensen. Volgend kwartaal evalueren we."
)


def make_round(actions: int = ACTIONS, version: str = VERSION) -> Assessment:
    """A round of the real question bank ``version``: every question answered by 3 people,
    with ``actions`` actions."""
    rng = random.Random(2026)
    framework = load_questionbank(QUESTIONBANK_DIR / f"beschermd-thuis-{version}.toml").framework
    suffix = rng.randrange(1000, 9999)
    municipality = Municipality.objects.create(
        code=f"GM{suffix}", name="'s-Hertogenbosch", province="Noord-Brabant"
    )
    users = [
        get_user_model().objects.create_user(username=f"bench-{suffix}-{n}", password=None)
        for n in range(RESPONDENTS)
    ]
    assessment = start_assessment(
        municipality=municipality,
        user=users[0],
        title="Nulmeting najaar 2026",
        framework=framework,
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
    for n in range(actions):
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


# A chapter of report_pdf.html: a <section> at the start of a line up to the first
# </section> at the start of a line (the steps' sections inside one are indented).
_CHAPTER = re.compile(
    r'^<section[^>]*aria-label(?:ledby)?="([^"]+)".*?^</section>', re.MULTILINE | re.DOTALL
)
_CHART = re.compile(r'<img src="data:image/svg\+xml;base64,[^"]*"[^>]*>')
_TIMELINE = re.compile(r'<div class="chart chart-timeline">.*?</div>', re.DOTALL)


def without_parts(html: str) -> dict[str, str]:
    """The report's HTML whole, and with one part taken out each."""
    variants = {"(whole report)": html}
    for match in _CHAPTER.finditer(html):
        variants[f"chapter {match.group(1)}"] = html[: match.start()] + html[match.end() :]
    variants["the SVG charts"] = _CHART.sub("", html)
    variants["the timeline charts"] = _TIMELINE.sub("", html)
    return variants


def time_parts(html: str, runs: int) -> None:
    """CPU time of each variant of ``without_parts``, interleaved so that a machine that
    drifts affects them all alike. Compared by the fastest run of each: other work on the
    machine only ever adds time, and a median of a few runs moved by 0.15 s with it."""
    # A chapter taken out leaves links to it: WeasyPrint logs each as an error.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    variants = without_parts(html)
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    pages = {name: len(PdfReader(io.BytesIO(html_to_pdf(v))).pages) for name, v in variants.items()}
    for _ in range(runs):
        for name, variant in variants.items():
            start = time.process_time()
            html_to_pdf(variant)
            cpu[name].append(time.process_time() - start)
    whole = min(cpu["(whole report)"])
    print(f"render of the HTML, CPU time of {runs} interleaved runs each:")
    for name, times in cpu.items():
        print(
            f"  {name:36} min {min(times):5.2f} s (median {statistics.median(times):5.2f} s)"
            f"  saves {whole - min(times):5.2f} s  {pages[name]:3} pages"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--variant", choices=VARIANTS, default=FULL, help="the report to time")
    parser.add_argument("--actions", type=int, default=ACTIONS, help="actions in the plan")
    parser.add_argument(
        "--version", default=VERSION, help="the question bank's version, e.g. 2027.1"
    )
    parser.add_argument("--output", type=Path, help="also write the PDF here")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one more run here")
    parser.add_argument(
        "--parts", action="store_true", help="also time the HTML with one part taken out each"
    )
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    assessment = make_round(args.actions, args.version)
    assessment = Assessment.objects.select_related("municipality", "framework").get(
        pk=assessment.pk
    )

    # One warm-up run: the first one loads fonts and templates, which a server does once.
    pdf = render_pdf(build_report(assessment, variant=args.variant))
    times = []
    cpu_times = []
    for _ in range(args.runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        pdf = render_pdf(build_report(assessment, variant=args.variant))
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)

    # tracemalloc slows Python down a lot, so it gets its own run outside the timings.
    tracemalloc.start()
    render_pdf(build_report(assessment, variant=args.variant))
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss_kb / 1024 / (1024 if sys.platform == "darwin" else 1)

    if args.profile:
        with cProfile.Profile() as profile:
            render_pdf(build_report(assessment, variant=args.variant))
        profile.dump_stats(args.profile)

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if args.output:
        args.output.write_bytes(pdf)
    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, database {connection.vendor}"
    )
    print(
        f"round: version {assessment.framework.version}, "
        f"{len(assessment.framework.questions.all())} questions x {RESPONDENTS} "
        f"respondents, {args.actions} actions"
    )
    print(f"build_report + render_pdf ({args.variant}), {args.runs} runs after 1 warm-up:")
    print(
        f"  median {statistics.median(times):.2f} s  (min {min(times):.2f} s, "
        f"max {max(times):.2f} s)"
    )
    # CPU time of this process: the same figure whether or not other work shares the CPUs.
    print(f"  CPU time: median {statistics.median(cpu_times):.2f} s")
    print(f"  peak RSS of the whole process (ru_maxrss): {rss_mb:.0f} MB")
    print(
        f"  peak Python allocations during one run (tracemalloc): "
        f"{traced_peak / 1024 / 1024:.0f} MB"
    )
    print(f"  PDF: {pages} pages, {len(pdf) / 1024:.0f} KB")
    if args.parts:
        time_parts(report_html(build_report(assessment, variant=args.variant)), args.runs)


if __name__ == "__main__":
    try:
        main()
    finally:
        if _tmpdir is not None:
            _tmpdir.cleanup()
