"""Helpers for the study tests: a small study written straight to SQLite (no methods run), so server, scoring and
simulation tests do not depend on the data readers."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from pathlib import Path

import numpy as np
import uvicorn
from PIL import Image

from harmbench.study.db import StoredImage, StudyDB, files_dir_for, write_study
from harmbench.study.schedule import PAIR, Design, add_catch_items, build_schedule, session_length_bound
from harmbench.study.server import create_app


def make_study(db_path: Path, methods=("composite", "reinhard", "histmatch", "oracle"), n_composites: int = 3,
               seed: int = 0, size: tuple[int, int] = (48, 32), design: Design | None = None,
               study_id: str | None = None) -> StudyDB:
    """A study with solid-colour images (distinct per method and composite) of ``size`` = (width, height), saved as
    PNG and as the display JPEG, and a catch pool as ``study create`` sizes it."""
    design = design or Design(repeat_gap=2)
    files = files_dir_for(db_path)
    files.mkdir(parents=True)
    images, composites, outputs = [], [], {}
    rng = np.random.default_rng(seed)

    def store(colour) -> int:
        stem = f"{len(images) + 1:06d}"
        picture = Image.new("RGB", size, tuple(int(c) for c in colour))
        picture.save(files / f"{stem}.png")
        picture.save(files / f"{stem}.jpg", quality=92)
        images.append(StoredImage(f"{stem}.jpg", f"{stem}.png", *size, stem))
        return len(images)

    for c in range(n_composites):
        composites.append((f"comp{c}", store(rng.integers(0, 256, 3)), f"fingerprint-{c}"))
        for m in range(len(methods)):
            outputs[(c, m)] = store(rng.integers(0, 256, 3))
    items = build_schedule(n_composites, len(methods), seed=seed)
    n_pairs = sum(i.kind == PAIR for i in items)
    _, catches = session_length_bound(n_pairs, design)
    items = add_catch_items(items, [(k % n_composites, store((200, 200, 200)), store((250, 40, 40)))
                                    for k in range(catches)])
    meta = {"seed": seed, "size": size[0], "design": design.to_dict(), "completion_code": "C0DE42"}
    write_study(db_path, meta={**meta, **({"study_id": study_id} if study_id else {})}, methods=list(methods),
                images=images, composites=composites, outputs=outputs, items=items)
    return StudyDB(db_path)


@contextlib.contextmanager
def live_server(db_path: Path, **options):
    """A real uvicorn server for the study on 127.0.0.1 and a free port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, held until uvicorn takes the socket over (no race)
    server = uvicorn.Server(uvicorn.Config(create_app(db_path, **options), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def make_real_folder(root: Path, shapes=((60, 80), (90, 60)), seed: int = 0) -> Path:
    """Composite + mask pairs named like the real-composite fixture (``1.jpg`` + ``1_mask.png``); ``seed`` changes
    the pictures, not the names."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for k, (h, w) in enumerate(shapes, 1):
        image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        image[h // 4: 3 * h // 4, w // 4: 3 * w // 4] //= 3  # a darker pasted object
        Image.fromarray(image).save(root / f"{k}.png")
        mask = np.zeros((h, w), np.uint8)
        mask[h // 4: 3 * h // 4, w // 4: 3 * w // 4] = 255
        Image.fromarray(mask).save(root / f"{k}_mask.png")
    return root


def make_run(root: Path, method: str, names: list[str], size: int, data_root: Path) -> Path:
    """A minimal `harmbench run --save-images` folder: summary.json + images/<name>.png at size x size, made from
    the composites of ``data_root`` (squashed to size, background kept, foreground painted (10 k, 200, 30))."""
    (root / "images").mkdir(parents=True)
    for k, name in enumerate(names):
        composite = np.asarray(Image.open(data_root / f"{name}.png").convert("RGB").resize((size, size)))
        mask = np.asarray(Image.open(data_root / f"{name}_mask.png").resize((size, size))) > 127
        output = composite.copy()
        output[mask] = (10 * k, 200, 30)
        Image.fromarray(output).save(root / "images" / f"{name}.png")
    summary = {"method": method, "size": size, "resize": "squash",
               "data": {"name": "real", "root": str(data_root), "kind": "real", "split": None, "subset": None}}
    (root / "summary.json").write_text(json.dumps(summary))
    return root
