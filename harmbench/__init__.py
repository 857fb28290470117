"""harmbench: benchmark and evaluation suite for high-resolution image harmonization."""

import os

# Large CPU tensors on transparent huge pages (PyTorch's THP_MEM_ALLOC_ENABLE, for allocations >= 2 MB; this
# machine's kernel gives them only on request, "madvise"). A fresh 48 MB tensor (3 x 2048² float32) then costs one
# page fault per 2 MB instead of per 4 KB: allocating and filling one measured ~15 ms -> ~2.5 ms, and a 2048²
# evaluation makes several per image. PyTorch reads the variable at its first allocation, so this takes effect only
# when harmbench is imported before torch (the CLI, ``python -m harmbench``, torchrun); a value the user set wins.
os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")

from harmbench.factory import create_method  # noqa: E402 (after the allocator setting)
from harmbench.registry import MethodError, get_method, list_methods, register_method  # noqa: E402

__version__ = "0.1.0"
__all__ = ["MethodError", "create_method", "get_method", "list_methods", "register_method", "__version__"]
