"""The study file: one SQLite database (WAL mode) next to a folder of images (``study.sqlite`` -> ``study_files/``).

Tables: ``meta`` (key/value context: the random ``study_id``, the design, the completion code, ...), ``methods``,
``images`` (a display JPEG and a full PNG per picture, relative to the image folder, an opaque random ``token``
the server shows it under, and a sha256 of the pixels), ``composites`` (with the hint image and a content
fingerprint), ``outputs`` (the image of each method on each composite), ``items`` (pairs, repeats and catch
trials, see :mod:`harmbench.study.schedule`), ``raters`` (anonymous ``key`` or platform ``pid``, optional display
``name``, ``slot`` for the quota, consent time), ``votes`` and ``assignments`` (a rater's MTurk assignment, made when
the first worker arrives). A vote is unique per (rater, item): the first answer
is kept and a repeated submission changes nothing, so a double click or a resent form is harmless.

Every call opens its own short-lived connection, so one :class:`StudyDB` can be shared by the server's threads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from harmbench.study.schedule import CATCH, Design, ScheduleItem, Screen, session_plan

FORMAT_VERSION = 2
MAX_NAME_LENGTH = 64
MAX_PID_LENGTH = 128
SIDES = ("left", "right")
CATCH_LABELS = ("intact", "degraded")  # how catch screens appear in exports (in place of method names)

# Amazon Mechanical Turk assignments (ExternalQuestion HITs): where a rater's done page submits. A table of its own,
# created when the first worker arrives, so study files made before it are read and served unchanged.
ASSIGNMENTS_TABLE = """
CREATE TABLE IF NOT EXISTS assignments (rater_id INTEGER PRIMARY KEY REFERENCES raters(id),
                                        assignment_id TEXT NOT NULL, hit_id TEXT, submit_to TEXT NOT NULL,
                                        updated TEXT NOT NULL);
"""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE methods (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE images (id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE, display_file TEXT NOT NULL UNIQUE,
                     full_file TEXT NOT NULL UNIQUE, width INTEGER NOT NULL, height INTEGER NOT NULL,
                     sha256 TEXT NOT NULL);
CREATE TABLE composites (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                         hint_image INTEGER NOT NULL REFERENCES images(id), fingerprint TEXT NOT NULL);
CREATE TABLE outputs (composite_id INTEGER NOT NULL REFERENCES composites(id),
                      method_id INTEGER NOT NULL REFERENCES methods(id),
                      image_id INTEGER NOT NULL REFERENCES images(id),
                      PRIMARY KEY (composite_id, method_id));
CREATE TABLE items (id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('pair', 'repeat', 'catch')),
                    composite_id INTEGER NOT NULL REFERENCES composites(id),
                    left_method INTEGER REFERENCES methods(id), right_method INTEGER REFERENCES methods(id),
                    repeat_of INTEGER REFERENCES items(id),
                    good_image INTEGER REFERENCES images(id), bad_image INTEGER REFERENCES images(id));
CREATE TABLE raters (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, pid TEXT UNIQUE, name TEXT,
                     token TEXT NOT NULL UNIQUE, slot INTEGER NOT NULL, simulated INTEGER NOT NULL DEFAULT 0,
                     consented TEXT, created TEXT NOT NULL);
CREATE TABLE votes (id INTEGER PRIMARY KEY, rater_id INTEGER NOT NULL REFERENCES raters(id),
                    item_id INTEGER NOT NULL REFERENCES items(id),
                    side TEXT NOT NULL CHECK (side IN ('left', 'right')),
                    winner INTEGER REFERENCES methods(id),  -- NULL on catch screens
                    correct INTEGER,  -- catch screens: 1 if the intact picture was chosen; NULL otherwise
                    elapsed_ms INTEGER, created TEXT NOT NULL,
                    UNIQUE (rater_id, item_id));
""" + ASSIGNMENTS_TABLE
RATER_COLUMNS = "id, key, pid, name, token, slot, simulated"


