"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium per test session; a fresh context (cookies, storage) and page per test. Every page
a test opens is watched for Content Security Policy violations and JavaScript errors, and the
test fails if any happened. A failing test leaves a screenshot in test-artifacts/.

Playwright's own browser download is never used: we launch /usr/bin/chromium (apt package
`chromium`, installed by `make test`).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = os.environ.get("CHIIA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
BROWSER_DIR = Path(__file__).resolve().parent

# The live server thread and Playwright's sync API share the test's thread; Django would
# otherwise refuse ORM calls made while Playwright's event loop is running.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# The browser journeys drive the same views, forms and scripts whatever the database, and CI runs
# them on its SQLite leg. On PostgreSQL they are skipped unless asked for
# (CHIIA_BROWSER_ON_POSTGRES=1), so the PostgreSQL leg spends its time on what differs there: row
# locks, concurrent saves, constraints and queries. Both legs together stay within CI's budget.
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
SKIP_ON_POSTGRES = pytest.mark.skip(
    reason="browser journeys run on SQLite; set CHIIA_BROWSER_ON_POSTGRES=1 to run them here"
)


def pytest_collection_modifyitems(config, items):
    skip = ON_POSTGRES and os.environ.get("CHIIA_BROWSER_ON_POSTGRES") != "1"
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if skip:
                item.add_marker(SKIP_ON_POSTGRES)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item so the page fixture knows whether to screenshot.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}; install the Debian package 'chromium'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class PageProblems:
    """CSP violations, JavaScript errors and dialogs (an alert() would mean injected script ran)."""

    CSP_MESSAGE = re.compile(
        r"Content Security Policy|Refused to (load|execute|apply|evaluate|connect|frame)", re.I
    )

    def __init__(self):
        self.csp: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._dialog)

    def _console(self, message):
        if self.CSP_MESSAGE.search(message.text):
            self.csp.append(message.text)
        elif (
            message.type == "error"
            and "favicon.ico" not in message.text
            and "status of 40" not in message.text
        ):
            # 4xx responses the test provokes on purpose are logged as console errors; ignore those.
            self.errors.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def report(self) -> list[str]:
        return (
            [f"CSP violation: {text}" for text in self.csp]
            + [f"JavaScript error: {text}" for text in self.errors]
            + [f"Dialog opened (injected script ran?): {text}" for text in self.dialogs]
        )


@pytest.fixture
def context(browser, live_server):
    ctx = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page_problems():
    return PageProblems()


@pytest.fixture
def page(context, page_problems, request):
    page = context.new_page()
    page_problems.watch(page)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    problems = page_problems.report()
    if report is not None and report.passed and problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def sign_in_as(context, live_server):
    """Sign a user in by handing the browser a session cookie (for journeys not about signing in)."""

    def sign_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return user

    return sign_in
