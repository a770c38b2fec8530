"""Languages: Dutch is the source language, ``locale/en`` the complete English catalogue.

Three guards keep the catalogue honest:
- every template text node and user-facing attribute is marked for translation;
- ``makemessages``, run over a copy of the source with the options of ``make messages``
  (read from the Makefile), finds exactly the msgids of the committed catalogue;
- every msgid of the committed catalogue has an English msgstr (all plural forms, the same
  placeholders), and none is fuzzy.

The page tests compile the committed ``.po`` into a temporary directory, so they test what
is committed rather than whichever ``.mo`` a developer last compiled.
"""

from __future__ import annotations

import ast
import contextlib
import gettext
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
# What makemessages reads for the "django" domain; nothing else needs copying.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
# Never source, and large: not worth copying before makemessages ignores them anyway.
NOT_COPIED = {".git", ".venv", "node_modules", "locale", "staticfiles", "__pycache__"}


# --- Reading the Makefile and the catalogue ---


def makefile_args(name: str) -> list[str]:
    """The words of a ``NAME := value`` line of the Makefile, with $(VARS) expanded."""
    text = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^([A-Z0-9_]+) :?= ?(.*)$", text, flags=re.MULTILINE))
    assert name in variables, f"the Makefile defines no {name}"

    def expand(value: str) -> str:
        return re.sub(r"\$\((\w+)\)", lambda m: expand(variables[m[1]]), value)

    return shlex.split(expand(variables[name]))


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


PO_LINE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (\".*\")")


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") included; comments and obsolete
    (#~) entries are skipped."""
    entries: list[Entry] = []
    entry, keyword, index = Entry(), "", 0
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:  # a blank line ends an entry
            if keyword:
                entries.append(entry)
            entry, keyword, index = Entry(), "", 0
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):  # a continuation of the last keyword's string
            if keyword == "msgstr":
                entry.msgstr[index] += ast.literal_eval(line)
            else:
                setattr(entry, keyword, getattr(entry, keyword) + ast.literal_eval(line))
        else:
            match = PO_LINE.fullmatch(line)
            assert match, f"{path}: cannot read {line!r}"
            keyword, index, value = match[1], int(match[2] or 0), ast.literal_eval(match[3])
            if keyword == "msgstr":
                entry.msgstr[index] = value
            else:
                setattr(entry, keyword, value)
    return entries


def messages(path: Path) -> dict[tuple[str | None, str, str | None], Entry]:
    return {e.key: e for e in read_po(path) if e.msgid}


def describe(keys) -> str:
    return "\n".join(f"  {msgid!r}" for msgid in sorted(key[1] for key in keys))


# --- Every Dutch text in a template is marked ---

TEMPLATE_DIRS = [BASE_DIR / "templates", *sorted(BASE_DIR.glob("*/templates"))]
# Attributes a user reads or hears; other attributes hold code (class, href, hx-*).
TEXT_ATTRIBUTES = r"(?:title|alt|placeholder|aria-label|aria-description|data-[\w-]+-text)"


