"""Every benchmark runs on 2 CPU threads, the figure the performance targets are stated for."""

import pytest
import torch


@pytest.fixture(scope="module", autouse=True)
def two_threads():
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(previous)
