"""Every form of the app, filled in by hypothesis as its rightful user: never a 500.

The demo (``setup_demo``) is crawled as its users, following same-site links from the home
page; every ``<form>`` found (and every htmx ``hx-post``) is then submitted with generated
values: options and non-options, unicode digits such as ``²``, numbers past 2**63, NUL
bytes, long and empty text, crafted logo files. A server error, or an exception that would
be one, fails the test with the form and the data. Each submission is rolled back, so one
example's effect (a closed round, a removed member) does not steer the next.

Also every URL pattern with an id, called with ids no database column holds: a 404.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from assessments.common.municipalities import DEMO_CODE
from assessments.models import Assessment, Membership, Municipality, Region, RegionMembership
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank
from tests.factories import UserFactory
from tests.helpers.uploads import SVG, png_claiming

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 25
MAX_PAGES = 150
# Pages of one URL pattern (digits folded) that are crawled; a round has dozens of
# question pages that differ only in their ids.
PAGES_PER_PATTERN = 2
# Not followed: what ends the session or switches the language, downloads (their pages are
# in the permission matrix, and a PDF takes seconds), GET links that change something,
# and the API (tests/fuzz/test_api_schema.py).
SKIP = re.compile(
    r"^/(accounts/logout|i18n/|static/|media/|api/|afmelden/|uitnodiging/)"
    r"|\.(pdf|xlsx|csv|zip)$"
)
HUGE_IDS = [2**63, 2**64, 10**30]
MANAGEMENT_FORM = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "area", "base", "wbr"}


LOGOS = [
    png_claiming(1, 1),
    png_claiming(60000, 60000),
    png_claiming(9000, 9000),
    png_claiming(0, 0),
    SVG.encode(),
    f'<?xml version="1.0" encoding="x-onbekend"?>{SVG}'.encode(),
    f'<?xml version="1.0" encoding="shift_jis"?>{SVG}'.encode(),
    f'<?xml version="1.0" encoding="rot13"?>{SVG}'.encode(),
    f'<?xml version="1.0" encoding="utf-16"?>{SVG}'.encode(),
    b"<svg" + b"<g>" * 20000,
    b"\x00" * 10,
    b"",
]
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "²",
    "٣",
    "১২",
    "Ⅻ",
    "1.5",
    "1e400",
    "NaN",
    "-inf",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    str(10**30),
    str(-(2**63) - 1),
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 5000,
    "é" * 300,
    "🙂",
    "\u202e",
    "\r\n",
    "2099-12-31",
    "0000-00-00",
    "9999-99-99",
    "31-12-2099",
    "99999-01-01",
    "ja",
    "nee",
    "on",
    "%s",
    "../../etc/passwd",
    "nobody@example.org",
    "a@b",
]


@dataclass
class FormField:
    name: str
    kind: str
    values: list[str] = field(default_factory=list)  # options, the value as rendered


@dataclass
class Form:
    page: str
    action: str
    method: str
    htmx: bool
    fields: dict[str, FormField] = field(default_factory=dict)

    def key(self) -> tuple:
        def fold(text: str) -> str:
            return re.sub(r"\d+", "N", text)

        names = tuple(sorted(map(fold, self.fields)))
        return (fold(urlsplit(self.action).path), self.method, names)


class PageParser(HTMLParser):
    """The links and the forms of one page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        # The forms the current element is in: a <form>, and an hx-post element (an htmx
        # fieldset inside a form posts its own fields), with the tag's depth it opened at.
        self._open: list[tuple[str, int, Form]] = []
        self._depth: dict[str, int] = {}
        self._select: list[FormField] = []
        self._textarea: list[FormField] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in VOID:
            self._depth[tag] = self._depth.get(tag, 0) + 1
        for link in (a.get("href"), a.get("hx-get")):
            if link and tag != "link":
                self.links.append(urljoin(self.page, link))
        if tag == "form" or "hx-post" in a:
            action = a.get("hx-post") or a.get("action") or self.page
            method = "post" if "hx-post" in a else a.get("method", "get").lower()
            form = Form(self.page, urljoin(self.page, action), method, "hx-post" in a)
            self.forms.append(form)
            self._open.append((tag, self._depth.get(tag, 0), form))
            return
        name = a.get("name")
        if not self._open or (not name and tag != "option"):
            return
        if tag == "select":
            self._select = self._add(name, "select")
        elif tag == "option":
            for option in self._select:
                option.values.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = self._add(name, "textarea")
        elif tag in {"input", "button"}:
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            for f in self._add(name, kind):
                f.values.append(a.get("value", "on" if kind == "checkbox" else ""))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][:2] == (tag, self._depth.get(tag, 0)):
            self._open.pop()
        if tag in self._depth:
            self._depth[tag] -= 1
        if tag == "select":
            self._select = []
        elif tag == "textarea":
            self._textarea = []

    def handle_data(self, data: str) -> None:
        for f in self._textarea:
            f.values.append(data)

    def _add(self, name: str, kind: str) -> list[FormField]:
        return [form.fields.setdefault(name, FormField(name, kind)) for _t, _d, form in self._open]


