"""The study file: one SQLite database (WAL mode) next to a folder of images (``study.sqlite`` -> ``study_files/``).

Tables: ``meta`` (key/value context), ``methods``, ``images`` (file names relative to the image folder; the server
only serves files listed here, by id), ``composites`` (with the reference image shown above each pair),
``outputs`` (the image of each method on each composite), ``items`` (the schedule, see
:mod:`harmbench.study.schedule`), ``raters`` and ``votes``. A vote is unique per (rater, item): the first answer is
kept and a repeated submission changes nothing, so a double click or a resent form is harmless.

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

from harmbench.study.schedule import ScheduleItem, rater_order

FORMAT_VERSION = 1
MAX_NAME_LENGTH = 64
SIDES = ("left", "right")

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE methods (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE images (id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, width INTEGER NOT NULL,
                     height INTEGER NOT NULL);
CREATE TABLE composites (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                         reference_image INTEGER NOT NULL REFERENCES images(id));
CREATE TABLE outputs (composite_id INTEGER NOT NULL REFERENCES composites(id),
                      method_id INTEGER NOT NULL REFERENCES methods(id),
                      image_id INTEGER NOT NULL REFERENCES images(id),
                      PRIMARY KEY (composite_id, method_id));
CREATE TABLE items (id INTEGER PRIMARY KEY, composite_id INTEGER NOT NULL REFERENCES composites(id),
                    left_method INTEGER NOT NULL REFERENCES methods(id),
                    right_method INTEGER NOT NULL REFERENCES methods(id),
                    repeat_of INTEGER REFERENCES items(id));
CREATE TABLE raters (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, token TEXT NOT NULL UNIQUE,
                     simulated INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);
CREATE TABLE votes (id INTEGER PRIMARY KEY, rater_id INTEGER NOT NULL REFERENCES raters(id),
                    item_id INTEGER NOT NULL REFERENCES items(id),
                    winner INTEGER NOT NULL REFERENCES methods(id),
                    side TEXT NOT NULL CHECK (side IN ('left', 'right')),
                    elapsed_ms INTEGER, created TEXT NOT NULL,
                    UNIQUE (rater_id, item_id));
"""


class StudyError(ValueError):
    """A study file that cannot be used, or a request that does not fit it; the message says which."""


@dataclass(frozen=True)
class Rater:
    id: int
    name: str
    token: str
    simulated: bool

    @property
    def order_key(self) -> int:
        """Seeds this rater's order of the schedule; from the name (not the row id), so that the same rater gets
        the same order in every copy of a study, whatever order raters were added in."""
        return int.from_bytes(hashlib.sha256(self.name.casefold().encode()).digest()[:8], "big")


@dataclass(frozen=True)
class Vote:
    """One stored vote, with names resolved (the export row)."""

    rater: str
    simulated: bool
    item: int  # 1-based item id
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


