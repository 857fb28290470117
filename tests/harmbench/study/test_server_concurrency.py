"""Many raters voting at once against a real uvicorn server on 127.0.0.1: every vote stored exactly once."""

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from study_helpers import live_server, make_study

CLIENTS, VOTES, RESENT = 20, 50, 5


@pytest.fixture
def served(tmp_path):
    study = make_study(tmp_path / "study.sqlite", n_composites=9)  # 9 x 6 = 54 pairs, +5 repeats, +7 catch trials
    with live_server(study.path) as base:
        yield study, base


def test_concurrent_votes_all_stored_once(served, record_property):
    study, base = served
    barrier = threading.Barrier(CLIENTS)
    latencies: list[float] = []

    def rater(k: int) -> list[str]:
        with httpx.Client(base_url=base, timeout=30) as http:
            token = http.post("/raters", data={"consent": "yes"}).headers["location"].rsplit("/", 1)[1]
            items = [s.item + 1 for s in study.plan(study.rater_by_token(token))[:VOTES]]
            outcomes = []
            barrier.wait()  # all clients fire together
            for n, item in enumerate(items + items[:RESENT]):  # the last RESENT are resubmissions
                start = time.perf_counter()
                response = http.post(f"/rate/{token}/votes", data={"item": item, "choice": "left" if n % 2 else
                                                                   "right"})
                latencies.append(time.perf_counter() - start)
                assert response.status_code == 303, response.text
                outcomes.append(response.headers["x-vote"])
            return outcomes

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(rater, range(CLIENTS)))
    elapsed = time.perf_counter() - start

    assert all(o[:VOTES] == ["recorded"] * VOTES and o[VOTES:] == ["duplicate"] * RESENT for o in outcomes)
    votes = study.votes()
    assert len(votes) == CLIENTS * VOTES
    assert len({(v.rater, v.item) for v in votes}) == CLIENTS * VOTES  # none twice
    assert len({v.rater for v in votes}) == CLIENTS
    requests = CLIENTS * (VOTES + RESENT)
    p50, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[-1]
    figures = f"{requests} vote requests from {CLIENTS} clients in {elapsed:.2f} s ({requests / elapsed:.0f}/s), " \
              f"latency p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
    record_property("concurrency", figures)
    print(figures)
    assert elapsed < 60, figures  # bounded: a hung lock or serialised retry storm would blow this