@dataclass(frozen=True)
class Assignment:
    """An MTurk assignment: its id, the HIT's id and the host the finished work is submitted to."""

    assignment_id: str
    hit_id: str | None
    submit_to: str


class StudyError(ValueError):
    """A study file that cannot be used, or a request that does not fit it; the message says which."""


@dataclass(frozen=True)
class Rater:
    id: int
    key: str  # the rater's identity in exports: a random anonymous id, or the platform's participant id
    pid: str | None
    name: str | None  # optional display text, never an identity
    token: str
    slot: int  # position among the raters (0-based): picks the quota block
    simulated: bool

    @property
    def order_key(self) -> int:
        """Seeds this rater's order and sides; from the key, so the same rater gets the same session in every copy
        of a study."""
        return int.from_bytes(hashlib.sha256(self.key.encode()).digest()[:8], "big")


@dataclass(frozen=True)
class Vote:
    """One stored vote, with names resolved (the export row). ``left``/``right`` are as the rater saw them; on a
    catch screen they are the labels ``intact`` / ``degraded``."""

    study: str
    rater: str
    simulated: bool
    item: int  # 1-based item id
    kind: str
    composite: str
    left: str
    right: str
    winner: str
    side: str
    repeat_of: int | None
    elapsed_ms: int | None
    created: str


def files_dir_for(db_path: Path) -> Path:
    """``study.sqlite`` -> ``study_files`` next to it."""
    return db_path.with_name(db_path.stem + "_files")


def clean_text(value: str | None, what: str, limit: int) -> str | None:
    """Trimmed, single-spaced text, or None when empty; over-long or control-character text is rejected."""
    cleaned = " ".join((value or "").split())
    if not cleaned:
        return None
    if len(cleaned) > limit:
        raise StudyError(f"the {what} is at most {limit} characters")
    if not cleaned.isprintable():
        raise StudyError(f"the {what} contains control characters")
    return cleaned


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def _rater(row) -> Rater:
    return Rater(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))