def clean_rater_name(name: str) -> str:
    """Trimmed, single-spaced name; empty, over-long or control-character names are rejected."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise StudyError("please enter a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise StudyError(f"names are at most {MAX_NAME_LENGTH} characters")
    if not cleaned.isprintable():
        raise StudyError("the name contains control characters")
    return cleaned


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


class StudyDB:
    """Access to one study file. The schedule, methods and images are read once (they never change after creation);
    raters and votes are read from the database on every call."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise StudyError(f"{self.path}: no such study file (make one with `harmbench study create`)")
        self.files_dir = files_dir_for(self.path)
        try:
            with self.connect() as conn:
                self.meta = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM meta")}
                self.methods = [n for (n,) in conn.execute("SELECT name FROM methods ORDER BY id")]
                self.composites = [n for (n,) in conn.execute("SELECT name FROM composites ORDER BY id")]
                self.reference_images = [i for (i,) in conn.execute(
                    "SELECT reference_image FROM composites ORDER BY id")]
                self.outputs = {(c - 1, m - 1): i for c, m, i in conn.execute(
                    "SELECT composite_id, method_id, image_id FROM outputs")}
                self.items = [ScheduleItem(i - 1, c - 1, left - 1, right - 1, None if r is None else r - 1)
                              for i, c, left, right, r in conn.execute(
                                  "SELECT id, composite_id, left_method, right_method, repeat_of FROM items "
                                  "ORDER BY id")]
                self.image_files = {i: f for i, f in conn.execute("SELECT id, file FROM images")}
        except sqlite3.DatabaseError as exc:
            raise StudyError(f"{self.path}: not a harmbench study file ({exc})") from None
        if self.meta.get("format") != FORMAT_VERSION:
            raise StudyError(f"{self.path}: study format {self.meta.get('format')!r}, this harmbench reads "
                             f"{FORMAT_VERSION}")
        if any(i.index != n for n, i in enumerate(self.items)):
            raise StudyError(f"{self.path}: schedule item ids are not 1..N")
        self.seed = int(self.meta["seed"])

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
    def image_path(self, image_id: int) -> Path | None:
        """File of image ``image_id`` inside the study folder, or None if there is no such image."""
        name = self.image_files.get(image_id)
        if name is None:
            return None
        path = (self.files_dir / name).resolve()
        # Files are registered by `study create`; still, never serve anything outside the study's own folder.
        if not path.is_relative_to(self.files_dir.resolve()):
            return None
        return path

    def output_image(self, composite: int, method: int) -> int:
        return self.outputs[(composite, method)]

    # -- raters ----------------------------------------------------------------------------------------------------
    def rater_by_token(self, token: str) -> Rater | None:
        with contextlib.closing(self.connect()) as conn:
            row = conn.execute("SELECT id, name, token, simulated FROM raters WHERE token = ?", (token,)).fetchone()
        return None if row is None else Rater(row[0], row[1], row[2], bool(row[3]))

    def rater_by_name(self, name: str) -> Rater | None:
        with contextlib.closing(self.connect()) as conn:
            row = conn.execute("SELECT id, name, token, simulated FROM raters WHERE name = ?",
                               (clean_rater_name(name),)).fetchone()
        return None if row is None else Rater(row[0], row[1], row[2], bool(row[3]))

    def get_or_create_rater(self, name: str, simulated: bool = False, conn: sqlite3.Connection | None = None) -> Rater:
        """The rater called ``name`` (case-insensitive), created on first use; coming back by name resumes."""
        name = clean_rater_name(name)
        if conn is None:
            with self.transaction() as own:
                return self.get_or_create_rater(name, simulated, conn=own)
        conn.execute("INSERT OR IGNORE INTO raters (name, token, simulated, created) VALUES (?, ?, ?, ?)",
                     (name, secrets.token_urlsafe(16), int(simulated), _now()))
        row = conn.execute("SELECT id, name, token, simulated FROM raters WHERE name = ?", (name,)).fetchone()
        return Rater(row[0], row[1], row[2], bool(row[3]))

    def raters(self) -> list[Rater]:
        with contextlib.closing(self.connect()) as conn:
            rows = conn.execute("SELECT id, name, token, simulated FROM raters ORDER BY id").fetchall()
        return [Rater(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # -- votes -----------------------------------------------------------------------------------------------------
    def voted_items(self, rater_id: int) -> set[int]:
        """0-based indices of the items ``rater_id`` has answered."""
        with contextlib.closing(self.connect()) as conn:
            return {i - 1 for (i,) in conn.execute("SELECT item_id FROM votes WHERE rater_id = ?", (rater_id,))}

    def next_items(self, rater: Rater, count: int = 1) -> tuple[list[ScheduleItem], int]:
        """The next ``count`` unanswered items in this rater's order, and how many items the rater has answered."""
        done = self.voted_items(rater.id)
        upcoming = []
        for index in rater_order(self.items, self.seed, rater.order_key):
            if index not in done:
                upcoming.append(self.items[index])
                if len(upcoming) == count:
                    break
        return upcoming, len(done)

    def record_vote(self, rater_id: int, item_index: int, side: str, elapsed_ms: int | None = None,
                    conn: sqlite3.Connection | None = None, created: str | None = None) -> bool:
        """Store a vote; True if new, False if this rater had already answered this item (the first answer stays)."""
        if side not in SIDES:
            raise StudyError(f"side must be 'left' or 'right', got {side!r}")
        if not 0 <= item_index < len(self.items):
            raise StudyError(f"no schedule item {item_index + 1}")
        item = self.items[item_index]
        winner = item.left if side == "left" else item.right
        row = (rater_id, item_index + 1, winner + 1, side, elapsed_ms, created or _now())
        sql = ("INSERT OR IGNORE INTO votes (rater_id, item_id, winner, side, elapsed_ms, created) "
               "VALUES (?, ?, ?, ?, ?, ?)")
        if conn is not None:
            return conn.execute(sql, row).rowcount == 1
        with self.transaction() as own:
            return own.execute(sql, row).rowcount == 1

    def votes(self) -> list[Vote]:
        """Every vote, in storage order, with names resolved."""
        with contextlib.closing(self.connect()) as conn:
            rows = conn.execute(
                "SELECT r.name, r.simulated, v.item_id, v.winner, v.side, v.elapsed_ms, v.created "
                "FROM votes v JOIN raters r ON r.id = v.rater_id ORDER BY v.id").fetchall()
        out = []
        for name, simulated, item_id, winner, side, elapsed_ms, created in rows:
            item = self.items[item_id - 1]
            out.append(Vote(name, bool(simulated), item_id, self.composites[item.composite],
                            self.methods[item.left], self.methods[item.right], self.methods[winner - 1], side,
                            None if item.repeat_of is None else item.repeat_of + 1, elapsed_ms, created))
        return out

    def vote_records(self) -> list[tuple[int, bool, int, int, str]]:
        """Every vote as (rater id, simulated, 0-based item index, 0-based winner method index, side)."""
        with contextlib.closing(self.connect()) as conn:
            rows = conn.execute("SELECT v.rater_id, r.simulated, v.item_id, v.winner, v.side FROM votes v "
                                "JOIN raters r ON r.id = v.rater_id ORDER BY v.id").fetchall()
        return [(rater, bool(simulated), item - 1, winner - 1, side) for rater, simulated, item, winner, side in rows]

    def vote_count(self) -> int:
        with contextlib.closing(self.connect()) as conn:
            return conn.execute("SELECT COUNT(*) FROM votes").fetchone()[0]


def write_study(db_path: Path, *, meta: dict, methods: list[str], images: list[tuple[str, int, int]],
                composites: list[tuple[str, int]], outputs: dict[tuple[int, int], int],
                items: list[ScheduleItem]) -> None:
    """Create a study database. ``images``: (file, width, height), ids 1..N in order; ``composites``: (name,
    reference image id); ``outputs``: (composite index, method index) -> image id; indices are 0-based."""
    if db_path.exists():
        raise StudyError(f"{db_path} already exists; choose another --out or delete it")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + ".partial")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [(k, json.dumps(v)) for k, v in {**meta, "format": FORMAT_VERSION}.items()])
        conn.executemany("INSERT INTO methods (id, name) VALUES (?, ?)", [(i + 1, m) for i, m in enumerate(methods)])
        conn.executemany("INSERT INTO images (id, file, width, height) VALUES (?, ?, ?, ?)",
                         [(i + 1, *image) for i, image in enumerate(images)])
        conn.executemany("INSERT INTO composites (id, name, reference_image) VALUES (?, ?, ?)",
                         [(i + 1, name, ref) for i, (name, ref) in enumerate(composites)])
        conn.executemany("INSERT INTO outputs VALUES (?, ?, ?)",
                         [(c + 1, m + 1, image) for (c, m), image in outputs.items()])
        conn.executemany("INSERT INTO items (id, composite_id, left_method, right_method, repeat_of) "
                         "VALUES (?, ?, ?, ?, ?)",
                         [(i.index + 1, i.composite + 1, i.left + 1, i.right + 1,
                           None if i.repeat_of is None else i.repeat_of + 1) for i in items])
        conn.execute("PRAGMA journal_mode = WAL")
        conn.commit()
    finally:
        conn.close()
    tmp.replace(db_path)  # a crash mid-creation never leaves a half-filled study under the final name
