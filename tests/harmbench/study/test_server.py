"""HTTP-level tests of every endpoint of the voting app (FastAPI TestClient, no network): consent, anonymous and
platform participant ids, MTurk preview and assignments, resume, per-rater sessions, completion code, opaque image
URLs, display/full images."""

import re
import sqlite3

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from study_helpers import make_study

from harmbench.study.db import Assignment
from harmbench.study.server import COOKIE, create_app


@pytest.fixture
def study(tmp_path):
    return make_study(tmp_path / "study.sqlite")


@pytest.fixture
def client(study):
    return TestClient(create_app(study.path), follow_redirects=False)


def start(client, name="Ann", **extra):
    response = client.post("/raters", data={"name": name, "consent": "yes", **extra})
    assert response.status_code == 303
    token = response.headers["location"].rsplit("/", 1)[1]
    return token


def current_item(client, token) -> int:
    page = client.get(f"/rate/{token}")
    assert page.status_code == 200
    return int(re.search(r'name="item" value="(\d+)"', page.text).group(1))


def test_start_page_and_static(client):
    page = client.get("/")
    assert page.status_code == 200 and 'action="/raters"' in page.text and "Continue" not in page.text
    assert 'name="consent"' in page.text and "<h1" in page.text and '<label for="consent"' in page.text
    assert client.get("/static/study.css").status_code == 200
    script = client.get("/static/study.js")
    assert script.status_code == 200 and "ArrowLeft" in script.text


def test_consent_is_required(client, study):
    response = client.post("/raters", data={"name": "Ann"})
    assert response.status_code == 400 and "consent" in response.text
    assert study.raters() == []


def test_new_rater_is_anonymous_with_token_cookie_and_vote_page(client, study):
    response = client.post("/raters", data={"name": "  Ann   Lee ", "consent": "yes"})
    assert response.status_code == 303
    token = response.headers["location"].removeprefix("/rate/")
    assert response.cookies.get(COOKIE) == token
    rater = study.rater_by_token(token)
    assert rater.name == "Ann Lee" and rater.key.startswith("r-") and "Ann" not in rater.key
    assert not rater.simulated and rater.slot == 0
    # the same typed name is another person, never the same rater
    assert start(TestClient(create_app(study.path), follow_redirects=False), "Ann Lee") != token
    page = client.get(f"/rate/{token}")
    total = len(study.plan(rater))
    assert page.status_code == 200 and f"0 / {total}" in page.text
    urls = re.findall(r'src="(/img/[^"]+)"', page.text)
    assert len(urls) == 3  # hint + two results
    screen = study.plan(rater)[0]
    item = study.items[screen.item]
    hint = study.hint_images[item.composite]
    left, right = study.screen_images(screen)
    assert urls == [f"/img/{study.image_token(i)}" for i in (hint, left, right)]
    assert all(not re.search(r"/img/\d+$", url) for url in urls)  # opaque: no ids, nothing to count modulo
    assert len(re.findall(r'rel="prefetch"', page.text)) == 3  # next pair
    assert f'data-full="/img/{study.image_token(left)}/full"' in page.text
    button = page.text.split('id="choose-left"')[1].split("</button>")[0]
    assert "<img" not in button  # the picture is not the vote button: clicking to look closer never votes


def test_platform_participant_id_enters_and_resumes(study):
    client = TestClient(create_app(study.path, pid_param="workerId"), follow_redirects=False)
    page = client.get("/?workerId=W123")
    assert page.status_code == 200 and 'name="pid" value="W123"' in page.text
    token = start(client, "", pid="W123")
    rater = study.rater_by_token(token)
    assert (rater.pid, rater.key, rater.name) == ("W123", "pid-W123", None)
    fresh = TestClient(create_app(study.path, pid_param="workerId"), follow_redirects=False)  # no cookie
    again = fresh.get("/?workerId=W123")
    assert again.status_code == 303 and again.headers["location"] == f"/rate/{token}"
    assert start(fresh, "", pid="W123") == token  # posting the form again resumes too
    assert fresh.get("/?PROLIFIC_PID=W123").status_code == 200  # another parameter name is not read
    start(fresh, "")  # an anonymous rater in this browser (cookie) ...
    assert 'id="continue"' in fresh.get("/").text
    page = fresh.get("/?workerId=W999")  # ... is not offered to a new platform participant
    assert page.status_code == 200 and 'id="continue"' not in page.text and 'value="W999"' in page.text


