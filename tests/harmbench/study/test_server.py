"""HTTP-level tests of every endpoint of the voting app (FastAPI TestClient, no network)."""

import re

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from study_helpers import make_study

from harmbench.study.server import COOKIE, create_app


@pytest.fixture
def study(tmp_path):
    return make_study(tmp_path / "study.sqlite")


@pytest.fixture
def client(study):
    return TestClient(create_app(study.path), follow_redirects=False)


def start(client, name="Ann"):
    response = client.post("/raters", data={"name": name})
    assert response.status_code == 303
    token = response.headers["location"].rsplit("/", 1)[1]
    return token


def current_item(client, token) -> int:
    page = client.get(f"/rate/{token}")
    assert page.status_code == 200
    return int(re.search(r'name="item" value="(\d+)"', page.text).group(1))


def test_start_page_and_static(client):
    page = client.get("/")
    assert page.status_code == 200 and 'action="/raters"' in page.text and "Continue as" not in page.text
    assert client.get("/static/study.css").status_code == 200
    script = client.get("/static/study.js")
    assert script.status_code == 200 and "ArrowLeft" in script.text


def test_new_rater_gets_token_cookie_and_vote_page(client, study):
    response = client.post("/raters", data={"name": "  Ann   Lee "})
    assert response.status_code == 303
    token = response.headers["location"].removeprefix("/rate/")
    assert response.cookies.get(COOKIE) == token
    rater = study.rater_by_token(token)
    assert rater.name == "Ann Lee" and not rater.simulated
    page = client.get(f"/rate/{token}")
    assert page.status_code == 200
    assert f"0 / {len(study.items)}" in page.text
    image_ids = [int(i) for i in re.findall(r'src="/images/(\d+)"', page.text)]
    assert len(image_ids) == 3  # reference + two results
    item = study.items[current_item(client, token) - 1]
    assert image_ids == [study.reference_images[item.composite], study.output_image(item.composite, item.left),
                         study.output_image(item.composite, item.right)]
    assert len(re.findall(r'rel="prefetch"', page.text)) == 3  # next pair


def test_vote_is_stored_and_page_advances(client, study):
    token = start(client)
    first = current_item(client, token)
    response = client.post(f"/rate/{token}/votes", data={"item": first, "choice": "right", "elapsed_ms": 1234})
    assert response.status_code == 303 and response.headers["x-vote"] == "recorded"
    assert response.headers["location"] == f"/rate/{token}"
    (vote,) = study.votes()
    item = study.items[first - 1]
    assert (vote.rater, vote.item, vote.side, vote.elapsed_ms) == ("Ann", first, "right", 1234)
    assert vote.winner == study.methods[item.right] and vote.left == study.methods[item.left]
    assert current_item(client, token) != first
    assert client.get(f"/rate/{token}/progress").json() == {"rater": "Ann", "done": 1, "total": len(study.items)}


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
    assert client.post("/rate/not-a-token/votes", data={"item": 1, "choice": "left"}).status_code == 404
    assert client.post(f"/rate/{token}/votes", data={"item": n + 1, "choice": "left"}).status_code == 404
    assert client.post(f"/rate/{token}/votes", data={"item": 0, "choice": "left"}).status_code == 404
    assert client.post(f"/rate/{token}/votes", data={"item": 1, "choice": "middle"}).status_code == 422
    assert client.post(f"/rate/{token}/votes", data={"item": "x", "choice": "left"}).status_code == 422
    assert client.post(f"/rate/{token}/votes", data={"choice": "left"}).status_code == 422
    assert study.vote_count() == 0
    # a nonsense time is dropped, the vote kept
    client.post(f"/rate/{token}/votes", data={"item": 1, "choice": "left", "elapsed_ms": -5})
    assert study.votes()[0].elapsed_ms is None


def test_unknown_rater_pages_are_404(client):
    page = client.get("/rate/nobody")
    assert page.status_code == 404 and "unknown rater" in page.text
    assert client.get("/rate/nobody/progress").status_code == 404


