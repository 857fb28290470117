"""A real browser (headless Debian Chromium driven by Playwright) enters a name, votes with the arrow keys and by
click, stops, comes back, and the votes land in the database.

Needs ``apt-get install chromium`` and ``pip install playwright``; never ``playwright install`` (that downloads a
browser). Skips with the reason when either is missing.
"""

import shutil

import pytest
from study_helpers import live_server, make_study

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not shutil.which("chromium"):
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        except sync_api.Error as exc:
            pytest.skip(f"chromium does not start under playwright: {exc}")
        yield browser
        browser.close()


def test_vote_with_keyboard_and_click(browser, tmp_path):
    study = make_study(tmp_path / "study.sqlite", size=(96, 64))
    total = len(study.items)
    with live_server(study.path) as base:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(base + "/")
        page.fill("#name", "Keyboard Kim")
        page.click("#start")
        page.wait_for_selector("#vote-form")
        assert page.inner_text("#progress") == f"0 / {total}"
        page.wait_for_function("Array.from(document.querySelectorAll('#vote-form img')).every(i => i.complete)")

        first_item = int(page.get_attribute("input[name=item]", "value"))
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"document.getElementById('progress')?.textContent === '1 / {total}'")
        second_item = int(page.get_attribute("input[name=item]", "value"))
        page.wait_for_function("Array.from(document.querySelectorAll('#vote-form img')).every(i => i.complete)")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.getElementById('progress')?.textContent === '2 / {total}'")
        third_item = int(page.get_attribute("input[name=item]", "value"))
        page.click("#choose-left")
        page.wait_for_function(f"document.getElementById('progress')?.textContent === '3 / {total}'")

        votes = {v.item: v for v in study.votes()}
        assert set(votes) == {first_item, second_item, third_item}
        assert [votes[i].side for i in (first_item, second_item, third_item)] == ["left", "right", "left"]
        assert all(v.rater == "Keyboard Kim" for v in votes.values())
        assert votes[first_item].elapsed_ms is not None and votes[first_item].elapsed_ms >= 0

        # stop, come back to the start page: the cookie offers to continue where we left off
        page.click("text=stop for now")
        page.wait_for_selector("#continue")
        assert "Keyboard Kim" in page.inner_text("#continue")
        page.click("#continue")
        page.wait_for_selector("#vote-form")
        assert page.inner_text("#progress") == f"3 / {total}"
        page.close()
    assert study.vote_count() == 3
