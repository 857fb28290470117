"""The voting app (``harmbench study serve``): FastAPI, server-rendered Jinja2 pages, no front-end build step.

Routes:
  GET  /                         information and consent page; ``?<pid_param>=ID`` (default ``PROLIFIC_PID``) takes a
                                 crowdsourcing platform's participant id and resumes that participant if known
  POST /raters                   form ``consent=yes``, optional ``name`` (display text only) and ``pid`` -> a rater
                                 (anonymous id, or the participant id) -> 303 to the rater's resume link
  GET  /rate/{token}             the rater's next screen (or the done page with the completion code)
  POST /rate/{token}/votes       form ``item``, ``choice`` (left|right), optional ``elapsed_ms`` -> stored -> 303
  GET  /rate/{token}/progress    JSON {"rater", "done", "total"}
  GET  /img/{token}              a study image at display size (JPEG), by an opaque random name
  GET  /img/{token}/full         the same image at full resolution (PNG), for the zoom view
  GET  /healthz                  JSON counts
  GET  /static/...               CSS and the page script

Amazon Mechanical Turk (ExternalQuestion): a request with ``assignmentId`` comes from MTurk, whatever ``pid_param``
says. While a worker previews the HIT (``assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE``) the start page shows the
information without the start form; an accepted assignment enters as participant ``workerId`` (resumed like any
platform participant) and the assignment is kept, so that the done page can submit it: a form posting
``assignmentId`` and the completion code to ``<turkSubmitTo>/mturk/externalSubmit``. ``turkSubmitTo`` must be one
of MTurk's two submit hosts (``MTURK_SUBMIT_HOSTS``, production and sandbox), or the page is a 400: the done page
never posts to a host taken from a link.

A rater is a random token (the resume link, also kept in a cookie), never a typed name: a name is optional
display text. Image names are random per image, so a URL says nothing about the method. Unknown tokens, items and
images are 404; a vote for an item outside the rater's session is 404; a malformed vote is 422; a repeated vote is
accepted and changes nothing (header ``X-Vote: duplicate``). Handlers are plain functions, run in the server's
thread pool, each with its own SQLite connection.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from harmbench.study.db import MAX_PID_LENGTH, SIDES, Assignment, StudyDB, StudyError, clean_text

PACKAGE_DIR = Path(__file__).resolve().parent
COOKIE = "harmbench_study_rater"
IMAGE_CACHE = "private, max-age=86400, immutable"  # study images never change under the same name
DEFAULT_PID_PARAM = "PROLIFIC_PID"
MTURK_PREVIEW = "ASSIGNMENT_ID_NOT_AVAILABLE"  # MTurk's assignmentId while a worker only previews the HIT
MTURK_SUBMIT_HOSTS = ("https://www.mturk.com", "https://workersandbox.mturk.com")


def mturk_assignment(assignment_id: str, hit_id: str | None, submit_to: str,
                     worker_id: str | None) -> tuple[Assignment, str]:
    """An accepted assignment and its worker's id from MTurk's URL parameters (as the start page receives them, or
    as its form sends them back); StudyError naming what is wrong with them."""
    submit_to = submit_to.rstrip("/")
    if submit_to not in MTURK_SUBMIT_HOSTS:
        raise StudyError(f"turkSubmitTo must be one of {', '.join(MTURK_SUBMIT_HOSTS)}, got {submit_to!r}")
    assignment_id = clean_text(assignment_id, "MTurk assignmentId", MAX_PID_LENGTH)
    if assignment_id is None or assignment_id == MTURK_PREVIEW:
        raise StudyError("the HIT is not accepted yet (no assignmentId): accept it on MTurk first")
    worker_id = clean_text(worker_id, "MTurk workerId", MAX_PID_LENGTH)
    if worker_id is None:
        raise StudyError("an accepted MTurk assignment comes with a workerId; none was sent")
    return Assignment(assignment_id, clean_text(hit_id, "MTurk hitId", MAX_PID_LENGTH), submit_to), worker_id


def read_consent(path: str | Path | None) -> Markup | None:
    """The researcher's own information/consent text (an HTML fragment), shown instead of the default one."""
    if path is None:
        return None
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such consent file")
    try:
        return Markup(path.read_text(encoding="utf-8"))  # the researcher's own file: trusted HTML
    except UnicodeDecodeError:
        raise StudyError(f"{path}: the consent file is not UTF-8 text") from None