def crawl(client: Client, start: list[str], *, allow: str = "/") -> list[Form]:
    """The distinct forms on the pages reachable from ``start`` below ``allow``."""
    queue = list(start)
    seen: set[str] = set()
    per_pattern: dict[str, int] = {}
    forms: dict[tuple, Form] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in {"", "testserver"}:
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        # Digits folded, and of the query its keys only (a sort order, a filter's value).
        keys = sorted(key for key, _value in parse_qsl(parts.query, keep_blank_values=True))
        pattern = re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)
        if url in seen or SKIP.search(parts.path) or not parts.path.startswith(allow):
            continue
        if per_pattern.get(pattern, 0) >= PAGES_PER_PATTERN:
            continue
        seen.add(url)
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code in {301, 302}:
            queue.append(urljoin(url, response["Location"]))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser(url)
        parser.feed(response.content.decode())
        queue.extend(parser.links)
        for form in parser.forms:
            if not SKIP.search(urlsplit(form.action).path):
                forms.setdefault(form.key(), form)
    return list(forms.values())


def _logo(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("logo.png", data, content_type="application/octet-stream")


def value_strategy(form_field: FormField) -> st.SearchStrategy:
    if form_field.kind == "file":
        return st.sampled_from(LOGOS).map(_logo)
    if MANAGEMENT_FORM.search(form_field.name):
        # A formset's form count: Django caps it (at 1,000 forms past the maximum), but
        # drawing a thousand or two inline forms takes seconds; bad counts, not large ones.
        return st.sampled_from([*form_field.values, "", "-1", "x", "²", "٣", "3"])
    nasty = st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )
    # Half the time what the page offers (options, the rendered value), else anything.
    one = st.one_of(st.sampled_from(form_field.values), nasty) if form_field.values else nasty
    # A name sent twice, as a multiple select or checkboxes do.
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def data_strategy(form: Form) -> st.SearchStrategy[dict]:
    # A field is left out one time in four.
    fields = {
        name: st.one_of(st.none(), value_strategy(f), value_strategy(f), value_strategy(f))
        for name, f in form.fields.items()
        if name != "csrfmiddlewaretoken"  # the client's own, added when it posts
    }
    return st.fixed_dictionaries(fields).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )


def _submit(client: Client, form: Form, data: dict) -> int:
    """Submit the form and undo what it did; the status, or an exception as a 500 would."""
    cookies = SimpleCookie(client.cookies.output(header="", sep="\n"))
    headers = {"HTTP_HX_REQUEST": "true"} if form.htmx else {}
    if form.method == "post":
        data = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    try:
        with transaction.atomic():
            if form.method == "post":
                response = client.post(form.action, data, **headers)
            else:
                response = client.get(form.action, data, **headers)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies  # a new session key (a password change) was rolled back
    return response.status_code


def fuzz_form(client: Client, form: Form) -> None:
    """Submit the form with generated data; hypothesis raises with the smallest failure."""

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=data_strategy(form))
    def submit(data: dict) -> None:
        status = _submit(client, form, data)
        assert status < 500, status

    submit()


