"""Load benchmark: simulated municipal users against ``make serve``.

Needs the ``bench`` extra (``pip install -e ".[bench]"``: locust), a database filled by
bench/seed.py and the production-like server (gunicorn and its Celery worker) on it:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scan_bench make serve
    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--json /tmp/load.json]

(``make bench-load`` runs the second line.) Locust runs headless, as a library, in this
process. First every simulated user logs in through the real login form (not measured:
a login costs a deliberately slow password hash). Then the users run for a warm-up
(not measured: every worker loads templates and fonts once) and for ``--duration``
seconds, which are measured. Several users share a municipality: user *i* is editor
*i mod 3* of municipality *i div 3*, the municipalities drawn at random from the 342.

Each user does what a respondent does: opens a step of the questionnaire of the open
round, autosaves answers on that page (a level and a note, as htmx posts them), moves to
the next step, looks at the results now and then and rarely asks for the PDF report: it
posts "Rapport maken", polls the status fragment every 2 s as the report page does until
the worker has stored the PDF, then downloads it. Between two requests it waits 1–3 s
(``--wait``): a person is slower, so this load is several times that of 50 real people.
Printed: per request kind the median, the 95th percentile (exact, from every response
time), the count, the errors and the throughput (``report_ready`` is the time from the
POST until the status says the PDF is there); and PASS/FAIL per budget
(docs/performance.md). The pages' p95 must not move when reports are requested: run once
with ``--weight report=0 --json A``, then with reports and ``--compare A``.
"""

# locust patches the standard library for gevent when imported: it comes first.
from locust import FastHttpUser, between, events  # isort: skip

import argparse
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookiejar import Cookie
from pathlib import Path
from urllib.parse import urlsplit

import gevent
import gevent.pool
import requests
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PLAN = Path("/tmp/scan-bench-users.json")  # noqa: S108 - written by bench/seed.py
KINDS = [
    "questionnaire",
    "autosave",
    "results",
    "report_make",
    "report_status",
    "report_download",
    "report_ready",
]
PAGES = ("questionnaire", "results")
CSRF_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
CSRF_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOTE = (
    "Besproken in het kernteam met Wmo, wonen en de corporatie. De afspraken staan in het "
    "werkplan; de uitvoering hangt nog af van een paar mensen. Evaluatie volgend kwartaal."
)

# Budgets (issue 12), in milliseconds. The report renders in the Celery worker, so the
# pages' p95 with reports may not exceed the p95 of a run without them by more than this
# fraction (the machine's noise between two runs is of that order; docs/performance.md).
PAGE_P95_MS = 100
AUTOSAVE_P95_MS = 50
P95_MOVE_TOLERANCE = 0.25
REPORT_POLL_SECONDS = 2  # as hx-trigger="every 2s" in _report_status.html
REPORT_TIMEOUT_SECONDS = 60

# How often each kind is requested, relative to each other: mostly autosaves, as on the
# questionnaire page; the report rarely (one per ten questionnaire pages).
WEIGHTS = {"questionnaire": 10, "autosave": 60, "results": 5, "report": 1}


@dataclass
class Account:
    username: str
    round_id: int
    # The report is asked for the closed round: an editor of an open round may not make its
    # concept report (docs/security.md); a closed round's report renders once, then is served.
    closed_round_id: int
    cookies: list[Cookie] = field(default_factory=list)


@dataclass
class Recorder:
    """Every response time in the measured window, per request kind; errors always."""

    measuring: bool = False
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors_outside: int = 0
    samples: list[str] = field(default_factory=list)

    def on_request(self, name: str, response_time: float, exception, **_kwargs) -> None:
        if exception is not None:
            if len(self.samples) < 10:
                self.samples.append(f"{name}: {exception}")
            if self.measuring:
                self.errors[name] += 1
            else:
                self.errors_outside += 1
        if self.measuring:
            self.times[name].append(response_time)


RECORDER = Recorder()
ACCOUNTS: list[Account] = []
STEP_QUESTIONS: dict[str, list[int]] = {}  # step code -> question ids, in step order


