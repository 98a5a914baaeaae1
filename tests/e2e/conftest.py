"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

One browser per test session (per xdist worker), a fresh context per test, so that tests
share no cookie. Playwright never downloads a browser here: the one the system packages is
used, and its absence is a skip on a workstation but a failure in CI.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

VIEWPORTS = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

# Short enough that a broken page fails fast, long enough for a loaded CI machine.
TIMEOUT_MS = 10_000

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only this folder's.
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        message = f"Les tests navigateur ont besoin de {CHROMIUM}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} : il manque sur la machine d'intégration continue.")
        pytest.skip(f"{message} : installez-le avec `apt-get install chromium`.")
    # Playwright's sync API keeps an asyncio loop running in this thread, which Django's
    # ORM takes for async code; the test code itself stays synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    """Every browser test runs on a phone and on a desktop unless it parametrizes this."""
    return request.param


@pytest.fixture
def page(browser: Browser, live_server, reference_data, viewport: str) -> Iterator[Page]:
    # The live server needs a transactional database, flushed after each test;
    # `reference_data` gives each test back the rows the data migrations created (the
    # staff groups, the services), as a real installation has them.
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        # The site's CSP allows only its own scripts; axe is injected as an inline script.
        bypass_csp=True,
        **VIEWPORTS[viewport],
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
