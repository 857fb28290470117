"""Small runs for the report tests: three training-free methods on a tiny synthetic set, outputs saved."""

from html.parser import HTMLParser
from pathlib import Path

METHODS = ("composite", "reinhard", "histmatch")


def make_runs(root: Path, size: int = 64, n_test: int = 6, save_images: bool = True) -> list[Path]:
    from harmbench.data import make_synthetic
    from harmbench.runner import evaluate

    data = make_synthetic(root / "synthetic", size=size, n_train=0, n_test=n_test)
    return [evaluate(method, size, data=data, split="test", save_images=save_images, out=root / method,
                     progress=False, workers=0) for method in METHODS]


class References(HTMLParser):
    """Every ``src`` and ``href`` of a page, and the ``href`` of each link around an image (gallery tiles)."""

    def __init__(self):
        super().__init__()
        self.src, self.href, self.image_links = [], [], []
        self._open_link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "src" in attrs:
            self.src.append(attrs["src"])
        if "href" in attrs:
            self.href.append(attrs["href"])
        if tag == "a":
            self._open_link = attrs.get("href")
        if tag == "img" and self._open_link:
            self.image_links.append((attrs["src"], self._open_link))

    def handle_endtag(self, tag):
        if tag == "a":
            self._open_link = None


def references(index: Path) -> References:
    parser = References()
    parser.feed(index.read_text(encoding="utf-8"))
    return parser
