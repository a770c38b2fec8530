"""Our step and results pages against the peer survey app, timed in the same run.

The peer benchmark (a separate checkout, not part of this repository) installs
django-survey-and-report 1.5.0 under gunicorn and times its 22-question category page;
``PEER_BENCH_EXTRA_URL`` makes it time one page of ours in the same run. This script:

1. seeds the bench database when bench/seed.py's load plan is missing (``--seed``: always),
2. starts our app as ``make serve`` does (gunicorn, WhiteNoise, ``DEBUG`` off, HTTPS off on
   loopback) on a free loopback port, on ``DATABASE_URL``,
3. logs in a seeded editor through the login form for a session cookie,
4. runs the peer's ``setup.sh`` (idempotent; it installs outside this repository) and then
   its ``run.sh`` twice: with our 32-question step page (or the step nearest to 32
   questions in the seeded question bank) and with our results page,
5. prints our median / the peer's category-page median against the budgets (issue 23: 1/4).

Run from the repository root (PostgreSQL at 127.0.0.1:5432 by default):

    PEER_BENCH_DIR=../shared/bench/peer .venv/bin/python bench/peer.py [--runs 2]

``PEER_BENCH_DIR`` is the folder with the peer's run.sh and setup.sh, relative to the
repository root or absolute; it defaults to ``../shared/bench/peer``. ``DATABASE_URL``
defaults to the bench database of ``make bench-seed``. ``PEER_BENCH_N`` and the other knobs
of run.sh pass through.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/scan_bench"
PLAN = Path("/tmp/scan-bench-users.json")  # noqa: S108 - written by bench/seed.py
# Issue 23: our median as a fraction of the peer's 22-question category page, same run.
BUDGETS = {"step": 1 / 4, "results": 1 / 4}
STEP_QUESTIONS = 32
CSRF_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUMMARY = re.compile(r"^(peer-category-page|extra-page) median=([\d.]+) ms p95=([\d.]+) ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="peer runs per page of ours")
    parser.add_argument("--seed", action="store_true", help="run bench/seed.py first")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "3")))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    # Stopped with TERM: still stop the server below (the finally clause).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    peer_dir = Path(os.environ.get("PEER_BENCH_DIR", "../shared/bench/peer"))
    if not peer_dir.is_absolute():
        peer_dir = ROOT / peer_dir
    if not (peer_dir / "run.sh").exists():
        sys.exit(f"no run.sh in {peer_dir}: set PEER_BENCH_DIR")
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DEBUG", None)
    if args.seed or not PLAN.exists():
        _run([sys.executable, "bench/seed.py"], env)
    plan = json.loads(PLAN.read_text())

    # As make serve: the static files' manifest (DEBUG off) and the schema of this checkout.
    _run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--workers", str(args.workers)]
    server = subprocess.Popen(  # noqa: S603 - our own commands, no user input
        [*gunicorn, "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped below by its id
    )
    try:
        _wait_for(host, server)
        municipality = plan["municipalities"][0]
        cookie = _log_in(host, municipality["editors"][0], plan["password"])
        rid = municipality["open_round"]
        # The budget was set for the 32-question step; a question bank without one gives
        # the nearest step, the larger one on a tie (more questions: the harder test).
        step = min(
            plan["steps"],
            key=lambda c: (abs(len(plan["steps"][c]) - STEP_QUESTIONS), -len(plan["steps"][c])),
        )
        print(f"our step page: {step}, {len(plan['steps'][step])} questions", flush=True)
        pages = {
            "step": f"{host}/meting/{rid}/stap/{step}/",
            "results": f"{host}/meting/{rid}/resultaten/",
        }
        for url in pages.values():
            _check(url, cookie)
        _run(["bash", str(peer_dir / "setup.sh")], dict(os.environ))
        figures = []
        for number in range(1, args.runs + 1):
            for page, url in pages.items():
                figures.append(_peer_run(peer_dir, page, url, cookie, number))
    finally:
        os.killpg(server.pid, signal.SIGINT)  # gunicorn's quick shutdown
        server.wait(timeout=30)

    print(f"\n{'run':<5}{'page':<9}{'ours ms':>9}{'peer ms':>9}{'ratio':>8}{'budget':>8}  load")
    for f in figures:
        verdict = "PASS" if f["ratio"] <= BUDGETS[f["page"]] else "FAIL"
        print(
            f"{f['run']:<5}{f['page']:<9}{f['ours_median_ms']:>9.2f}{f['peer_median_ms']:>9.2f}"
            f"{f['ratio']:>8.3f}{BUDGETS[f['page']]:>8.3f}  {verdict}  load average "
            f"{' '.join(f'{x:.2f}' for x in f['load_before'])} -> "
            f"{' '.join(f'{x:.2f}' for x in f['load_after'])}"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    sys.exit(0 if all(f["ratio"] <= BUDGETS[f["page"]] for f in figures) else 1)


def _peer_run(peer_dir: Path, page: str, url: str, cookie: str, number: int) -> dict:
    """One run.sh with our page as its extra page; the two medians from its summary."""
    load_before = os.getloadavg()
    env = {**os.environ, "PEER_BENCH_EXTRA_URL": url, "PEER_BENCH_EXTRA_COOKIE": cookie}
    print(f"\n== run {number}, our {page} page: {url}", flush=True)
    script = ["bash", str(peer_dir / "run.sh")]  # as the peer's README runs it
    result = subprocess.run(  # noqa: S603 - the peer's own script
        script,
        env=env,
        stdout=subprocess.PIPE,  # its progress (stderr) goes straight through
        text=True,
        check=True,
    )
    print(result.stdout, flush=True)
    found = {}
    for line in result.stdout.splitlines():
        match = SUMMARY.match(line)
        if match:
            found[match.group(1)] = (float(match.group(2)), float(match.group(3)))
    ours, peer = found["extra-page"], found["peer-category-page"]
    return {
        "run": number,
        "page": page,
        "ours_median_ms": ours[0],
        "ours_p95_ms": ours[1],
        "peer_median_ms": peer[0],
        "peer_p95_ms": peer[1],
        "ratio": round(ours[0] / peer[0], 4),
        "budget": round(BUDGETS[page], 4),
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


def _log_in(host: str, username: str, password: str) -> str:
    """Log in through the login form as load.py does; the cookies as one Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(f"{host}/accounts/login/", timeout=30).read().decode()
    token = CSRF_IN_FORM.search(page)
    if token is None:
        sys.exit("no CSRF token in the login form")
    data = {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    try:
        opener.open(f"{host}/accounts/login/", urllib.parse.urlencode(data).encode(), timeout=30)
    except urllib.error.HTTPError as redirect:  # the redirect after a login: not followed
        if redirect.code != 302:
            raise
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        sys.exit(f"login of {username} failed")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs) -> None:
        return None


def _check(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        if response.status != 200 or response.url != url:
            sys.exit(f"{url}: status {response.status}, ended at {response.url}")


def _wait_for(host: str, server: subprocess.Popen) -> None:
    for _ in range(150):
        if server.poll() is not None:
            sys.exit("gunicorn exited early")
        try:
            urllib.request.urlopen(f"{host}/accounts/login/", timeout=5)  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer in 30 s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - fixed commands


if __name__ == "__main__":
    main()