def create_app(db_path: str | Path, *, pid_param: str = DEFAULT_PID_PARAM, consent: str | Path | None = None,
               completion_code: str | None = None, completion_url: str | None = None) -> FastAPI:
    """The voting app for one study file. ``completion_url`` may hold ``{code}`` (e.g. Prolific's
    ``https://app.prolific.com/submissions/complete?cc={code}``)."""
    study = StudyDB(db_path)
    consent_html = read_consent(consent)
    code = completion_code or study.meta.get("completion_code", "")
    finish_url = completion_url.replace("{code}", code) if completion_url else None
    templates = Jinja2Templates(directory=PACKAGE_DIR / "templates")  # autoescapes: names and ids are user input
    app = FastAPI(title="harmbench user study", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.study = study
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")

    def rater_or_404(token: str):
        rater = study.rater_by_token(token)
        if rater is None:
            raise HTTPException(404, "unknown rater; start again from the first page")
        return rater

    def start_page_response(request: Request, pid: str | None, error: str | None = None, status: int = 200,
                            assignment: Assignment | None = None, preview: bool = False):
        token = request.cookies.get(COOKIE)
        # a participant sent by a platform starts as that participant, never as whoever used this browser before
        rater = study.rater_by_token(token) if token and not (pid or preview) else None
        done = study.next_screens(rater)[1] if rater else 0
        context = {"rater": rater, "done": done, "total": len(study.plan(rater)) if rater else None, "pid": pid,
                   "consent": consent_html, "error": error, "assignment": assignment, "preview": preview}
        return templates.TemplateResponse(request, "start.html", context, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(("/img", "/static")) or "application/json" in request.headers.get(
                "accept", ""):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return templates.TemplateResponse(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                                          status_code=exc.status_code)

    @app.get("/", response_class=HTMLResponse)
    def start_page(request: Request):
        params = request.query_params
        assignment = None
        if "assignmentId" in params:  # opened by MTurk
            if params["assignmentId"] == MTURK_PREVIEW:
                return start_page_response(request, None, preview=True)
            try:
                assignment, pid = mturk_assignment(params["assignmentId"], params.get("hitId"),
                                                   params.get("turkSubmitTo", ""), params.get("workerId"))
            except StudyError as exc:
                raise HTTPException(400, str(exc)) from None
        else:
            pid = params.get(pid_param) or None
        if pid:
            known = study.rater_by_pid(pid)
            if known is not None:  # a participant coming back from the platform resumes
                if assignment is not None:
                    study.record_assignment(known.id, assignment)
                return _enter(known)
        return start_page_response(request, pid, assignment=assignment)

    def _enter(rater) -> RedirectResponse:
        response = RedirectResponse(f"/rate/{rater.token}", status_code=303)
        response.set_cookie(COOKIE, rater.token, max_age=180 * 86400, httponly=True, samesite="lax")
        return response

    @app.post("/raters")
    def start_rating(request: Request, consent: str = Form(""), name: str = Form(""), pid: str = Form(""),
                     assignment_id: str = Form(""), hit_id: str = Form(""), submit_to: str = Form("")):
        assignment = None
        try:
            if assignment_id:
                assignment, pid = mturk_assignment(assignment_id, hit_id, submit_to, pid)
            if consent != "yes":
                raise StudyError("please tick the consent box to take part")
            rater = study.add_rater(pid=pid or None, name=name or None, consented=True)
        except StudyError as exc:
            return start_page_response(request, pid or None, str(exc), 400, assignment=assignment)
        if assignment is not None:
            study.record_assignment(rater.id, assignment)
        return _enter(rater)

    def image_urls(image_id: int) -> dict:
        token = study.image_token(image_id)
        return {"src": f"/img/{token}", "full": f"/img/{token}/full"}

    @app.get("/rate/{token}", response_class=HTMLResponse)
    def vote_page(request: Request, token: str):
        rater = rater_or_404(token)
        upcoming, done = study.next_screens(rater, count=2)
        total = len(study.plan(rater))
        if not upcoming:
            return templates.TemplateResponse(request, "done.html", {
                "rater": rater, "total": total, "code": code, "finish_url": finish_url,
                "assignment": study.assignment_of(rater.id)})
        screen = upcoming[0]
        item = study.items[screen.item]
        left, right = study.screen_images(screen)
        prefetch = []
        if len(upcoming) > 1:  # let the browser fetch the next pair while this one is judged
            nxt = upcoming[1]
            prefetch = [image_urls(study.hint_images[study.items[nxt.item].composite])["src"],
                        *(image_urls(i)["src"] for i in study.screen_images(nxt))]
        context = {
            "rater": rater, "done": done, "total": total, "item_id": screen.item + 1,
            "hint": image_urls(study.hint_images[item.composite]),
            "left": image_urls(left), "right": image_urls(right), "prefetch": prefetch,
        }
        return templates.TemplateResponse(request, "vote.html", context)

    @app.post("/rate/{token}/votes")
    def vote(token: str, item: int = Form(...), choice: str = Form(...), elapsed_ms: int | None = Form(None)):
        rater = rater_or_404(token)
        screen = study.screen_of(rater, item - 1)
        if screen is None:
            raise HTTPException(404, f"pair {item} is not one of this rater's pairs")
        if choice not in SIDES:
            raise HTTPException(422, "choice must be 'left' or 'right'")
        if elapsed_ms is not None and not 0 <= elapsed_ms < 86_400_000:
            elapsed_ms = None  # a clock glitch in the browser; the vote itself is still valid
        recorded = study.record_vote(rater.id, screen.item, choice, screen.flipped, elapsed_ms)
        return RedirectResponse(f"/rate/{token}", status_code=303,
                                headers={"X-Vote": "recorded" if recorded else "duplicate"})

    @app.get("/rate/{token}/progress")
    def progress(token: str):
        rater = rater_or_404(token)
        return {"rater": rater.key, "done": study.next_screens(rater)[1], "total": len(study.plan(rater))}

    def image_file(token: str, full: bool) -> FileResponse:
        image_id = study.image_by_token.get(token)
        path = None if image_id is None else study.image_path(image_id, full=full)
        if path is None or not path.is_file():
            raise HTTPException(404, "no such image")
        return FileResponse(path, media_type="image/png" if full else "image/jpeg",
                            headers={"Cache-Control": IMAGE_CACHE})

    @app.get("/img/{token}")
    def display_image(token: str):
        return image_file(token, full=False)

    @app.get("/img/{token}/full")
    def full_image(token: str):
        return image_file(token, full=True)

    @app.get("/healthz")
    def health():
        return {"status": "ok", "study": study.study_id, "items": len(study.items), "methods": len(study.methods),
                "composites": len(study.composites), "raters": len(study.raters()), "votes": study.vote_count()}

    return app


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info",
          **options) -> None:
    """Run the app with uvicorn until interrupted; localhost only unless ``host`` says otherwise. ``options`` go to
    :func:`create_app`."""
    import uvicorn

    uvicorn.run(create_app(db_path, **options), host=host, port=port, log_level=log_level)
