"""``harmbench report``: one static page (``index.html`` + assets) to look at result folders instead of reading JSON.

Tables (with intervals and significance marks), plots (matplotlib, PNG), a gallery of selected images (thumbnails that
link to full-resolution copies) and each run's context. Everything the page references lies inside the output
folder, so it opens from disk without a server or network.
"""

from harmbench.report.build import build_report

__all__ = ["build_report"]