class StudyDB:
    """Access to one study file. The schedule, methods and images are read once (they never change after creation);
    raters and votes are read from the database on every call."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise StudyError(f"{self.path}: no such study file (make one with `harmbench study create`)")
        self.files_dir = files_dir_for(self.path)
        try:
            with contextlib.closing(self.connect()) as conn:
                self.meta = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM meta")}
                if self.meta.get("format") != FORMAT_VERSION:
                    raise StudyError(f"{self.path}: study format {self.meta.get('format')!r}, this harmbench reads "
                                     f"{FORMAT_VERSION}")
                self.methods = [n for (n,) in conn.execute("SELECT name FROM methods ORDER BY id")]
                rows = conn.execute("SELECT name, hint_image, fingerprint FROM composites ORDER BY id").fetchall()
                self.composites = [r[0] for r in rows]
                self.hint_images = [r[1] for r in rows]
                self.composite_fingerprints = {r[0]: r[2] for r in rows}
                self.outputs = {(c - 1, m - 1): i for c, m, i in conn.execute(
                    "SELECT composite_id, method_id, image_id FROM outputs")}
                minus_one = lambda v: None if v is None else v - 1  # noqa: E731
                self.items = [ScheduleItem(i - 1, c - 1, minus_one(left), minus_one(right), minus_one(r), kind,
                                           good, bad)
                              for i, kind, c, left, right, r, good, bad in conn.execute(
                                  "SELECT id, kind, composite_id, left_method, right_method, repeat_of, good_image, "
                                  "bad_image FROM items ORDER BY id")]
                self.images = {i: (token, display, full) for i, token, display, full in conn.execute(
                    "SELECT id, token, display_file, full_file FROM images")}
        except sqlite3.DatabaseError as exc:
            raise StudyError(f"{self.path}: not a harmbench study file ({exc})") from None
        if any(i.index != n for n, i in enumerate(self.items)):
            raise StudyError(f"{self.path}: schedule item ids are not 1..N")
        self.image_by_token = {token: i for i, (token, _, _) in self.images.items()}
        self.seed = int(self.meta["seed"])
        self.study_id = str(self.meta["study_id"])
        self.design = Design(**self.meta.get("design", {}))
        self._plans: dict[tuple[int, str], list[Screen]] = {}

    # -- connections -----------------------------------------------------------------------------------------------
    def connect(self) -> sqlite3.Connection:
        """A new connection: WAL journal, foreign keys on, waits up to 30 s for a writer instead of failing."""
        conn = sqlite3.connect(self.path, timeout=30.0)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # durable across crashes of the app in WAL mode
        return conn

    @contextlib.contextmanager
    def transaction(self):
        """A connection inside one write transaction (committed on success, rolled back on error, then closed)."""
        conn = self.connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    # -- images ----------------------------------------------------------------------------------------------------
    def image_token(self, image_id: int) -> str:
        """The opaque name under which the server shows image ``image_id`` (random, says nothing of the method)."""
        return self.images[image_id][0]

    def image_path(self, image_id: int, full: bool = False) -> Path | None:
        """Display-size (or full-resolution) file of image ``image_id`` in the study folder; None if no such image."""
        entry = self.images.get(image_id)
        if entry is None:
            return None
        path = (self.files_dir / entry[2 if full else 1]).resolve()
        # Files are registered by `study create`; still, never serve anything outside the study's own folder.
        if not path.is_relative_to(self.files_dir.resolve()):
            return None
        return path

    def output_image(self, composite: int, method: int) -> int:
        return self.outputs[(composite, method)]

    def screen_images(self, screen: Screen) -> tuple[int, int]:
        """(left image id, right image id) as ``screen`` shows them."""
        item = self.items[screen.item]
        if item.kind == CATCH:
            pair = (item.good_image, item.bad_image)
        else:
            pair = (self.output_image(item.composite, item.left), self.output_image(item.composite, item.right))
        return (pair[1], pair[0]) if screen.flipped else pair

    # -- raters ----------------------------------------------------------------------------------------------------
    def _one_rater(self, where: str, value) -> Rater | None:
        with contextlib.closing(self.connect()) as conn:
            row = conn.execute(f"SELECT {RATER_COLUMNS} FROM raters WHERE {where} = ?", (value,)).fetchone()
        return None if row is None else _rater(row)

    def rater_by_token(self, token: str) -> Rater | None:
        return self._one_rater("token", token)

    def rater_by_key(self, key: str) -> Rater | None:
        return self._one_rater("key", key)

    def rater_by_pid(self, pid: str) -> Rater | None:
        return self._one_rater("pid", pid)

    def add_rater(self, *, key: str | None = None, pid: str | None = None, name: str | None = None,
                  simulated: bool = False, consented: bool = False,
                  conn: sqlite3.Connection | None = None) -> Rater:
        """The rater with this ``pid`` (or ``key``) if there is one (resume), else a new one with the next slot.
        Without either, a new anonymous rater ``r-<random>``."""
        pid = clean_text(pid, "participant id", MAX_PID_LENGTH)
        name = clean_text(name, "name", MAX_NAME_LENGTH)
        if conn is None:
            with self.transaction() as own:
                return self.add_rater(key=key, pid=pid, name=name, simulated=simulated, consented=consented,
                                      conn=own)
        key = key or (f"pid-{pid}" if pid else f"r-{secrets.token_hex(5)}")
        row = conn.execute(f"SELECT {RATER_COLUMNS} FROM raters WHERE key = ? OR (pid IS NOT NULL AND pid = ?)",
                           (key, pid)).fetchone()
        if row is not None:
            return _rater(row)
        slot = conn.execute("SELECT COUNT(*) FROM raters").fetchone()[0]
        conn.execute("INSERT INTO raters (key, pid, name, token, slot, simulated, consented, created) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (key, pid, name, secrets.token_urlsafe(16), slot, int(simulated),
                      _now() if consented else None, _now()))
        return _rater(conn.execute(f"SELECT {RATER_COLUMNS} FROM raters WHERE key = ?", (key,)).fetchone())

    def record_assignment(self, rater_id: int, assignment: Assignment) -> None:
        """Keep ``assignment`` as the MTurk assignment of this rater (the latest one, if the worker comes back)."""
        with self.transaction() as conn:
            conn.execute(ASSIGNMENTS_TABLE)
            conn.execute("INSERT OR REPLACE INTO assignments VALUES (?, ?, ?, ?, ?)",
                         (rater_id, assignment.assignment_id, assignment.hit_id, assignment.submit_to, _now()))

    def assignment_of(self, rater_id: int) -> Assignment | None:
        """The MTurk assignment recorded for this rater, if any."""
        with contextlib.closing(self.connect()) as conn:
            try:
                row = conn.execute("SELECT assignment_id, hit_id, submit_to FROM assignments WHERE rater_id = ?",
                                   (rater_id,)).fetchone()
            except sqlite3.OperationalError:  # a study file from before the table: no worker has come yet
                return None
        return None if row is None else Assignment(*row)

    def raters(self) -> list[Rater]:
        with contextlib.closing(self.connect()) as conn:
            rows = conn.execute(f"SELECT {RATER_COLUMNS} FROM raters ORDER BY id").fetchall()
        return [_rater(r) for r in rows]

    # -- sessions --------------------------------------------------------------------------------------------------
    def plan(self, rater: Rater) -> list[Screen]:
        """The rater's session (:func:`harmbench.study.schedule.session_plan`), computed once per rater."""
        cache_key = (rater.slot, rater.key)
        if cache_key not in self._plans:
            self._plans[cache_key] = session_plan(self.items, self.design, self.seed, rater.slot, rater.order_key)
        return self._plans[cache_key]

    def screen_of(self, rater: Rater, item_index: int) -> Screen | None:
        return next((s for s in self.plan(rater) if s.item == item_index), None)

    def voted_items(self, rater_id: int) -> set[int]:
        """0-based indices of the items ``rater_id`` has answered."""
        with contextlib.closing(self.connect()) as conn:
            return {i - 1 for (i,) in conn.execute("SELECT item_id FROM votes WHERE rater_id = ?", (rater_id,))}

    def next_screens(self, rater: Rater, count: int = 1) -> tuple[list[Screen], int]:
        """The next ``count`` unanswered screens of this rater's session, and how many of its screens are done."""
        done = self.voted_items(rater.id)
        plan = self.plan(rater)
        upcoming = [s for s in plan if s.item not in done][:count]
        return upcoming, sum(s.item in done for s in plan)

    def record_vote(self, rater_id: int, item_index: int, side: str, flipped: bool, elapsed_ms: int | None = None,
                    conn: sqlite3.Connection | None = None, created: str | None = None) -> bool:
        """Store a vote for ``side`` of item ``item_index`` shown with ``flipped`` sides; True if new, False if this
        rater had already answered this item (the first answer stays)."""
        if side not in SIDES:
            raise StudyError(f"side must be 'left' or 'right', got {side!r}")
        if not 0 <= item_index < len(self.items):
            raise StudyError(f"no schedule item {item_index + 1}")
        item = self.items[item_index]
        first_shown = (side == "left") != flipped  # chose what the item stores first (left method / intact picture)
        if item.kind == CATCH:
            winner, correct = None, int(first_shown)
        else:
            winner, correct = (item.left if first_shown else item.right) + 1, None
        row = (rater_id, item_index + 1, side, winner, correct, elapsed_ms, created or _now())
        sql = ("INSERT OR IGNORE INTO votes (rater_id, item_id, side, winner, correct, elapsed_ms, created) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)")
        if conn is not None:
            return conn.execute(sql, row).rowcount == 1
        with self.transaction() as own:
            return own.execute(sql, row).rowcount == 1

    def votes(self) -> list[Vote]:
        """Every vote, in storage order, with names resolved."""
        out = []
        for r in self.vote_records():
            item = self.items[r.item]
            if item.kind == CATCH:
                shown = CATCH_LABELS
                winner = CATCH_LABELS[0] if r.correct else CATCH_LABELS[1]
            else:
                shown = (self.methods[item.left], self.methods[item.right])
                winner = self.methods[r.winner]
            # the side the rater chose holds the winner; the other side holds the other one
            other = shown[1] if winner == shown[0] else shown[0]
            left, right = (winner, other) if r.side == "left" else (other, winner)
            out.append(Vote(self.study_id, r.rater_key, r.simulated, r.item + 1, item.kind,
                            self.composites[item.composite], left, right, winner, r.side,
                            None if item.repeat_of is None else item.repeat_of + 1, r.elapsed_ms, r.created))
        return out

    def vote_records(self) -> list[VoteRecord]:
        """Every vote with 0-based indices, in storage order."""
        with contextlib.closing(self.connect()) as conn:
            rows = conn.execute("SELECT v.rater_id, r.key, r.simulated, v.item_id, v.winner, v.side, v.correct, "
                                "v.elapsed_ms, v.created FROM votes v JOIN raters r ON r.id = v.rater_id "
                                "ORDER BY v.id").fetchall()
        return [VoteRecord(rater, key, bool(simulated), item - 1, None if winner is None else winner - 1, side,
                           None if correct is None else bool(correct), elapsed, created)
                for rater, key, simulated, item, winner, side, correct, elapsed, created in rows]

    def vote_count(self) -> int:
        with contextlib.closing(self.connect()) as conn:
            return conn.execute("SELECT COUNT(*) FROM votes").fetchone()[0]


