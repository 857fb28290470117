"""Methods scored on their raw output can paste it onto the input background instead (``composite_output``)."""

import pytest
import torch
from baseline_batches import colour_cast_batch

import harmbench


@pytest.mark.parametrize("name", ["pix2pixhd", "hidt", "crn"])
def test_composite_output_keeps_background(name):
    model = harmbench.create_method(name, tiny=True, composite_output=True)
    batch = colour_cast_batch(96, 160)
    with torch.inference_mode():
        images = model(batch["composite"], batch["mask"])["images"]
    background = batch["mask"].expand_as(images) == 0
    assert torch.equal(images[background], batch["composite"][background])
    assert not torch.equal(images, batch["composite"])
