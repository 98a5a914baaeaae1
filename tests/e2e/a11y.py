"""The accessibility check every browser test runs on the pages it visits: axe-core."""

from pathlib import Path

from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page: Page) -> None:
    """Fail on any serious or critical axe violation of the page as it is now."""
    assert AXE_JS.exists(), f"{AXE_JS.relative_to(REPO_ROOT)} manque : lancez `npm ci`."
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE_JS)
    # Every rule runs; only the details of the passing checks are not collected.
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe sur {page.url} :\n" + "\n".join(
        describe(violation) for violation in blocking
    )


def describe(violation: dict) -> str:
    targets = "\n".join(f"    {' '.join(map(str, node['target']))}" for node in violation["nodes"])
    return (
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"  {violation['helpUrl']}\n{targets}"
    )
