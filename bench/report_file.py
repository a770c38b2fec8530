"""Time a fresh render of the PDF report through the task, and serving the stored file.

Run from the repository root:

    DEBUG=1 .venv/bin/python bench/report_file.py [--runs 5] [--serves 50]

It makes the same fully answered round of the real question bank as bench/report.py (a
throwaway SQLite file unless DATABASE_URL is set; the database then gets the benchmark's
rows: use a throwaway one) and prints:

- a fresh render: ``assessments.tasks.render_report`` in-process (build, render, store the
  bytes in the ``ReportFile`` row), as a worker runs it, after one warm-up render;
- a closed round's second "Rapport maken": no render, the stored file is reused;
- the download of the stored PDF through the whole Django stack (middleware, session,
  access check, the row's bytes), as the web server answers it.

Wall-clock and CPU time of this process; the CPU time depends less on what else runs on
the machine. A benchmark prints, it does not assert. The budgets (issue 12): a fresh
render under 3 s, serving a stored PDF under 50 ms.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The task runs in-process (no broker): the figures are the render's, not the queue's.
os.environ.pop("CELERY_BROKER_URL", None)

# bench/report.py sets up Django (and the throwaway database) when it is imported.
import report as report_bench
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, Membership, ReportFile
from assessments.reports.services import request_report
from assessments.rounds.services import close_assessment


def timed(function, runs: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    return walls, cpus


def line(label: str, walls: list[float], cpus: list[float], unit: str = "s") -> str:
    scale = 1000 if unit == "ms" else 1
    return (
        f"  {label}: median {statistics.median(walls) * scale:.{0 if unit == 'ms' else 2}f} "
        f"{unit} (min {min(walls) * scale:.{0 if unit == 'ms' else 2}f}, "
        f"max {max(walls) * scale:.{0 if unit == 'ms' else 2}f}); "
        f"CPU median {statistics.median(cpus) * scale:.{0 if unit == 'ms' else 2}f} {unit}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh renders to time")
    parser.add_argument("--serves", type=int, default=50, help="downloads to time")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    # Without a broker a render would go to a background thread of this process (decision
    # 0008) and the timing would stop before it is done: run it in-process, eagerly, as the
    # tests do (tests/conftest.py).
    settings.TASKS_IN_THREAD = False
    logging.getLogger("celery").setLevel(logging.WARNING)  # a line per task would drown it
    assessment = report_bench.make_round()
    assessment = Assessment.objects.select_related("municipality", "framework").get(
        pk=assessment.pk
    )
    viewer = get_user_model().objects.create_user(username="bench-viewer", password=None)
    Membership.objects.create(
        user=viewer, municipality=assessment.municipality, role=Membership.Role.VIEWER
    )

    def fresh_render() -> None:
        # An open round: every request is a new row and a new render, which runs
        # in-process after the commit (no broker), as a worker would run it.
        request_report(assessment=assessment, user=viewer)

    fresh_render()  # warm-up: fonts, templates and imports, which a worker does once
    render_walls, render_cpus = timed(fresh_render, args.runs)
    report_file = ReportFile.objects.get(assessment=assessment)
    assert report_file.status == ReportFile.Status.READY, report_file.error
    size = len(report_file.pdf)

    close_assessment(assessment=assessment, user=viewer)
    fresh_render()  # the closed round's final report, rendered once

    def reuse() -> None:
        request_report(assessment=assessment, user=viewer)

    reuse_walls, reuse_cpus = timed(reuse, args.serves)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    url = reverse("assessments:report_download", args=[assessment.pk])

    def serve() -> None:
        response = client.get(url)
        # Every download is a FileResponse (common/downloads.py): read it as a client does.
        body = response.getvalue()
        assert response.status_code == 200 and body.startswith(b"%PDF-")

    serve()  # warm-up: URL resolver, middleware
    serve_walls, serve_cpus = timed(serve, args.serves)

    print(f"database {connection.vendor}; PDF of the national round: {size / 1024:.0f} KB")
    print(f"fresh render through the task (build + render + store), {args.runs} runs:")
    print(line("render_report", render_walls, render_cpus))
    print(f"closed round, 'Rapport maken' again (reuses the stored file), {args.serves} runs:")
    print(line("request_report", reuse_walls, reuse_cpus, "ms"))
    print(f"download of the stored PDF through Django, {args.serves} runs:")
    print(line("GET report_download", serve_walls, serve_cpus, "ms"))


if __name__ == "__main__":
    main()
