"""The shape of the code (docs/decisions/0006-feature-packages.md, docs/architecture.md).

Features meet through ``assessments.models``, ``assessments.access``, ``assessments.common``
and each other's services and read-models: never through another feature's views or page
modules, so that changing a page cannot break the PDF or another feature.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "assessments"
FEATURES = [
    "accounts",
    "rounds",
    "plans",
    "members",
    "reports",
    "reminders",
    "regions",
    "api",
    "sso",
    "privacy",
    "partners",
]
# The one exception, on purpose: a partner answers on the members' own step page, not on
# a copy of it (docs/decisions/0011-partner-links.md).
SHARED_PAGES = {("partners", "assessments.rounds.questionnaire")}


def _is_page_or_view(module: str) -> bool:
    name = module.rsplit(".", 1)[-1]
    return name == "views" or name.endswith(("_views", "_page")) or name == "questionnaire"


def _imported_modules(path: Path) -> set[str]:
    """Every ``assessments.*`` module a file imports, as dotted names (``from x import y``
    counts as ``x.y`` too, since y may be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m.startswith("assessments.")}


def _modules(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py"))


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_imports_no_other_features_views_or_pages(feature):
    offending = []
    for path in _modules(feature):
        for module in _imported_modules(path):
            parts = module.split(".")
            other = parts[1] if len(parts) > 1 else ""
            if (feature, ".".join(parts[:3])) in SHARED_PAGES:
                continue
            if other in FEATURES and other != feature and _is_page_or_view(module):
                offending.append(f"{path.relative_to(APP)} imports {module}")
    assert not offending, offending


def test_common_imports_no_feature():
    offending = [
        f"{path.relative_to(APP)} imports {module}"
        for path in _modules("common")
        for module in _imported_modules(path)
        if module.split(".")[1] in FEATURES
    ]
    assert not offending, offending


def test_the_pdf_reads_no_page_module():
    offending = [
        f"{path.relative_to(APP)} imports {module}"
        for path in _modules("reports")
        for module in _imported_modules(path)
        if module.rsplit(".", 1)[-1].endswith("_page")
    ]
    assert not offending, offending


def test_the_app_has_few_top_level_modules_and_no_long_ones():
    top_level = sorted(p.name for p in APP.glob("*.py"))
    assert len(top_level) <= 10, top_level
    code = [p for p in APP.rglob("*.py") if "migrations" not in p.parts]
    too_long = {
        str(p.relative_to(APP)): n for p in code if (n := len(p.read_text().splitlines())) > 600
    }
    assert not too_long
    long_services = {
        str(p.relative_to(APP)): n
        for p in APP.rglob("services.py")
        if (n := len(p.read_text().splitlines())) > 400
    }
    assert not long_services


def test_signal_receivers_are_connected_in_the_app_config():
    """Not by the side effect of an import somewhere (config/urls.py used to do it)."""
    from django.contrib.auth import signals

    from assessments.accounts import signals as receivers

    # disconnect() says whether the receiver was connected under ready()'s dispatch_uid.
    assert signals.user_logged_in.disconnect(dispatch_uid="scan.login")
    signals.user_logged_in.connect(receivers.log_login, dispatch_uid="scan.login")
    source = (APP / "apps.py").read_text()
    assert "def ready" in source and "dispatch_uid=" in source


def test_no_test_module_imports_another_or_a_conftest():
    """Shared test code lives in tests/helpers/ (and tests/factories.py)."""
    tests = Path(__file__).resolve().parent
    offending = [
        f"{path.relative_to(tests)} imports {module}"
        for path in sorted(tests.rglob("*.py"))
        if "node_modules" not in path.parts
        for module in _imported_modules_any(path)
        if module.startswith("tests.")
        and module.rsplit(".", 1)[-1].startswith(("test_", "conftest"))
    ]
    assert not offending, offending


def _imported_modules_any(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found
