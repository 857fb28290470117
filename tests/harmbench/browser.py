"""Headless Debian Chromium driven by Playwright, for the browser tests (study pages, the report).

Importing this module skips the importing test module, with the reason, when Playwright or Chromium is missing.
Needs ``apt-get install chromium`` and ``pip install playwright``; never ``playwright install`` (that downloads a
browser).
"""

import contextlib
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not shutil.which("chromium"):
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


@contextlib.contextmanager
def headless_chromium():
    """A launched browser, closed afterwards; the test skips when Chromium does not start under Playwright."""
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        except sync_api.Error as exc:
            pytest.skip(f"chromium does not start under playwright: {exc}")
        yield browser
        browser.close()