def test_custom_consent_page(study, tmp_path):
    text = tmp_path / "consent.html"
    text.write_text("<p id='ethics'>Approved by board 42.</p>")
    client = TestClient(create_app(study.path, consent=text))
    assert "<p id='ethics'>Approved by board 42.</p>" in client.get("/").text
    with pytest.raises(FileNotFoundError, match="no such consent file"):
        create_app(study.path, consent=tmp_path / "missing.html")


def test_vote_is_stored_and_page_advances(client, study):
    token = start(client)
    first = current_item(client, token)
    response = client.post(f"/rate/{token}/votes", data={"item": first, "choice": "right", "elapsed_ms": 1234})
    assert response.status_code == 303 and response.headers["x-vote"] == "recorded"
    assert response.headers["location"] == f"/rate/{token}"
    (vote,) = study.votes()
    rater = study.rater_by_token(token)
    screen = study.screen_of(rater, first - 1)
    assert (vote.rater, vote.item, vote.side, vote.elapsed_ms) == (rater.key, first, "right", 1234)
    assert vote.study == study.study_id
    if vote.kind != "catch":
        item = study.items[first - 1]
        shown_right = item.left if screen.flipped else item.right
        assert vote.winner == vote.right == study.methods[shown_right]
    assert current_item(client, token) != first
    assert client.get(f"/rate/{token}/progress").json() == {"rater": rater.key, "done": 1,
                                                           "total": len(study.plan(rater))}


def test_repeated_submission_is_idempotent(client, study):
    token = start(client)
    item = current_item(client, token)
    assert client.post(f"/rate/{token}/votes", data={"item": item, "choice": "left"}).headers["x-vote"] == "recorded"
    again = client.post(f"/rate/{token}/votes", data={"item": item, "choice": "right"})
    assert again.status_code == 303 and again.headers["x-vote"] == "duplicate"
    (vote,) = study.votes()
    assert vote.side == "left"  # the first answer stays


def test_bad_votes_are_rejected(client, study):
    token = start(client)
    n = len(study.items)
    outside = next(i.index + 1 for i in study.items if study.screen_of(study.rater_by_token(token), i.index) is None)
    assert client.post(f"/rate/{token}/votes", data={"item": outside, "choice": "left"}).status_code == 404
    assert client.post("/rate/not-a-token/votes", data={"item": 1, "choice": "left"}).status_code == 404
    assert client.post(f"/rate/{token}/votes", data={"item": n + 1, "choice": "left"}).status_code == 404
    assert client.post(f"/rate/{token}/votes", data={"item": 0, "choice": "left"}).status_code == 404
    first = current_item(client, token)
    assert client.post(f"/rate/{token}/votes", data={"item": first, "choice": "middle"}).status_code == 422
    assert client.post(f"/rate/{token}/votes", data={"item": "x", "choice": "left"}).status_code == 422
    assert client.post(f"/rate/{token}/votes", data={"choice": "left"}).status_code == 422
    assert study.vote_count() == 0
    # a nonsense time is dropped, the vote kept
    client.post(f"/rate/{token}/votes", data={"item": first, "choice": "left", "elapsed_ms": -5})
    assert study.votes()[0].elapsed_ms is None


def test_unknown_rater_pages_are_404(client):
    page = client.get("/rate/nobody")
    assert page.status_code == 404 and "unknown rater" in page.text
    assert client.get("/rate/nobody/progress").status_code == 404


def test_bad_names_are_rejected_with_the_form_again(client, study):
    for name in ("x" * 65, "a\x00b"):
        response = client.post("/raters", data={"name": name, "consent": "yes"})
        assert response.status_code == 400 and 'action="/raters"' in response.text
    assert study.raters() == []


def test_names_are_escaped(client):
    token = start(client, "<script>alert(1)</script>")
    page = client.get(f"/rate/{token}")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


