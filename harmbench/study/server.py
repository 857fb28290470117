"""The voting app (``harmbench study serve``): FastAPI, server-rendered Jinja2 pages, no front-end build step.

Routes:
  GET  /                         start page: enter a name (or continue as the rater remembered in the cookie)
  POST /raters                   form ``name`` -> the rater (new, or the existing one of that name: resume) -> 303
  GET  /rate/{token}             the rater's next pair (or the "all done" page)
  POST /rate/{token}/votes       form ``item``, ``choice`` (left|right), optional ``elapsed_ms`` -> stored -> 303
  GET  /rate/{token}/progress    JSON {"done", "total"}
  GET  /images/{image_id}        a study image, by id only (never by a client-given path)
  GET  /healthz                  JSON counts
  GET  /static/...               CSS and the keyboard script

A rater is identified by a random token (in the URL and a cookie), not by the typed name, so names never appear in
URLs. Unknown tokens, items and images are 404; a malformed vote is 422; a repeated vote is accepted and changes
nothing (header ``X-Vote: duplicate``). Handlers are plain functions, run in the server's thread pool, each with
its own SQLite connection.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from harmbench.study.db import SIDES, StudyDB, StudyError

PACKAGE_DIR = Path(__file__).resolve().parent
COOKIE = "harmbench_study_rater"
IMAGE_CACHE = "private, max-age=86400, immutable"  # study images never change under the same id


def create_app(db_path: str | Path) -> FastAPI:
    """The voting app for one study file."""
    study = StudyDB(db_path)
    templates = Jinja2Templates(directory=PACKAGE_DIR / "templates")  # autoescapes: rater names are user input
    app = FastAPI(title="harmbench user study", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.study = study
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    total = len(study.items)

    def rater_or_404(token: str):
        rater = study.rater_by_token(token)
        if rater is None:
            raise HTTPException(404, "unknown rater; start again from the first page")
        return rater

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(("/images", "/static")) or "application/json" in request.headers.get(
                "accept", ""):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return templates.TemplateResponse(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                                          status_code=exc.status_code)

    @app.get("/", response_class=HTMLResponse)
    def start_page(request: Request):
        token = request.cookies.get(COOKIE)
        rater = study.rater_by_token(token) if token else None
        done = len(study.voted_items(rater.id)) if rater else 0
        return templates.TemplateResponse(request, "start.html", {"rater": rater, "done": done, "total": total,
                                                                  "error": None})

    @app.post("/raters")
    def start_rating(request: Request, name: str = Form("")):
        try:
            rater = study.get_or_create_rater(name)
        except StudyError as exc:
            return templates.TemplateResponse(request, "start.html", {"rater": None, "done": 0, "total": total,
                                                                      "error": str(exc)}, status_code=400)
        response = RedirectResponse(f"/rate/{rater.token}", status_code=303)
        response.set_cookie(COOKIE, rater.token, max_age=180 * 86400, httponly=True, samesite="lax")
        return response

    @app.get("/rate/{token}", response_class=HTMLResponse)
    def vote_page(request: Request, token: str):
        rater = rater_or_404(token)
        upcoming, done = study.next_items(rater, count=2)
        if not upcoming:
            return templates.TemplateResponse(request, "done.html", {"rater": rater, "total": total})
        item = upcoming[0]
        prefetch = []
        if len(upcoming) > 1:  # let the browser fetch the next pair while this one is judged
            nxt = upcoming[1]
            prefetch = [study.reference_images[nxt.composite], study.output_image(nxt.composite, nxt.left),
                        study.output_image(nxt.composite, nxt.right)]
        context = {
            "rater": rater, "done": done, "total": total, "item_id": item.index + 1,
            "reference": study.reference_images[item.composite],
            "left": study.output_image(item.composite, item.left),
            "right": study.output_image(item.composite, item.right),
            "prefetch": prefetch,
        }
        return templates.TemplateResponse(request, "vote.html", context)

    @app.post("/rate/{token}/votes")
    def vote(token: str, item: int = Form(...), choice: str = Form(...), elapsed_ms: int | None = Form(None)):
        rater = rater_or_404(token)
        if not 1 <= item <= total:
            raise HTTPException(404, f"no pair {item} in this study")
        if choice not in SIDES:
            raise HTTPException(422, "choice must be 'left' or 'right'")
        if elapsed_ms is not None and not 0 <= elapsed_ms < 86_400_000:
            elapsed_ms = None  # a clock glitch in the browser; the vote itself is still valid
        recorded = study.record_vote(rater.id, item - 1, choice, elapsed_ms)
        return RedirectResponse(f"/rate/{token}", status_code=303,
                                headers={"X-Vote": "recorded" if recorded else "duplicate"})

    @app.get("/rate/{token}/progress")
    def progress(token: str):
        rater = rater_or_404(token)
        return {"rater": rater.name, "done": len(study.voted_items(rater.id)), "total": total}

    @app.get("/images/{image_id}")
    def image(image_id: int):
        path = study.image_path(image_id)
        if path is None or not path.is_file():
            raise HTTPException(404, "no such image")
        return FileResponse(path, media_type="image/png", headers={"Cache-Control": IMAGE_CACHE})

    @app.get("/healthz")
    def health():
        return {"status": "ok", "pairs": total, "methods": len(study.methods), "composites": len(study.composites),
                "raters": len(study.raters()), "votes": study.vote_count()}

    return app


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted; localhost only unless ``host`` says otherwise."""
    import uvicorn

    uvicorn.run(create_app(db_path), host=host, port=port, log_level=log_level)