def unmarked_text(source: str) -> list[str]:
    """Words in a template that do not pass through {% translate %} or {% blocktranslate %}."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.DOTALL)
    text = re.sub(r"{#.*?#}", "", text, flags=re.DOTALL)
    text = re.sub(
        r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", "", text, flags=re.DOTALL
    )
    text = re.sub(r"{%.*?%}|{{.*?}}", "", text, flags=re.DOTALL)
    text = re.sub(r"<(style|script)\b.*?</\1>", "", text, flags=re.DOTALL | re.IGNORECASE)
    found = [
        m[2]
        for m in re.finditer(rf"\s{TEXT_ATTRIBUTES}=([\"'])(.*?)\1", text, flags=re.DOTALL)
        if re.search(r"[^\W\d_]{2}", m[2])
    ]
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[#\w]+;", " ", text)
    found += [line.strip() for line in text.splitlines() if re.search(r"[^\W\d_]{2}", line)]
    return found


def test_the_unmarked_text_check_finds_unmarked_text():
    template = "<p title=\"Uitleg\">Hallo {{ name }}</p><img alt='Logo' src=\"{% static 'x' %}\">"
    assert unmarked_text(template) == ["Uitleg", "Logo", "Hallo"]
    marked = (
        "<p title=\"{% translate 'Uitleg' %}\">{% blocktranslate with n=name %}Hallo {{ n }}"
        "{% endblocktranslate %} &rarr;</p><style>p { content: 'x'; }</style>"
    )
    assert unmarked_text(marked) == []


def test_every_template_text_is_marked_for_translation():
    problems = []
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*")):
            name = path.relative_to(directory).as_posix()
            if path.suffix not in {".html", ".txt"}:
                continue
            problems += [f"{name}: {text}" for text in unmarked_text(path.read_text("utf-8"))]
    assert not problems, "Text not marked for translation:\n" + "\n".join(problems)


# --- The committed catalogue matches the source ---


def _copy_only_source(directory: str, names: list[str]) -> set[str]:
    return {
        name
        for name in names
        if name in NOT_COPIED
        or (not Path(directory, name).is_dir() and Path(name).suffix not in SOURCE_SUFFIXES)
    }


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    """The msgids that ``make messages`` would write, without touching the real catalogue.

    makemessages scans the working directory and writes into LOCALE_PATHS, so it runs in a
    copy of the source with LOCALE_PATHS pointing to a temporary directory.
    """
    root = tmp_path_factory.mktemp("makemessages")
    source = root / "source"
    shutil.copytree(BASE_DIR, source, ignore=_copy_only_source)
    locale = root / "locale"
    with override_settings(LOCALE_PATHS=[str(locale)]), contextlib.chdir(source):
        call_command("makemessages", *makefile_args("MAKEMESSAGES_ARGS"), verbosity=0)
    return messages(locale / "en" / "LC_MESSAGES" / "django.po")


@pytest.fixture(scope="module")
def committed() -> dict:
    return messages(CATALOGUE)


def test_makemessages_finds_the_strings_of_the_source(extracted):
    # Guards the guard: an empty extraction would make the comparisons below pass vacuously.
    assert (None, "Inloggen", None) in extracted
    assert (None, "Ongeldig verzoek", None) in extracted  # from assessments/common/errors.py
    assert len(extracted) > 400


def test_every_marked_string_is_in_the_catalogue(extracted, committed):
    missing = set(extracted) - set(committed)
    assert not missing, (
        f"{len(missing)} marked string(s) missing from {CATALOGUE.relative_to(BASE_DIR)}; "
        f"run `make messages` and translate them:\n{describe(missing)}"
    )


def test_the_catalogue_has_no_strings_the_source_no_longer_has(extracted, committed):
    stale = set(committed) - set(extracted)
    assert not stale, (
        f"{len(stale)} string(s) in the catalogue that the source no longer has; "
        f"run `make messages`:\n{describe(stale)}"
    )


# --- The committed catalogue is complete ---

PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%%")


def test_every_msgid_has_an_english_translation(committed):
    untranslated = set()
    for key, entry in committed.items():
        expected = 2 if entry.msgid_plural is not None else 1
        strings = [entry.msgstr.get(i, "") for i in range(expected)]
        if not all(s.strip() for s in strings):
            untranslated.add(key)
    assert not untranslated, f"Without an English msgstr:\n{describe(untranslated)}"


def test_no_entry_is_fuzzy(committed):
    fuzzy = {e.key for e in read_po(CATALOGUE) if "fuzzy" in e.flags}
    assert not fuzzy, f"Fuzzy entries (check them, then remove the flag):\n{describe(fuzzy)}"


def test_translations_keep_the_placeholders(committed):
    broken = []
    for entry in committed.values():
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for index, source in enumerate(sources):
            expected = sorted(PLACEHOLDER.findall(source))
            actual = sorted(PLACEHOLDER.findall(entry.msgstr.get(index, "")))
            # A singular may say "one" instead of printing the number.
            may_drop = index == 0 and len(sources) == 2 and set(actual) <= set(expected)
            if actual != expected and not may_drop:
                broken.append(f"  {entry.msgid!r}: {expected} became {actual}")
    assert not broken, "Placeholders changed in translation:\n" + "\n".join(broken)


def test_the_catalogue_header_declares_english_plurals():
    header = next(e for e in read_po(CATALOGUE) if not e.msgid).msgstr[0]
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header


def test_the_committed_mo_matches_the_po(tmp_path):
    """The app runs on the committed .mo (no gettext needed); it must be the .po compiled."""
    locale = tmp_path / "locale"
    shutil.copytree(BASE_DIR / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    with contextlib.chdir(tmp_path):
        call_command("compilemessages", verbosity=0)

    def catalog(path: Path) -> dict:
        with path.open("rb") as handle:
            return dict(gettext.GNUTranslations(handle)._catalog)

    compiled = catalog(locale / "en" / "LC_MESSAGES" / "django.mo")
    committed_mo = catalog(BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.mo")
    assert committed_mo == compiled, "run `make messages` and commit django.mo"


# --- Pages in both languages and the switch ---


@pytest.fixture
def english(settings, tmp_path):
    """The committed catalogue, compiled into a temporary LOCALE_PATHS."""
    locale = tmp_path / "locale"
    shutil.copytree(BASE_DIR / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [str(locale)]
    with contextlib.chdir(tmp_path):
        call_command("compilemessages", verbosity=0)
    assert (locale / "en" / "LC_MESSAGES" / "django.mo").exists()


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_dutch_is_the_default(client, english):
    html = page(client.get(reverse("login")))
    assert '<html lang="nl">' in html
    assert "Wachtwoord vergeten?" in html
    assert "Forgot your password?" not in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_dutch_until_english_is_chosen(client, english):
    """Many Dutch civil servants run an English browser; the questions are Dutch, so the
    app is Dutch unless the user picks English in the header."""
    html = page(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="nl">' in html
    assert "Wachtwoord vergeten?" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "<title>Log in · Beschermd thuis readiness scan</title>" in html
    assert "Forgot your password?" in html


@pytest.mark.django_db
def test_the_language_cookie_gives_english(client, english):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client.get(reverse("login")))
    assert "Forgot your password?" in html


@pytest.mark.django_db
def test_the_switch_remembers_the_choice(client, english, editor):
    client.force_login(editor)
    home = reverse("assessments:home")
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Your municipalities and assessments" in page(client.get(home))
    # The cookie wins over the browser's preference, both ways.
    client.post(reverse("set_language"), {"language": "nl", "next": home})
    assert "Uw gemeenten en metingen" in page(client.get(home, HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.django_db
def test_the_switch_does_not_redirect_to_another_site(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://example.com/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://example.com")


@pytest.mark.django_db
def test_the_switch_works_for_a_coordinator_before_two_factor(client, settings, coordinator):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(coordinator)
    setup = reverse("two_factor_setup")
    response = client.post(reverse("set_language"), {"language": "en", "next": setup})
    assert response["Location"] == setup
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True])
def test_the_header_has_a_switch_that_works_without_javascript(client, editor, logged_in):
    if logged_in:
        client.force_login(editor)
    path = reverse("assessments:home") if logged_in else reverse("login")
    html = page(client.get(f"{path}?x=1"))
    header = html[html.index("<header") : html.index("</header>")]
    action = re.escape(reverse("set_language"))
    form = re.search(rf'<form\b([^>]*\baction="{action}"[^>]*)>(.*?)</form>', header, re.DOTALL)
    assert form, "no form posting to set_language in the header"
    assert 'method="post"' in form[1]
    body = form[2]
    assert 'name="csrfmiddlewaretoken"' in body
    assert re.search(rf'<input type="hidden" name="next" value="{re.escape(path)}\?x=1">', body)
    # A labelled select with each language named in its own language, and a submit button.
    select_id = re.search(r'<select\b[^>]*\bname="language"[^>]*\bid="([^"]+)"', body)[1]
    assert re.search(rf'<label\b[^>]*\bfor="{select_id}"[^>]*>\s*Taal\s*</label>', body)
    assert re.search(r'<option value="nl" lang="nl" selected>Nederlands</option>', body)
    assert re.search(r'<option value="en" lang="en">English</option>', body)
    assert re.search(r'<button type="submit"[^>]*>\s*Taal wijzigen\s*</button>', body)
    # Strict CSP: no inline script and no inline event handler anywhere on the page.
    assert not re.search(r"<script\b(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<[^>]*\son[a-z]+=", html)