def test_bad_names_are_rejected_with_the_form_again(client, study):
    for name in ("", "   ", "x" * 65, "a\x00b"):
        response = client.post("/raters", data={"name": name})
        assert response.status_code == 400 and 'action="/raters"' in response.text
    assert study.raters() == []


def test_names_are_escaped(client):
    token = start(client, "<script>alert(1)</script>")
    page = client.get(f"/rate/{token}")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


def test_resume_by_name_and_by_cookie(client, study):
    token = start(client, "Bea")
    client.post(f"/rate/{token}/votes", data={"item": current_item(client, token), "choice": "left"})
    # same name, any case -> same rater, same progress
    assert start(TestClient(create_app(study.path), follow_redirects=False), "bea") == token
    # the cookie makes the start page offer to continue
    page = client.get("/")
    assert "Continue as Bea" in page.text and f'href="/rate/{token}"' in page.text and "1 of" in page.text


def test_done_page_after_all_pairs(client, study):
    token = start(client)
    for _ in range(len(study.items)):
        client.post(f"/rate/{token}/votes", data={"item": current_item(client, token), "choice": "left"})
    page = client.get(f"/rate/{token}")
    assert page.status_code == 200 and 'id="done"' in page.text and "vote-form" not in page.text
    assert study.vote_count() == len(study.items)
    assert len({v.item for v in study.votes()}) == len(study.items)  # every item exactly once


def test_images_by_id_only(client, study, tmp_path):
    response = client.get("/images/1")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert "immutable" in response.headers["cache-control"]
    with Image.open(study.image_path(1)) as image:
        assert response.content == study.image_path(1).read_bytes() and image.size == (48, 32)
    (tmp_path / "secret.txt").write_text("secret")
    for path in ("/images/0", "/images/99999", "/images/-1"):
        assert client.get(path).status_code == 404
    for path in ("/images/..%2Fsecret.txt", "/images/../secret.txt", "/images/%2e%2e%2fstudy.sqlite",
                 "/images/000001.png", "/static/..%2F..%2Fstudy%2Fdb.py", "/static/../db.py"):
        response = client.get(path)
        assert response.status_code in (404, 422), path
        assert b"secret" not in response.content and b"SQLite" not in response.content


def test_registered_file_outside_the_folder_is_not_served(study, tmp_path):
    """Even a tampered database cannot make the server read outside the study folder."""
    (tmp_path / "outside.png").write_bytes(b"not for you")
    with study.transaction() as conn:
        conn.execute("UPDATE images SET file = '../outside.png' WHERE id = 1")
    client = TestClient(create_app(study.path))
    assert client.get("/images/1").status_code == 404


def test_healthz(client, study):
    start(client)
    assert client.get("/healthz").json() == {"status": "ok", "pairs": len(study.items), "methods": 4,
                                             "composites": 3, "raters": 1, "votes": 0}


def test_missing_study_file(tmp_path):
    from harmbench.study.db import StudyError

    with pytest.raises(StudyError, match="no such study file"):
        create_app(tmp_path / "nope.sqlite")
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 10)
    with pytest.raises(StudyError, match="not a harmbench study"):
        create_app(tmp_path / "junk.sqlite")


def test_rater_order_follows_the_name_across_copies(tmp_path):
    """Two copies of a study where raters signed up in different orders show each rater the same sequence."""
    one, two = make_study(tmp_path / "one.sqlite"), make_study(tmp_path / "two.sqlite")
    for study, names in ((one, ["Ann", "Bob"]), (two, ["Bob", "ann"])):
        for name in names:
            study.get_or_create_rater(name)
    ann_one, ann_two = one.rater_by_name("ann"), two.rater_by_name("ANN")
    assert ann_one.id != ann_two.id
    assert one.next_items(ann_one, count=len(one.items))[0] == two.next_items(ann_two, count=len(two.items))[0]
    assert one.next_items(ann_one, 5)[0] != one.next_items(one.rater_by_name("bob"), 5)[0]