class Respondent(FastHttpUser):
    """One editor of a municipality filling in the open round.

    locust's FastHttpUser (geventhttpclient), not HttpUser (requests): the load generator
    runs on the same cores as the server, and this client costs it a fraction of the CPU
    per request, which would otherwise be taken from the server being measured.
    """

    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.account = ACCOUNTS.pop()
        for cookie in self.account.cookies:
            self.client.cookiejar.set_cookie(cookie)
        self.rng = random.Random(self.account.username)
        self.steps = list(STEP_QUESTIONS)
        self.step = self.rng.randrange(len(self.steps))
        self.csrf_token = ""
        self.questionnaire()

    def questionnaire(self) -> None:
        """Open the next step of the questionnaire (the token for autosave is in the page)."""
        if self.csrf_token:
            self.step = (self.step + 1) % len(self.steps)
        url = f"/meting/{self.account.round_id}/stap/{self.steps[self.step]}/"
        text = self._get(url, "questionnaire", marker="data-autosave")
        found = CSRF_IN_PAGE.search(text or "")
        if found:
            self.csrf_token = found.group(1)

    def autosave(self) -> None:
        """What htmx posts when a level is chosen or the note field is left."""
        question = self.rng.choice(STEP_QUESTIONS[self.steps[self.step]])
        prefix = f"q-{question}"
        data = {
            f"{prefix}-value": self.rng.choice(["0", "1", "2", "3", "4", "weet_niet"]),
            f"{prefix}-note": f"{NOTE} ({time.strftime('%H:%M:%S')})",
        }
        headers = {"X-CSRFToken": self.csrf_token, "HX-Request": "true"}
        url = f"/meting/{self.account.round_id}/antwoord/{question}/"
        with self.client.post(
            url, data=data, headers=headers, name="autosave", catch_response=True
        ) as response:
            if response.status_code != 200 or 'data-saved="true"' not in response.text:
                response.failure(f"status {response.status_code}: {response.text[:80]!r}")

    def results(self) -> None:
        self._get(f"/meting/{self.account.round_id}/resultaten/", "results", marker="<svg")

    def report(self) -> None:
        """ "Rapport maken", the status fragment polled until ready, then the download."""
        base = f"/meting/{self.account.closed_round_id}"
        started = time.perf_counter()
        with self.client.post(
            f"{base}/rapport/maken/",
            data={"csrfmiddlewaretoken": self.csrf_token},
            headers={"Referer": f"{self.host}{base}/"},
            name="report_make",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}, no redirect")
                return
        while True:
            text = self._get(f"{base}/rapport/status/", "report_status", marker="rapport-status")
            if text is None:
                return
            if "alert-danger" in text:
                self._fail("report_ready", started, "the report page says the render failed")
                return
            if "rapport.pdf" in text:  # the download link: the worker stored the PDF
                break
            if time.perf_counter() - started > REPORT_TIMEOUT_SECONDS:
                self._fail("report_ready", started, f"not ready in {REPORT_TIMEOUT_SECONDS} s")
                return
            gevent.sleep(REPORT_POLL_SECONDS)
        self._fire("report_ready", started, None)
        with self.client.get(
            f"{base}/rapport.pdf", name="report_download", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"status {response.status_code}, not a PDF")

    def _fire(self, name: str, started: float, exception: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type="REPORT",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=exception,
            context={},
        )

    def _fail(self, name: str, started: float, message: str) -> None:
        self._fire(name, started, RuntimeError(message))

    def _get(self, url: str, name: str, *, marker: str) -> str | None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or marker not in response.text:
                response.failure(f"status {response.status_code}, no {marker!r} in the page")
                return None
            return response.text


class CpuMeter:
    """CPU time during the measured window: the machine, the server, the load generator.

    Linux only (/proc). The machine is shared, so what the others used is printed too:
    everything the machine did minus the server (gunicorn, its Celery worker, PostgreSQL)
    and this process.
    """

    def __init__(self, bind: str, database: str) -> None:
        self.available = Path("/proc/stat").exists()
        self.tick = os.sysconf("SC_CLK_TCK") if self.available else 100
        # The server's processes: its gunicorn (by its address) and the PostgreSQL backends
        # of its database, not those of other people's test databases.
        self.groups = {
            "gunicorn": lambda cmd, _pid: "gunicorn" in cmd and bind in cmd,
            "celery": lambda cmd, pid: (
                "celery" in cmd and " worker" in cmd and self._uses_database(pid, database)
            ),
            "postgres": lambda cmd, _pid: cmd.startswith("postgres:") and f" {database} " in cmd,
        }

    @staticmethod
    def _uses_database(pid: Path, database: str) -> bool:
        """A Celery worker has no address: it is ours when its DATABASE_URL names our database."""
        try:
            environ = (pid / "environ").read_bytes().split(b"\0")
        except OSError:
            return False
        return any(
            e.startswith(b"DATABASE_URL=") and e.endswith(f"/{database}".encode()) for e in environ
        )

    def _machine(self) -> tuple[float, float]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + fields[4]
        return (sum(fields[:8]) - idle) / self.tick, idle / self.tick

    def _processes(self) -> dict[int, tuple[str, float]]:
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone in the meantime
            group = next((g for g, matches in self.groups.items() if matches(cmdline, entry)), None)
            if group:
                found[int(entry.name)] = (group, (int(stat[11]) + int(stat[12])) / self.tick)
        return found

    def start(self) -> None:
        if self.available:
            self.machine0, self.procs0 = self._machine(), self._processes()
            self.self0 = time.process_time()

    def stop(self, seconds: float) -> dict[str, float]:
        if not self.available:
            return {}
        (busy1, idle1), procs1 = self._machine(), self._processes()
        used: dict[str, float] = defaultdict(float)
        for pid, (group, cpu) in procs1.items():
            used[group] += cpu - self.procs0.get(pid, (group, 0.0))[1]
        used["load generator"] = time.process_time() - self.self0
        busy = busy1 - self.machine0[0]
        cores = {name: round(value / seconds, 2) for name, value in used.items()}
        cores["others on the machine"] = round(max(busy - sum(used.values()), 0) / seconds, 2)
        cores["machine busy"] = round(busy / seconds, 2)
        cores["machine idle"] = round((idle1 - self.machine0[1]) / seconds, 2)
        return cores


