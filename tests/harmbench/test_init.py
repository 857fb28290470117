"""Importing harmbench before torch puts torch's large CPU allocations on transparent huge pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

THP_MODE = Path("/sys/kernel/mm/transparent_hugepage/enabled")
# Allocate and touch a 64 MB tensor, then report the variable and the process's anonymous huge-page total (kB).
PROBE = """
import harmbench, os, torch
tensor = torch.empty(16 * 2**20).fill_(1)
huge = [line for line in open('/proc/self/smaps_rollup') if line.startswith('AnonHugePages')][0].split()[1]
print(os.environ['THP_MEM_ALLOC_ENABLE'], huge)
"""


def probe(env_value: str | None) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if k != "THP_MEM_ALLOC_ENABLE"}
    if env_value is not None:
        env["THP_MEM_ALLOC_ENABLE"] = env_value
    setting, huge_kb = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                                      check=True).stdout.split()
    return setting, int(huge_kb)


@pytest.mark.skipif(not THP_MODE.exists() or "[madvise]" not in THP_MODE.read_text(),
                    reason="needs transparent huge pages in 'madvise' mode (given only on request)")
def test_large_tensors_get_huge_pages_unless_the_user_says_otherwise():
    setting, huge_kb = probe(None)
    assert setting == "1" and huge_kb >= 32 * 1024  # most of the 64 MB on 2 MB pages
    setting, huge_kb = probe("0")
    assert setting == "0" and huge_kb < 32 * 1024