def test_resume_by_cookie_and_by_link(client, study):
    token = start(client, "Bea")
    client.post(f"/rate/{token}/votes", data={"item": current_item(client, token), "choice": "left"})
    page = client.get("/")  # the cookie makes the start page offer to continue
    assert 'id="continue"' in page.text and f'href="/rate/{token}"' in page.text and "1 of" in page.text
    other_browser = TestClient(create_app(study.path), follow_redirects=False)
    assert "1 / " in other_browser.get(f"/rate/{token}").text  # the resume link works anywhere


def test_done_page_with_completion_code(study):
    client = TestClient(create_app(study.path, completion_url="https://example.org/done?cc={code}"),
                        follow_redirects=False)
    token = start(client)
    plan = study.plan(study.rater_by_token(token))
    for _ in range(len(plan)):
        client.post(f"/rate/{token}/votes", data={"item": current_item(client, token), "choice": "left"})
    page = client.get(f"/rate/{token}")
    assert page.status_code == 200 and 'id="done"' in page.text and "vote-form" not in page.text
    assert 'id="completion-code">C0DE42<' in page.text and 'href="https://example.org/done?cc=C0DE42"' in page.text
    assert study.vote_count() == len(plan)
    assert sorted(v.item for v in study.votes()) == sorted(s.item + 1 for s in plan)  # each screen exactly once
    kinds = {v.kind for v in study.votes()}
    assert kinds == {"pair", "repeat", "catch"}


def test_images_by_opaque_name_only(client, study, tmp_path):
    token = study.image_token(1)
    response = client.get(f"/img/{token}")
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert "immutable" in response.headers["cache-control"]
    assert response.content == study.image_path(1).read_bytes()
    full = client.get(f"/img/{token}/full")
    assert full.status_code == 200 and full.headers["content-type"] == "image/png"
    with Image.open(study.image_path(1, full=True)) as image:
        assert full.content == study.image_path(1, full=True).read_bytes() and image.size == (48, 32)
    (tmp_path / "secret.txt").write_text("secret")
    for path in ("/img/1", "/img/0", "/img/-1", "/images/1", "/img/..%2Fsecret.txt", "/img/../secret.txt",
                 "/img/%2e%2e%2fstudy.sqlite", "/img/000001.png", "/static/..%2F..%2Fstudy%2Fdb.py",
                 "/static/../db.py"):
        response = client.get(path)
        assert response.status_code in (404, 422), path
        assert b"secret" not in response.content and b"SQLite" not in response.content


def test_registered_file_outside_the_folder_is_not_served(study, tmp_path):
    """Even a tampered database cannot make the server read outside the study folder."""
    (tmp_path / "outside.png").write_bytes(b"not for you")
    with study.transaction() as conn:
        conn.execute("UPDATE images SET display_file = '../outside.png' WHERE id = 1")
    client = TestClient(create_app(study.path))
    assert client.get(f"/img/{study.image_token(1)}").status_code == 404


def test_healthz(client, study):
    start(client)
    assert client.get("/healthz").json() == {"status": "ok", "study": study.study_id, "items": len(study.items),
                                             "methods": 4, "composites": 3, "raters": 1, "votes": 0}


def test_missing_study_file(tmp_path):
    from harmbench.study.db import StudyError

    with pytest.raises(StudyError, match="no such study file"):
        create_app(tmp_path / "nope.sqlite")
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 10)
    with pytest.raises(StudyError, match="not a harmbench study"):
        create_app(tmp_path / "junk.sqlite")
    old = make_study(tmp_path / "old.sqlite")
    with old.transaction() as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'format'")  # a study made before study ids
    with pytest.raises(StudyError, match="study format 1, this harmbench reads 2"):
        create_app(old.path)


def test_rater_session_follows_the_id_across_copies(tmp_path):
    """Two copies of a study where raters joined in the same order show each rater the same sequence."""
    one, two = make_study(tmp_path / "one.sqlite"), make_study(tmp_path / "two.sqlite")
    for study in (one, two):
        study.add_rater(key="pid-A")
        study.add_rater(key="pid-B")
    assert one.plan(one.rater_by_key("pid-A")) == two.plan(two.rater_by_key("pid-A"))
    assert one.plan(one.rater_by_key("pid-A")) != one.plan(one.rater_by_key("pid-B"))


