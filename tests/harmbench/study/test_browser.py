"""A real browser (headless Debian Chromium driven by Playwright): consent page, votes with the arrow keys and the
buttons, a full-size view with synchronised pan that never votes, stop and resume; a phone arriving with
``?PROLIFIC_PID=`` sees stacked results, taps to zoom, finishes and gets the completion code.

Chromium and Playwright come through ``tests/harmbench/browser.py`` (skips with the reason when either is missing).
"""

import pytest
from study_helpers import live_server, make_study

from tests.harmbench.browser import headless_chromium


@pytest.fixture
def browser():
    with headless_chromium() as browser:
        yield browser


def images_loaded(page):
    page.wait_for_function("Array.from(document.querySelectorAll('#vote-form img')).every(i => i.complete)")


def progress_is(page, done, total):
    page.wait_for_function(f"document.getElementById('progress')?.textContent === '{done} / {total}'")


def test_consent_keyboard_buttons_zoom_and_resume(browser, tmp_path):
    study = make_study(tmp_path / "study.sqlite", size=(1600, 1000))  # larger than the zoom panes: they scroll
    with live_server(study.path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(15_000)
        page.goto(base + "/")
        assert page.locator("h1").count() == 1 and page.is_visible("#consent")
        page.click("#start")  # consent not ticked: the browser's own form check stops it
        assert page.url == base + "/"
        page.check("#consent")
        page.fill("#name", "Keyboard Kim")
        page.click("#start")
        page.wait_for_selector("#vote-form")
        rater = study.raters()[0]
        total = len(study.plan(rater))
        assert page.inner_text("#progress") == f"0 / {total}" and rater.key.startswith("r-")
        images_loaded(page)

        first_item = int(page.get_attribute("input[name=item]", "value"))
        page.keyboard.press("ArrowLeft")
        progress_is(page, 1, total)
        second_item = int(page.get_attribute("input[name=item]", "value"))
        images_loaded(page)

        # full-size view: click the right picture, both panes at 100 %, panning one pans the other, keys don't vote
        page.click("#image-right", position={"x": 20, "y": 20})
        page.wait_for_selector("#zoom", state="visible")
        page.wait_for_function("Array.from(document.querySelectorAll('#zoom img')).every(i => i.complete && "
                               "i.naturalWidth === 1600)")
        assert page.evaluate("document.querySelector('#pane-left img').getBoundingClientRect().width") == 1600
        page.evaluate("document.getElementById('pane-left').scrollTo(300, 200)")
        page.wait_for_function("document.getElementById('pane-right').scrollLeft === 300 && "
                               "document.getElementById('pane-right').scrollTop === 200")
        # a pane that cannot follow (its picture not laid out yet) must not swallow the rater's next pan
        page.evaluate("document.querySelector('#pane-right img').style.width = '10px'")
        page.wait_for_timeout(200)
        page.evaluate("document.getElementById('pane-left').scrollTo(100, 100)")
        page.wait_for_timeout(200)
        page.evaluate("document.querySelector('#pane-right img').style.width = ''")
        page.evaluate("document.getElementById('pane-left').scrollTo(300, 200)")
        page.wait_for_function("document.getElementById('pane-right').scrollLeft === 300 && "
                               "document.getElementById('pane-right').scrollTop === 200", timeout=5000)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(300)
        assert study.vote_count() == 1 and page.inner_text("#progress") == f"1 / {total}"
        page.keyboard.press("Escape")
        page.wait_for_selector("#zoom", state="hidden")
        page.keyboard.press("z")
        page.wait_for_selector("#zoom", state="visible")
        page.click("#zoom-close")
        page.wait_for_selector("#zoom", state="hidden")
        assert study.vote_count() == 1

        page.keyboard.press("ArrowRight")
        progress_is(page, 2, total)
        third_item = int(page.get_attribute("input[name=item]", "value"))
        images_loaded(page)
        page.click("#choose-left")
        progress_is(page, 3, total)

        votes = {v.item: v for v in study.votes()}
        assert set(votes) == {first_item, second_item, third_item}
        assert [votes[i].side for i in (first_item, second_item, third_item)] == ["left", "right", "left"]
        assert all(v.rater == rater.key for v in votes.values())
        assert votes[first_item].elapsed_ms is not None and votes[first_item].elapsed_ms >= 0

        # stop, come back to the start page: the cookie offers to continue where we left off
        page.click("text=stop for now")
        page.wait_for_selector("#continue")
        page.click("#continue")
        page.wait_for_selector("#vote-form")
        assert page.inner_text("#progress") == f"3 / {total}"
        page.screenshot(path=str(tmp_path / "desktop.png"))
        page.close()
    assert study.vote_count() == 3


def test_phone_with_platform_id_to_completion_code(browser, tmp_path):
    study = make_study(tmp_path / "study.sqlite", size=(1200, 800))
    with live_server(study.path, completion_url="https://example.org/done?cc={code}") as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      device_scale_factor=2)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(base + "/?PROLIFIC_PID=P-77&STUDY_ID=s1")
        assert page.inner_text("#pid") == "P-77" and "Approved" not in page.content()
        page.tap("#consent")
        page.tap("#start")
        page.wait_for_selector("#vote-form")
        rater = study.rater_by_pid("P-77")
        total = len(study.plan(rater))
        images_loaded(page)
        left = page.locator("#image-left").bounding_box()
        right = page.locator("#image-right").bounding_box()
        assert right["y"] >= left["y"] + left["height"] and left["width"] > 300  # stacked, full width
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

        page.tap("#image-left")  # tap to zoom; never a vote
        page.wait_for_selector("#zoom", state="visible")
        page.tap("#zoom-close")
        page.wait_for_selector("#zoom", state="hidden")
        assert study.vote_count() == 0

        for done in range(total):
            images_loaded(page)
            page.tap("#choose-right" if done % 2 else "#choose-left")
            if done + 1 < total:
                progress_is(page, done + 1, total)
        page.wait_for_selector("#done")
        assert page.inner_text("#completion-code") == "C0DE42"
        assert page.get_attribute("#finish", "href") == "https://example.org/done?cc=C0DE42"
        page.screenshot(path=str(tmp_path / "phone-done.png"))

        # the same participant coming back from the platform in a fresh browser resumes (here: finished)
        fresh = browser.new_page()
        fresh.goto(base + "/?PROLIFIC_PID=P-77")
        fresh.wait_for_selector("#done")
        fresh.close()
        context.close()
    assert study.vote_count() == total and {v.rater for v in study.votes()} == {"pid-P-77"}
