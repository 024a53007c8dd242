"""Fixtures for the browser tests: a real Chromium (Debian's, never a downloaded one) driven by
Playwright against pytest-django's live server, and axe-core for accessibility checks."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread, so Django thinks the test's ORM
# calls are made from async code. For the tests only, let them through.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _missing(what: str) -> None:
    """Skip on a developer's machine without it; fail in CI, where a skip would hide the tests."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what}: the browser tests cannot run in CI without it.", pytrace=False)
    pytest.skip(f"{what}: install it to run the browser tests (see RECIPES.md, 'Browser tests').")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _missing(f"No Chromium at {CHROMIUM} (apt-get install -y chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened by path ("/cases/") on pytest-django's live server.

    Also stands in for pytest-playwright's own fallback fixture, which pytest 9 warns about.
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp only so that axe-core can be injected: the app's CSP (rightly) blocks it.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.is_file():
        _missing(f"No axe-core at {AXE_JS} (npm ci)")
    return AXE_JS


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    - {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:300]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n        ")
                lines.append(f"        {summary}")
    return "\n".join(lines)


def _govuk_known_issue(violation: dict) -> bool:
    """GOV.UK Frontend's conditional reveal sets aria-expanded on its radios: outside the ARIA spec
    for role radio, but kept on purpose because screen readers announce it (a documented known issue,
    alphagov/govuk-frontend#979). Only that attribute, only on those radios, is let through."""
    return violation["id"] == "aria-allowed-attr" and all(
        'class="govuk-radios__input"' in node["html"] and "aria-controls=" in node["html"]
        and [line.strip() for line in node.get("failureSummary", "").splitlines()[1:]]
        in (['ARIA attribute is not allowed: aria-expanded="true"'],
            ['ARIA attribute is not allowed: aria-expanded="false"'])
        for node in violation["nodes"])


def axe_violations(page, axe_path: Path) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path))
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations""",
        WCAG_TAGS,
    )
    return [violation for violation in violations if not _govuk_known_issue(violation)]


@pytest.fixture
def axe_check(axe_source):
    """axe_check(page): assert axe-core finds no WCAG 2.2 A/AA violations on the page as it is now."""

    def check(page, label: str = "") -> None:
        violations = axe_violations(page, axe_source)
        if violations:
            where = f"{label or page.title()} ({page.url})"
            raise AssertionError(f"axe found {len(violations)} accessibility violation(s) on {where}:\n"
                                 + _describe(violations))

    return check
