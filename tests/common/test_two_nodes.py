"""Two web nodes, one PostgreSQL, one Redis: what one node does, the other sees at once.

Two gunicorn processes on two ports serve the same test database with ``CACHE_URL`` on
one Redis (docs/deployment.md, "Past one machine"): a session made for one is valid on
the other, a round closed through one is closed on the other, and wrong API tokens count
on both together (the rate limit lives in the shared cache).

Like the worker test, it needs Redis and a real database: it runs when
``CELERY_BROKER_URL`` names a Redis (CI sets it) on PostgreSQL, and is skipped with the
reason otherwise; with ``CI_REQUIRE_E2E=1`` a skip is a failure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from assessments.models import Assessment
from tests.helpers.actions import answer_all

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip()
REQUIRED = os.environ.get("CI_REQUIRE_E2E") == "1"
START_TIMEOUT = 60  # seconds for a node to answer /healthz

pytestmark = pytest.mark.django_db(transaction=True)


def _cache_url() -> str:
    """A Redis database of the broker's server, other than the broker's own."""
    if not BROKER_URL.startswith(("redis://", "rediss://")):
        reason = "CELERY_BROKER_URL names no Redis: no shared cache for two nodes."
        if REQUIRED:
            pytest.fail(f"CI_REQUIRE_E2E=1, but {reason}")
        pytest.skip(reason)
    parts = urllib.parse.urlsplit(BROKER_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/2"))


def _database_url() -> str:
    if connection.vendor != "postgresql":
        reason = "two nodes need a database server; the tests run on SQLite here."
        if REQUIRED:
            pytest.fail(f"CI_REQUIRE_E2E=1, but {reason}")
        pytest.skip(reason)
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"node {base} stopped: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 (our loopback http)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"node {base} did not answer /healthz within {START_TIMEOUT} s")


@pytest.fixture
def nodes(tmp_path) -> Iterator[list[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CACHE_URL": _cache_url(),
        "CACHE_KEY_PREFIX": f"test-two-nodes-{uuid.uuid4().hex}",
        "SECRET_KEY": settings.SECRET_KEY,  # the session cookie made here must be valid there
        "DEBUG": "1",  # static files without collectstatic; nothing else here depends on it
        "HTTPS": "0",
        "TWO_FACTOR_REQUIRED": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "0",  # no connection left open when the test database is dropped
    }
    env.pop("CELERY_BROKER_URL")  # nothing here renders; no worker needed
    processes, bases, logs = [], [], []
    try:
        for number in range(2):
            port = _free_port()
            command = [sys.executable, "-m", "gunicorn", "config.wsgi"]
            command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
            logs.append(tmp_path / f"node-{number}.log")
            with logs[-1].open("w") as log:
                processes.append(
                    subprocess.Popen(
                        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                    )
                )
            bases.append(f"http://127.0.0.1:{port}")
        for base, process, log in zip(bases, processes, logs, strict=True):
            _wait_until_up(base, process, log)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Browser:
    """One browser's cookies, sent to whichever node it asks."""

    def __init__(self, session_id: str) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.session_id = session_id

    def request(self, url: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        cookies = [f"{settings.SESSION_COOKIE_NAME}={self.session_id}"] if self.session_id else []
        cookies += [f"{c.name}={c.value}" for c in self.jar]
        request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
        request.add_header("Cookie", "; ".join(cookies))
        if data is not None:
            request.add_header("Referer", url)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def test_two_nodes_share_sessions_rounds_and_rate_limits(nodes, client, assessment, coordinator):
    node_a, node_b = nodes
    answer_all(assessment, coordinator, "3")
    client.force_login(coordinator)  # a session row in the shared database
    browser = Browser(client.cookies[settings.SESSION_COOKIE_NAME].value)
    round_path = f"/meting/{assessment.pk}/"

    # The session made on no node at all is valid on both.
    for base in nodes:
        status, page = browser.request(base + round_path)
        assert status == 200, page[:500]

    # Close through node A (the form's CSRF token comes from node A's cookie and page).
    status, page = browser.request(f"{node_a}/meting/{assessment.pk}/afsluiten/")
    assert status == 200, page[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _page = browser.request(
        f"{node_a}/meting/{assessment.pk}/afsluiten/", data={"csrfmiddlewaretoken": token}
    )
    assert status == 200  # after the redirect to the round page
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CLOSED

    # Node B shows it closed at once: its next request reads the same database.
    status, page = browser.request(f"{node_b}/meting/{assessment.pk}/afsluiten/")
    assert status == 403, "closing twice must be refused on the other node"
    status, page = browser.request(node_b + round_path)
    assert status == 200
    assert "Meting heropenen" in page

    # Wrong API tokens count on both nodes together: the limit is in the shared cache.
    anonymous = Browser("")
    wrong = {"Authorization": "Bearer not-a-real-token"}
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["failed_token"].split("/")[0])
    for attempt in range(limit):
        status, _body = anonymous.request(nodes[attempt % 2] + "/api/v1/metingen/", headers=wrong)
        assert status in (401, 403), status
    status, _body = anonymous.request(node_b + "/api/v1/metingen/", headers=wrong)
    assert status == 429