@dataclass(frozen=True)
class VoteRecord:
    rater: int  # rater row id
    rater_key: str
    simulated: bool
    item: int  # 0-based item index
    winner: int | None  # 0-based method index; None on catch screens
    side: str
    correct: bool | None  # catch screens only
    elapsed_ms: int | None
    created: str


@dataclass(frozen=True)
class StoredImage:
    """One picture of the study: its display-size file, full-resolution file and content hash."""

    display_file: str
    full_file: str
    width: int
    height: int
    sha256: str


def write_study(db_path: Path, *, meta: dict, methods: list[str], images: list[StoredImage],
                composites: list[tuple[str, int, str]], outputs: dict[tuple[int, int], int],
                items: list[ScheduleItem]) -> None:
    """Create a study database. ``images``: ids 1..N in order; ``composites``: (name, hint image id, fingerprint);
    ``outputs``: (composite index, method index) -> image id; indices are 0-based. ``meta`` gets ``format`` and,
    unless given, a random ``study_id``."""
    if db_path.exists():
        raise StudyError(f"{db_path} already exists; choose another --out or delete it")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + ".partial")
    tmp.unlink(missing_ok=True)
    plus_one = lambda v: None if v is None else v + 1  # noqa: E731
    meta = {"study_id": secrets.token_hex(8), **meta, "format": FORMAT_VERSION}
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])
        conn.executemany("INSERT INTO methods (id, name) VALUES (?, ?)", [(i + 1, m) for i, m in enumerate(methods)])
        conn.executemany("INSERT INTO images (id, token, display_file, full_file, width, height, sha256) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(i + 1, secrets.token_urlsafe(12), im.display_file, im.full_file, im.width, im.height,
                           im.sha256) for i, im in enumerate(images)])
        conn.executemany("INSERT INTO composites (id, name, hint_image, fingerprint) VALUES (?, ?, ?, ?)",
                         [(i + 1, *row) for i, row in enumerate(composites)])
        conn.executemany("INSERT INTO outputs VALUES (?, ?, ?)",
                         [(c + 1, m + 1, image) for (c, m), image in outputs.items()])
        conn.executemany("INSERT INTO items (id, kind, composite_id, left_method, right_method, repeat_of, "
                         "good_image, bad_image) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [(i.index + 1, i.kind, i.composite + 1, plus_one(i.left), plus_one(i.right),
                           plus_one(i.repeat_of), i.good_image, i.bad_image) for i in items])
        conn.execute("PRAGMA journal_mode = WAL")
        conn.commit()
    finally:
        conn.close()
    tmp.replace(db_path)  # a crash mid-creation never leaves a half-filled study under the final name
