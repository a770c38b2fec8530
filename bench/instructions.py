"""Instructions per request, counted by valgrind's callgrind: a measure of the server's
work that does not move with whatever else the machine is doing, for comparing two
versions of the code on a shared or unsteady machine (docs/performance.md).

Needs a database filled by bench/seed.py (it reads /tmp/scan-bench-users.json) and
valgrind (Debian's package):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scan_bench SECRET_KEY=x HTTPS=0 \\
        ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/instructions.py step [--requests 5]

KIND is ``step`` (the second step of the questionnaire), ``results`` or ``autosave``. The
script runs itself twice under callgrind, as an editor of a seeded municipality through
Django's test client (the full middleware stack): once with 3 warm-up requests only, once
with 3 + N; the difference of the two totals ÷ N is printed. Each run takes minutes
(callgrind runs Python some 50 times slower).

``step-fresh`` and ``results-fresh`` ask the same pages as another municipality's editor
each time, every one logged in, and having asked another page, before the count: the
page as a respondent first sees it,
or after colleagues changed answers. Its statements and the round's results are then
drawn anew, only what every respondent shares (a statement's texts and scale, the
question bank) comes from the cache. Under load this is the common case: a respondent
changes answers and moves on, so the next page they see is seldom drawn before.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = Path("/tmp/scan-bench-users.json")  # noqa: S108 - written by bench/seed.py
KINDS = ("step", "results", "autosave", "step-fresh", "results-fresh")
WARMUP = 3
COLLECTED = re.compile(r"Collected : (\d+)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--requests", type=int, default=5, help="N, the requests counted")
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)  # one run, under valgrind
    parser.add_argument("--logins", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run is not None:
        _requests(args.kind, args.run, args.logins)
        return
    # Both runs log in as many users, so that the difference holds only the requests.
    logins = WARMUP + args.requests
    base = _collected(args.kind, 0, logins)
    total = _collected(args.kind, args.requests, logins)
    print(
        f"{args.kind}: {(total - base) / args.requests / 1e6:.1f} M instructions per request "
        f"({base:,} with {WARMUP} warm-up requests, {total:,} with {args.requests} more)"
    )


def _collected(kind: str, requests: int, logins: int) -> int:
    """The instructions callgrind counted for one run of this script with ``requests``."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        kind,
        "--run",
        str(requests),
        "--logins",
        str(logins),
    ]
    # This script itself under valgrind, with fixed arguments.
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)  # noqa: S603
    found = COLLECTED.search(done.stderr)
    if not found:
        sys.exit(f"callgrind printed no total:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def _requests(kind: str, count: int, logins: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    if not PLAN.exists():
        sys.exit(f"{PLAN} is missing: run bench/seed.py first")
    plan = json.loads(PLAN.read_text())
    steps = list(plan["steps"])
    question = plan["steps"][steps[0]][0]
    # One client for the plain kinds; for the fresh kinds one per request, each an editor of
    # another municipality, all logged in before the first request.
    fresh = kind.endswith("-fresh")
    municipalities = plan["municipalities"][: logins if fresh else 1]
    if fresh and len(municipalities) < logins:
        sys.exit(f"{kind}: the seed has only {len(municipalities)} municipalities")
    # One client (one handler, its middleware loaded once, as in a server's process); each
    # user is their session cookie.
    client = Client(HTTP_HOST="127.0.0.1")
    logged_in = []
    for municipality in municipalities:
        client.cookies = SimpleCookie()  # a new session, not the previous user's
        client.force_login(get_user_model().objects.get(username=municipality["editors"][0]))
        round_id = municipality["open_round"]
        if fresh:
            # What a user's first request of a session does once (whether they must pass
            # TOTP, say) is not what is counted: each has asked another page before.
            other = "resultaten/" if kind.startswith("step") else f"stap/{steps[0]}/"
            client.get(f"/meting/{round_id}/{other}")
        logged_in.append((copy.deepcopy(client.cookies), round_id))

    def request(n: int):
        client.cookies, round_id = logged_in[n if fresh else 0]
        if kind == "autosave":
            prefix = f"q-{question}"
            data = {f"{prefix}-value": str(n % 4), f"{prefix}-note": f"Benchmark {n}."}
            url = f"/meting/{round_id}/antwoord/{question}/"
            return client.post(url, data, headers={"HX-Request": "true"})
        if kind.startswith("step"):
            return client.get(f"/meting/{round_id}/stap/{steps[1]}/")
        return client.get(f"/meting/{round_id}/resultaten/")

    for n in range(WARMUP + count):
        response = request(n)
        if response.status_code != 200:
            sys.exit(f"{kind}: HTTP {response.status_code}")


if __name__ == "__main__":
    main()
