"""A real browser (headless Debian Chromium driven by Playwright) opens the report from disk (file://): no console
error and no failed request, tables and plots are visible, and clicking a gallery picture opens its full-resolution
file.

Chromium and Playwright come through ``tests/harmbench/browser.py`` (skips with the reason when either is missing).
"""

import pytest
from report_helpers import make_runs

from harmbench.report import build_report
from tests.harmbench.browser import headless_chromium


@pytest.fixture
def browser():
    with headless_chromium() as browser:
        yield browser


def test_report_opens_from_disk_and_links_to_full_resolution(browser, tmp_path):
    runs = make_runs(tmp_path / "runs", size=400, n_test=3)  # larger than a thumbnail
    index = build_report(runs, tmp_path / "site", pairs=["reinhard,composite"], gallery=2, resamples=99)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))

    page.goto(index.as_uri())
    page.wait_for_load_state("load")
    assert page.locator("table.data").first.is_visible()
    assert "Table 1" in page.locator("table.data caption").first.inner_text()
    for plot in page.locator("img.plot").all():
        plot.scroll_into_view_if_needed()
        assert plot.is_visible()
        assert plot.evaluate("img => img.complete && img.naturalWidth > 0")
    broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length")
    assert broken == 0

    tile = page.locator('.row a[href$="/r0.png"]').first  # the first run's output of the first gallery image
    target = tile.get_attribute("href")
    assert target.startswith("full/") and target.endswith(".png")
    tile.scroll_into_view_if_needed()
    tile.click()
    page.wait_for_load_state("load")
    assert page.url == (index.parent / target).as_uri()
    size = page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [400, 400]  # the full-resolution output, not the 240 px thumbnail
    assert problems == []
    page.close()
