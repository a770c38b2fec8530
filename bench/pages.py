"""Server CPU per page, in-process: the questionnaire steps, the results page and an autosave,
without HTTP, gunicorn or a load generator in the way.

Needs a database filled by bench/seed.py (it reads /tmp/scan-bench-users.json):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scan_bench SECRET_KEY=x HTTPS=0 \\
        ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/pages.py [--runs 100] [--profile 2]

Each page is requested through Django's test client as a logged-in editor of a seeded
municipality (the full middleware stack, the session and the two-factor rule as in
production), a few times to warm up, then ``--runs`` times; printed per page: the median
and 95th percentile of the CPU time of this process (``time.process_time``: what the
request cost the server, whatever else the machine is doing), the wall time, the number
of queries and the size. ``--profile NAME`` prints cProfile's top functions for one page
(``--callers PATTERN``: and who calls the functions whose name matches).
This is the quick loop; bench/load.py measures the pages under load and bench/peer.py
against the peer app.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PLAN = Path("/tmp/scan-bench-users.json")  # noqa: S108 - written by bench/seed.py


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", help="a page to profile: results, autosave or a step number")
    parser.add_argument("--sort", default="cumulative", help="cProfile's sort key")
    parser.add_argument("--top", type=int, default=40, help="how many functions to print")
    parser.add_argument("--callers", help="with --profile: who calls the functions matching this")
    parser.add_argument("--plan", type=Path, default=PLAN)
    args = parser.parse_args()

    account = _first_account(args.plan)
    client = Client(HTTP_HOST="127.0.0.1", secure=settings.SECURE_SSL_REDIRECT)
    # force_login: the password hash is slow on purpose and not what is measured here.
    client.force_login(get_user_model().objects.get(username=account["username"]))
    rid = account["round_id"]
    pages = {}
    for number, (step, questions) in enumerate(account["steps"].items(), start=1):
        pages[f"questionnaire-{number} ({len(questions)} q)"] = f"/meting/{rid}/stap/{step}/"
    pages["results"] = f"/meting/{rid}/resultaten/"
    # The autosave as htmx posts it: one level and a note, answered with a status fragment.
    question = next(iter(account["steps"].values()))[0]
    pages["autosave"] = f"/meting/{rid}/antwoord/{question}/"

    print(f"database: {connection.vendor}, user {account['username']}, round {rid}")
    print(
        f"{'page':<24}{'cpu median':>11}{'cpu min':>9}{'cpu p95':>9}{'wall med':>10}"
        f"{'queries':>9}{'KB':>7}"
    )
    # The pages take turns, so a slow spell of the machine (a shared virtual machine has
    # them) weighs on every page alike.
    for _ in range(args.warmup):
        for url in pages.values():
            _get(client, url)
    cpu: dict[str, list[float]] = {name: [] for name in pages}
    wall: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.runs):
        for name, url in pages.items():
            c0, w0 = time.process_time(), time.perf_counter()
            _get(client, url)
            cpu[name].append((time.process_time() - c0) * 1000)
            wall[name].append((time.perf_counter() - w0) * 1000)
    medians = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, url)
        medians[name] = statistics.median(cpu[name])
        print(
            f"{name:<24}{medians[name]:>9.2f}ms{min(cpu[name]):>7.2f}ms{_p95(cpu[name]):>7.2f}ms"
            f"{statistics.median(wall[name]):>8.2f}ms{len(queries):>9}"
            f"{len(response.content) / 1024:>7.0f}"
        )
    if args.profile:
        steps = list(pages.values())
        url = pages[args.profile] if args.profile in pages else steps[int(args.profile) - 1]
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for the database
        profiler.enable()
        for _ in range(100):
            _get(client, url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        if args.callers:
            pstats.Stats(profiler).print_callers(args.callers)


def _get(client: Client, url: str):
    if "/antwoord/" in url:
        prefix = f"q-{url.rstrip('/').rsplit('/', 1)[1]}"
        value = str(time.monotonic_ns() % 5)
        data = {f"{prefix}-value": value, f"{prefix}-note": f"Benchmark, niveau {value}."}
        response = client.post(url, data, headers={"HX-Request": "true"})
    else:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url}: HTTP {response.status_code}")
    return response


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _first_account(plan: Path) -> dict:
    if not plan.exists():
        sys.exit(f"{plan} is missing: run bench/seed.py first")
    data = json.loads(plan.read_text())
    municipality = data["municipalities"][0]
    return {
        "username": municipality["editors"][0],
        "round_id": municipality["open_round"],
        "steps": data["steps"],
    }


if __name__ == "__main__":
    main()