MTURK = {"hitId": "HIT7", "turkSubmitTo": "https://workersandbox.mturk.com"}


def finish_session(client, study, token):
    for _ in range(len(study.plan(study.rater_by_token(token)))):
        client.post(f"/rate/{token}/votes", data={"item": current_item(client, token), "choice": "left"})
    return client.get(f"/rate/{token}")


def test_mturk_preview_shows_the_information_without_the_start_form(client, study):
    start(client)  # a rater in this browser is not offered to whoever previews a HIT
    page = client.get("/", params={"assignmentId": "ASSIGNMENT_ID_NOT_AVAILABLE", **MTURK})
    assert page.status_code == 200 and 'id="preview-notice"' in page.text and "Which picture" in page.text
    assert 'id="start"' not in page.text and 'action="/raters"' not in page.text and 'id="continue"' not in page.text
    assert len(study.raters()) == 1


def test_mturk_worker_enters_resumes_and_submits_the_assignment(study):
    client = TestClient(create_app(study.path), follow_redirects=False)  # the default --pid-param: MTurk is seen
    page = client.get("/", params={"assignmentId": "A1", "workerId": "W1", **MTURK})
    assert page.status_code == 200 and 'name="pid" value="W1"' in page.text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text))
    assert fields == {"assignment_id": "A1", "hit_id": "HIT7", "submit_to": "https://workersandbox.mturk.com",
                      "pid": "W1"}
    token = start(client, "", **fields)
    rater = study.rater_by_token(token)
    assert rater.key == "pid-W1" and study.assignment_of(rater.id) == Assignment("A1", "HIT7", MTURK["turkSubmitTo"])
    # the worker comes back (a new browser, a new assignment): resumed, and the done page submits the latest one
    fresh = TestClient(create_app(study.path), follow_redirects=False)
    again = fresh.get("/", params={"assignmentId": "A2", "workerId": "W1", **MTURK})
    assert again.status_code == 303 and again.headers["location"] == f"/rate/{token}"
    done = finish_session(fresh, study, token)
    assert 'id="done"' in done.text
    form = re.search(r'<form method="post" action="([^"]+)" id="mturk-submit">(.*?)</form>', done.text, re.S)
    assert form.group(1) == "https://workersandbox.mturk.com/mturk/externalSubmit"
    assert dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2))) == {"assignmentId": "A2",
                                                                                 "completion_code": "C0DE42"}


@pytest.mark.parametrize("params, problem", [
    ({"assignmentId": "A1", "workerId": "W1", "hitId": "H", "turkSubmitTo": "https://evil.example"}, "turkSubmitTo"),
    ({"assignmentId": "A1", "workerId": "W1", "hitId": "H"}, "turkSubmitTo"),
    ({"assignmentId": "A1", **MTURK}, "workerId"),
])
def test_mturk_links_that_do_not_come_from_mturk_are_refused(client, study, params, problem):
    """The start page is a 400 naming the parameter, and the start form posted with the same values makes no
    rater (the done page must never post to a host taken from a link)."""
    page = client.get("/", params=params)
    assert page.status_code == 400 and problem in page.text
    posted = client.post("/raters", data={"consent": "yes", "pid": params.get("workerId", ""), "assignment_id": "A1",
                                          "submit_to": params.get("turkSubmitTo", "")})
    assert posted.status_code == 400 and ("worker" if problem == "workerId" else problem) in posted.text
    assert study.raters() == []


def test_study_files_without_the_assignments_table_are_served_and_take_workers(study):
    with sqlite3.connect(study.path) as conn:
        conn.execute("DROP TABLE assignments")  # a file made before the table existed
    client = TestClient(create_app(study.path), follow_redirects=False)
    plain = start(client, "Ann")
    assert 'id="done"' in finish_session(client, study, plain).text  # no assignment: the usual done page
    token = start(client, "", pid="W5", assignment_id="A5", hit_id="", submit_to="https://www.mturk.com/")
    assert study.assignment_of(study.rater_by_token(token).id) == Assignment("A5", None, "https://www.mturk.com")
