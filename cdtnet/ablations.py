"""CDTNet ablations of the paper's Table 4 (rows 1-9; row 10 is ``cdtnet-256``), as config flags of one CDTNet.

=================================  ====  ==========================================================================
name                               row   what changes (config)
=================================  ====  ==========================================================================
cdtnet-256-ablate-pixel-only       1     no LUT branch, no refinement; images = bilinearly upsampled low-res result
                                         (``mode="pixel-only"``; ``finetune_base=True``: the generator is all
                                         there is to train)
cdtnet-256-ablate-rgb-only         2     no refinement; images = lut_images (``mode="rgb-only"``)
cdtnet-256-ablate-separate-encoder 3     rgb-only, the weight predictor reads its own encoder ``lut.encoder``
                                         (same architecture, trained from scratch) (``lut_encoder="separate"``)
cdtnet-256-ablate-global-pool      4     rgb-only, global average pooling instead of [fg, bg] pooling; fc 256 -> N
                                         (``lut_pooling="global"``)
cdtnet-256-ablate-no-lut-input     5     refinement without the LUT output (36 input channels)
cdtnet-256-ablate-no-base-input    6     refinement without the upsampled low-res result (36)
cdtnet-256-ablate-no-mask-input    7     refinement without the mask (38)
cdtnet-256-ablate-no-feature-input 8     refinement without the upsampled F_dec (7)
cdtnet-256-ablate-no-blending      9     refinement without its blending layer: images = to_rgb(features)
=================================  ====  ==========================================================================

Rows 3 and 4 are variants of the RGB-only row 2 in the paper, so they are RGB-only here too. The paper explains
rows 2-4 by the joint training of the shared encoder with the low-resolution task: that is the ``paper`` recipe
(``recipe="paper"``: ``finetune_base``, so L_pix trains the encoder too); under the default ``code`` recipe the
encoder is frozen and only the LUT branch trains. Every field can also be
overridden on any ``cdtnet-*`` name (e.g. ``lut_pooling="global"`` with the full model).
"""

from __future__ import annotations

from cdtnet.model import register_cdtnet

_ROWS = {
    "pixel-only": ("Table 4 row 1: low-res generator only, upsampled", dict(mode="pixel-only", finetune_base=True)),
    "rgb-only": ("Table 4 row 2: colour mapping only", dict(mode="rgb-only")),
    "separate-encoder": ("Table 4 row 3: colour mapping only, weight predictor on a separate encoder",
                         dict(mode="rgb-only", lut_encoder="separate")),
    "global-pool": ("Table 4 row 4: colour mapping only, globally pooled encoder feature",
                    dict(mode="rgb-only", lut_pooling="global")),
    "no-lut-input": ("Table 4 row 5: refinement without the LUT (RGB-to-RGB) output",
                     dict(refine_inputs=("base", "mask", "features"))),
    "no-base-input": ("Table 4 row 6: refinement without the upsampled pixel-to-pixel output",
                      dict(refine_inputs=("lut", "mask", "features"))),
    "no-mask-input": ("Table 4 row 7: refinement without the mask", dict(refine_inputs=("base", "lut", "features"))),
    "no-feature-input": ("Table 4 row 8: refinement without the upsampled decoder feature F_dec",
                         dict(refine_inputs=("base", "lut", "mask"))),
    "no-blending": ("Table 4 row 9: refinement without the blending layer", dict(refine_blending=False)),
}
ABLATIONS = tuple(f"cdtnet-256-ablate-{what}" for what in _ROWS)

for _what, (_description, _fields) in _ROWS.items():
    register_cdtnet(f"cdtnet-256-ablate-{_what}", _description, lr_size=256,
                    blends=_fields.get("mode") == "rgb-only", **_fields)