def fuzz_forms(client: Client, forms: list[Form]) -> list[str]:
    """Every form fuzzed; one line per form that failed."""
    failures: list[str] = []
    for form in forms:
        try:
            fuzz_form(client, form)
        except Exception as exc:  # every failure is reported with its form
            failures.append(f"{form.method.upper()} {form.action} (from {form.page}): {exc!r}")
    return failures


@pytest.fixture
def demo(settings):
    """The demo municipality as ``make setup`` makes it, its coordinator also coordinating
    a region (with and without a lead), and a staff member."""
    settings.TWO_FACTOR_REQUIRED = False
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    call_command("setup_demo", stdout=io.StringIO())
    municipality = Municipality.objects.get(code=DEMO_CODE)
    coordinator = Membership.objects.get(municipality=municipality, role="coordinator").user
    for lead in (municipality, None):
        region = Region.objects.create(
            name=f"Regio {lead or 'zonder trekker'}", kind=Region.Kind.OWN, lead=lead
        )
        region.members.add(municipality)
        RegionMembership.objects.create(user=coordinator, region=region)
    Assessment.objects.filter(municipality=municipality, status="closed").update(
        shares_with_region=True
    )
    return {
        "coordinator": coordinator,
        "staff": UserFactory(username="beheer", is_staff=True, is_superuser=True),
        "unlinked": [
            reverse(name, args=[municipality.pk]) if "branding" in name else reverse(name)
            for name in UNLINKED
        ],
    }


def _client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get("/accounts/login/")  # a CSRF cookie for the forms' tokens
    return client


# Pages no link leads to (yet), crawled from as well: the report's cover settings.
UNLINKED = ["assessments:report_branding", "assessments:batch_export_new"]


# An editor's forms are the coordinator's with fewer of them (same views, same fields).
@pytest.mark.parametrize("persona", ["coordinator", "anonymous", "staff"])
def test_no_form_answers_with_a_server_error(demo, persona):
    start, allow = {
        "coordinator": (["/", *demo["unlinked"]], "/"),
        "anonymous": (["/accounts/login/", "/accounts/wachtwoord-vergeten/"], "/accounts/"),
        # The region form: its members are picked by id in a widget that fetches them.
        "staff": (["/admin/assessments/region/add/"], "/admin/assessments/region/"),
    }[persona]
    client = _client(demo.get(persona))
    forms = crawl(client, start, allow=allow)
    assert forms, "the crawl found no form"
    failures = fuzz_forms(client, forms)
    assert not failures, "\n".join(failures)


def _patterns(
    patterns=None, prefix: str = "/", namespace: str = "", converters=None
) -> Iterator[tuple]:
    """(name, route, converters) of every URL pattern but the admin's; the converters of
    the whole route, an ``include()`` prefix's too."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern)
        found = {**(converters or {}), **pattern.pattern.converters}
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, prefix + route, inner, found)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", prefix + route, found


def id_urls() -> Iterator[tuple[str, str]]:
    """(name, path) for every URL pattern with an integer id, one id past any column."""
    for name, route, converters in _patterns():
        ids = [n for n, c in converters.items() if isinstance(c, IntConverter)]
        for huge in HUGE_IDS:
            for target in ids:
                path = route
                for param in converters:
                    value = huge if param == target else (1 if param in ids else "wijkbasis")
                    path = re.sub(rf"<\w+:{param}>", str(value), path)
                assert "<" not in path, path
                yield name, path


def test_every_id_in_a_url_is_bounded():
    """``int`` takes any number of digits; ``id`` (assessments/common/converters.py) only ids."""
    unbounded = [
        (name, route)
        for name, route, converters in _patterns()
        if any(type(c) is IntConverter for c in converters.values())
    ]
    assert unbounded == []


def test_every_url_with_an_id_answers_404_to_an_id_past_any_column(client, coordinator):
    client.force_login(coordinator)  # no CSRF check: a POST would reach the view
    paths = list(id_urls())
    assert len(paths) > 40, paths
    failures = []
    for name, path in paths:
        for method in (client.get, client.post):
            try:
                status = method(path).status_code
            except Exception as exc:  # reported with the URL
                status = repr(exc)
            if status != 404:
                failures.append(f"{method.__name__.upper()} {path} ({name}): {status}")
    assert not failures, "\n".join(failures)
