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
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = Path("/tmp/scan-bench-users.json")  # noqa: S108 - written by bench/seed.py
KINDS = ("step", "results", "autosave")
WARMUP = 3
COLLECTED = re.compile(r"Collected : (\d+)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--requests", type=int, default=5, help="N, the requests counted")
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)  # one run, under valgrind
    args = parser.parse_args()
    if args.run is not None:
        _requests(args.kind, args.run)
        return
    base = _collected(args.kind, 0)
    total = _collected(args.kind, args.requests)
    print(
        f"{args.kind}: {(total - base) / args.requests / 1e6:.1f} M instructions per request "
        f"({base:,} with {WARMUP} warm-up requests, {total:,} with {args.requests} more)"
    )


def _collected(kind: str, requests: int) -> int:
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
    ]
    # This script itself under valgrind, with fixed arguments.
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)  # noqa: S603
    found = COLLECTED.search(done.stderr)
    if not found:
        sys.exit(f"callgrind printed no total:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def _requests(kind: str, count: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    if not PLAN.exists():
        sys.exit(f"{PLAN} is missing: run bench/seed.py first")
    plan = json.loads(PLAN.read_text())
    municipality = plan["municipalities"][0]
    user = get_user_model().objects.get(username=municipality["editors"][0])
    round_id = municipality["open_round"]
    steps = list(plan["steps"])
    question = plan["steps"][steps[0]][0]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def request(n: int):
        if kind == "autosave":
            prefix = f"q-{question}"
            data = {f"{prefix}-value": str(n % 4), f"{prefix}-note": f"Benchmark {n}."}
            url = f"/meting/{round_id}/antwoord/{question}/"
            return client.post(url, data, headers={"HX-Request": "true"})
        if kind == "step":
            return client.get(f"/meting/{round_id}/stap/{steps[1]}/")
        return client.get(f"/meting/{round_id}/resultaten/")

    for n in range(WARMUP + count):
        response = request(n)
        if response.status_code != 200:
            sys.exit(f"{kind}: HTTP {response.status_code}")


if __name__ == "__main__":
    main()