def log_in(host: str, username: str, password: str) -> list[Cookie]:
    """Log in through the login form, as a person does; return the session's cookies."""
    session = requests.Session()
    page = session.get(f"{host}/accounts/login/", timeout=30)
    page.raise_for_status()
    token = CSRF_IN_FORM.search(page.text)
    if token is None:
        raise RuntimeError("no CSRF token in the login form")
    response = session.post(
        f"{host}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"login of {username} failed: status {response.status_code}")
    return list(session.cookies)


def choose_accounts(plan: dict, users: int, per_municipality: int, seed: int) -> list[Account]:
    rng = random.Random(seed)
    municipalities = rng.sample(plan["municipalities"], math.ceil(users / per_municipality))
    accounts = []
    for i in range(users):
        m = municipalities[i // per_municipality]
        accounts.append(
            Account(m["editors"][i % per_municipality], m["open_round"], m["closed_round"])
        )
    return accounts


def percentile(values: list[float], fraction: float) -> float:
    """The exact percentile (linear interpolation between the closest ranks)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(recorder: Recorder, duration: float) -> dict:
    kinds = {}
    for kind in KINDS:
        times = recorder.times.get(kind, [])
        kinds[kind] = {
            "count": len(times),
            "errors": recorder.errors.get(kind, 0),
            "median_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(percentile(times, 0.95), 1) if times else None,
            "max_ms": round(max(times), 1) if times else None,
            "per_second": round(len(times) / duration, 2),
        }
    total = sum(k["count"] for k in kinds.values())
    return {
        "kinds": kinds,
        "requests": total,
        "errors": sum(recorder.errors.values()),
        "errors_outside_window": recorder.errors_outside,
        "throughput_per_second": round(total / duration, 1),
    }


def judge(
    summary: dict, users: int, duration: float, without_reports: dict | None
) -> list[tuple[str, str, bool | None]]:
    """(budget, measured, met) per budget; met is None when this run cannot tell."""
    k = summary["kinds"]

    def p95_under(kind: str, limit: float) -> tuple[str, str, bool | None]:
        p95 = k[kind]["p95_ms"]
        return (
            f"{kind} p95 < {limit:g} ms",
            "no data" if p95 is None else f"{p95:.1f} ms",
            None if p95 is None else p95 < limit,
        )

    verdicts = [p95_under(kind, PAGE_P95_MS) for kind in PAGES]
    verdicts.append(p95_under("autosave", AUTOSAVE_P95_MS))
    for kind in PAGES:
        name = f"{kind} p95 with reports <= {1 + P95_MOVE_TOLERANCE:g}x without"
        before = (without_reports or {}).get("kinds", {}).get(kind, {}).get("p95_ms")
        now = k[kind]["p95_ms"]
        if not k["report_make"]["count"] or before is None or now is None:
            verdicts.append((name, "needs a run with reports and --compare", None))
        else:
            ratio = now / before
            verdicts.append(
                (
                    name,
                    f"{now:.1f} ms vs {before:.1f} ms = {ratio:.2f}x",
                    ratio <= 1 + P95_MOVE_TOLERANCE,
                )
            )
    errors = summary["errors"] + summary["errors_outside_window"]
    full_size = users >= 50 and duration >= 60
    verdicts.append(
        (
            "zero errors at 50 users for 60 s",
            f"{errors} errors, {users} users, {duration:g} s",
            (errors == 0) if full_size else (False if errors else None),
        )
    )
    return verdicts


def print_report(summary: dict, verdicts, args, login_seconds: float) -> None:
    print(
        f"\n{args.users} users ({args.per_municipality} per municipality), think time "
        f"{args.wait[0]:g}-{args.wait[1]:g} s, warm-up {args.warmup:g} s, measured "
        f"{args.duration:g} s against {args.host}"
    )
    print("weights: " + ", ".join(f"{k} {w}" for k, w in args.weights.items()))
    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        "load average (1, 5, 15 min) before the run "
        f"{' '.join(f'{x:.2f}' for x in args.load_before)}, after "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"logins {login_seconds:.1f} s (not measured)"
    )
    print(
        f"\n{'kind':<14}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}{'count':>8}{'errors':>8}"
        f"{'req/s':>8}"
    )
    for kind, row in summary["kinds"].items():

        def ms(value: float | None) -> str:
            return "-" if value is None else f"{value:.1f}"

        print(
            f"{kind:<14}{ms(row['median_ms']):>10}{ms(row['p95_ms']):>10}{ms(row['max_ms']):>10}"
            f"{row['count']:>8}{row['errors']:>8}{row['per_second']:>8.2f}"
        )
    print(
        f"{'all':<14}{'':>10}{'':>10}{'':>10}{summary['requests']:>8}{summary['errors']:>8}"
        f"{summary['throughput_per_second']:>8.1f}"
    )
    print(f"errors outside the measured window (warm-up): {summary['errors_outside_window']}")
    if summary.get("cpu_cores"):
        print(
            "CPU in the window, in cores (of "
            f"{os.cpu_count()}): "
            + ", ".join(f"{name} {value:.2f}" for name, value in summary["cpu_cores"].items())
        )
    print("\nbudgets:")
    for name, measured, met in verdicts:
        label = {True: "PASS", False: "FAIL", None: "n/a "}[met]
        print(f"  {label}  {name:<44} {measured}")
    if RECORDER.samples:
        print("\nfirst errors:")
        for sample in RECORDER.samples:
            print(f"  {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--plan", type=Path, default=DEFAULT_PLAN, help="from bench/seed.py")
    parser.add_argument(
        "--database", default="scan_bench", help="the server's database (for the CPU figures)"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--per-municipality", type=int, default=3, choices=[1, 2, 3])
    parser.add_argument("--duration", type=float, default=60, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=10, help="seconds, not measured")
    parser.add_argument("--wait", type=float, nargs=2, default=[1, 3], metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=2026, help="which municipalities")
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="KIND=N",
        help="change how often a kind is requested (relative weights: "
        + ", ".join(f"{k}={w}" for k, w in WEIGHTS.items())
        + ")",
    )
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="JSON",
        help="the --json of a run without reports: the pages' p95 may not move",
    )
    args = parser.parse_args()
    plan = json.loads(args.plan.read_text())
    without_reports = json.loads(args.compare.read_text()) if args.compare else None

    STEP_QUESTIONS.update(plan["steps"])
    args.load_before = os.getloadavg()
    accounts = choose_accounts(plan, args.users, args.per_municipality, args.seed)
    started = time.perf_counter()
    pool = gevent.pool.Pool(4)
    for account, cookies in zip(
        accounts,
        pool.imap(lambda a: log_in(args.host, a.username, plan["password"]), accounts),
        strict=True,
    ):
        account.cookies = cookies
    login_seconds = time.perf_counter() - started
    ACCOUNTS.extend(reversed(accounts))  # popped from the end: user i gets account i

    weights = dict(WEIGHTS)
    for item in args.weight:
        kind, _sep, n = item.partition("=")
        if kind not in weights or not n.isdigit():
            parser.error(f"--weight {item}: expected one of {', '.join(weights)} = a number")
        weights[kind] = int(n)
    args.weights = weights
    # A list with each task as often as its weight is what locust makes of @task(n).
    Respondent.tasks = [getattr(Respondent, k) for k, w in weights.items() for _ in range(w)]
    Respondent.wait_time = between(*args.wait)
    environment = Environment(user_classes=[Respondent], host=args.host, events=events)
    environment.events.request.add_listener(RECORDER.on_request)
    runner = environment.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)  # all users at once
    gevent.sleep(args.warmup)
    meter = CpuMeter(urlsplit(args.host).netloc, args.database)
    meter.start()
    RECORDER.measuring = True
    window_start = time.perf_counter()
    gevent.sleep(args.duration)
    RECORDER.measuring = False
    measured = time.perf_counter() - window_start
    cpu = meter.stop(measured)
    runner.quit()
    runner.greenlet.join()

    summary = summarise(RECORDER, measured)
    summary["cpu_cores"] = cpu
    summary["load_average"] = {"before": args.load_before, "after": os.getloadavg()}
    summary["weights"] = weights
    verdicts = judge(summary, args.users, args.duration, without_reports)
    print_report(summary, verdicts, args, login_seconds)
    if args.json:
        summary["budgets"] = [
            {"budget": name, "measured": figure, "met": met} for name, figure, met in verdicts
        ]
        args.json.write_text(json.dumps(summary, indent=1))
    sys.exit(0 if all(met is not False for _n, _m, met in verdicts) else 1)


if __name__ == "__main__":
    main()
