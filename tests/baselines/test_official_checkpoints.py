"""Every learned baseline whose original code names its modules differently loads a state_dict in that original
layout: no missing or unexpected keys, every tensor lands where the equivalent harmbench-named state_dict puts it,
and the outputs are identical.

The original key names below are written from each original code's module tree (the sources named per layout),
listed in the order of the harmbench model's state_dict so that the shapes can be taken from it. Baselines whose
modules already carry the original names (CDTNet, iS²AM, DoveNet, RainNet) have their key names checked in their
own test files; CRN's original code is TensorFlow.
"""

import pytest
import torch

import harmbench
from harmbench.checkpoints import state_dict_of


def conv(prefix: str) -> list[str]:
    return [prefix + "weight", prefix + "bias"]


def layer_norm(prefix: str) -> list[str]:  # MUNIT's LayerNorm
    return [prefix + "gamma", prefix + "beta"]


def batch_norm(prefix: str) -> list[str]:
    return [prefix + name for name in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked")]


def pix2pixhd_layout(config) -> tuple[list[str], dict]:
    """NVIDIA/pix2pixHD models/networks.py: ``GlobalGenerator.model`` (pad, conv, norm, relu, then 3 modules per
    down/up conv, one per ``ResnetBlock`` whose ``conv_block`` has its convs at 1 and 5); ``LocalEnhancer`` keeps
    the global ``model`` without its last 3 modules and adds ``model<n>_1`` (pad, conv, norm, relu, conv, norm,
    relu) and ``model<n>_2`` (ResnetBlocks, convT, norm, relu[, pad, conv, tanh on the last])."""
    def resnet_block(prefix):
        return conv(prefix + "conv_block.1.") + conv(prefix + "conv_block.5.")

    keys, index = conv("model.1."), 4
    for _ in range(config.n_downsample_global):
        keys, index = keys + conv(f"model.{index}."), index + 3
    for _ in range(config.n_blocks_global):
        keys, index = keys + resnet_block(f"model.{index}."), index + 1
    for _ in range(config.n_downsample_global):
        keys, index = keys + conv(f"model.{index}."), index + 3
    if config.n_local_enhancers == 0:
        keys += conv(f"model.{index + 1}.")
    for n in range(1, config.n_local_enhancers + 1):
        keys += conv(f"model{n}_1.1.") + conv(f"model{n}_1.4.")
        for block in range(config.n_blocks_local):
            keys += resnet_block(f"model{n}_2.{block}.")
        keys += conv(f"model{n}_2.{config.n_blocks_local}.")
        if n == config.n_local_enhancers:
            keys += conv(f"model{n}_2.{config.n_blocks_local + 4}.")
    return keys, {}


def s2am_layout(config) -> tuple[list[str], dict]:
    """vinthony/s2am scripts/models: ``UnetGenerator.model`` is the outermost ``UnetSkipConnectionBlock``, whose
    ``model`` (``MinimalUnetV2``) holds ``down``, ``up``, ``sub`` (the next block) and ``attention`` (``RASC``:
    ``connection`` = BasicLearningBlock, three GlobalAttentionModules with ``fc``, ``gaussianMask``)."""
    def attention(prefix):
        keys = [prefix + "connection.rconv1.weight", *batch_norm(prefix + "connection.rbn1."),
                prefix + "connection.rconv2.weight", *batch_norm(prefix + "connection.rbn2.")]
        for gate in ("background_attention", "mixed_attention", "spliced_attention"):
            keys += conv(f"{prefix}{gate}.fc.0.") + conv(f"{prefix}{gate}.fc.2.")
        return keys + [prefix + "gaussianMask.weight"]

    def level(prefix, depth):
        if depth == 0:  # outermost: down = [conv], up = [relu, convT with bias]
            keys = [prefix + "down.0.weight", *conv(prefix + "up.1.")]
        elif depth == config.num_downs - 1:  # innermost: down = [lrelu, conv], up = [relu, convT, bn]
            return [prefix + "down.1.weight", prefix + "up.1.weight", *batch_norm(prefix + "up.2.")]
        else:  # down = [lrelu, conv, bn], up = [relu, convT, bn]
            keys = [prefix + "down.1.weight", *batch_norm(prefix + "down.2."), prefix + "up.1.weight",
                    *batch_norm(prefix + "up.2.")]
        keys += level(prefix + "sub.model.", depth + 1)
        return keys + (attention(prefix + "attention.") if depth in (1, 2, 3) else [])

    return level("model.model.", 0), {}


def hidt_layout(config) -> tuple[list[str], dict]:
    """advimman/HiDT hidt/networks: the generator (``trainer.gen``: ``content_encoder`` = model_preparation /
    model_downsample / model_postprocess[ResBlocks]; ``style_encoder`` = body / head[pool, conv]; ``decoder`` =
    body[ResBlocks] / upsample_postprocess / skip_preprocess / model_postprocess / adain_net[MLP]) and the enhancer
    (``RRDBNet``: conv_first, RRDB_trunk.<i>.RDB<j>.conv<k>, trunk_conv, upconv1, upconv2, HRconv, conv_last).
    The AdaIN layers' dummy ``running_mean`` / ``running_var`` buffers exist only in the original."""
    bottom = config.content_dim * 2 ** config.content_downsamples
    extra = {}

    def adain_block(prefix, channels):
        extra[prefix + "norm.running_mean"] = torch.zeros(channels)
        extra[prefix + "norm.running_var"] = torch.ones(channels)
        return conv(prefix + "conv.")

    keys = conv("content_encoder.model_preparation.0.conv.")
    for i in range(config.content_downsamples):
        keys += conv(f"content_encoder.model_downsample.{i}.conv.")
    for block in range(config.content_blocks):
        for j in (0, 1):
            keys += conv(f"content_encoder.model_postprocess.0.model.{block}.model.{j}.conv.")
    for i in range(config.style_downsamples + 1):
        keys += conv(f"style_encoder.body.{i}.conv.")
    keys += conv("style_encoder.head.1.")
    for block in range(config.decoder_blocks):
        for j in (0, 1):
            keys += adain_block(f"decoder.body.0.model.{block}.model.{j}.", bottom)
    for i in range(config.content_downsamples):  # harmbench keeps each scale's skip conv beside its up conv
        keys += adain_block(f"decoder.skip_preprocess.{i}.0.", config.skip_channels)
        up = f"decoder.upsample_postprocess.{i}.0."
        keys += conv(up + "conv.") + layer_norm(up + "norm.")
    keys += conv("decoder.model_postprocess.0.conv.")
    for j in range(config.mlp_blocks):
        keys += conv(f"decoder.adain_net.model.{j}.fc.")
    keys += conv("conv_first.")
    for i in range(config.enhancer_nb):
        for dense in (1, 2, 3):
            for k in range(1, 6):
                keys += conv(f"RRDB_trunk.{i}.RDB{dense}.conv{k}.")
    for name in ("trunk_conv", "upconv1", "upconv2", "HRconv", "conv_last"):
        keys += conv(name + ".")
    return keys, extra


def guo_layout(config) -> tuple[list[str], dict]:
    """zhenglab/IntrinsicHarmony models/harmony_networks.py ``retinexltifpmGenerator``: ContentEncoder /
    ContentDecoder / InharmonyfreeCAModule ``model`` Sequentials of Conv2dBlocks (``conv``, ``norm``) with
    ``ResBlocks.model``; GlobalLighting ``model`` + ``light_mlp.fc``; ``lightingRes.resblocks`` of LightingResBlock
    (``conv_1``, ``lt_1``, ``conv_2``, ``lt_2``, ``norm``; Lighting = ``light_mlp.fc``, ``rgb_model`` conv +
    GroupNorm); ``{reflectance,illumination}Rec.resblocks.<i>.harmonyRecConv.conv``."""
    def encoder(name, blocks):
        keys = conv(f"{name}.model.0.conv.") + conv(f"{name}.model.1.conv.") + conv(f"{name}.model.2.conv.")
        for block in range(blocks):
            for j in (0, 1):
                prefix = f"{name}.model.3.model.{block}.model.{j}."
                keys += conv(prefix + "conv.") + layer_norm(prefix + "norm.")
        return keys

    def decoder(name):
        return [*conv(f"{name}.model.1.conv."), *layer_norm(f"{name}.model.1.norm."), *conv(f"{name}.model.3.conv."),
                *layer_norm(f"{name}.model.3.norm."), *conv(f"{name}.model.4.conv.")]

    keys = encoder("reflectance_enc", config.reflectance_res_blocks) + encoder("illumination_enc", 0)
    keys += decoder("reflectance_dec") + decoder("illumination_dec")
    keys += [key for i in range(3) for key in conv(f"lighting.model.{i}.conv.")] + conv("lighting.light_mlp.fc.")
    for i in range(config.lighting_res_blocks):
        prefix = f"lightingRes.resblocks.{i}."
        for j in (1, 2):
            keys += conv(f"{prefix}conv_{j}.") + conv(f"{prefix}lt_{j}.light_mlp.fc.")
            keys += conv(f"{prefix}lt_{j}.rgb_model.conv.") + conv(f"{prefix}lt_{j}.rgb_model.norm.")
        keys += layer_norm(prefix + "norm.")
    for i in range(4):
        keys += conv(f"ifm.model.{i}.conv.") + layer_norm(f"ifm.model.{i}.norm.")
    for block in range(config.inharmony_free_res_blocks):
        for j in (0, 1):
            prefix = f"ifm.model.4.model.{block}.model.{j}."
            keys += conv(prefix + "conv.") + layer_norm(prefix + "norm.")
    keys += conv("ifm.model.5.conv.")
    for branch in ("reflectanceRec", "illuminationRec"):
        for i in range(config.rec_blocks):
            keys += conv(f"{branch}.resblocks.{i}.harmonyRecConv.conv.")
    return keys, {}


CASES = {  # id: (method, config overrides on top of the tiny config, original layout, input size)
    "pix2pixhd-local": ("pix2pixhd", {}, pix2pixhd_layout, 32),
    "pix2pixhd-global": ("pix2pixhd", dict(n_local_enhancers=0), pix2pixhd_layout, 32),
    "pix2pixhd-2048-two-enhancers": ("pix2pixhd-2048", dict(n_local_enhancers=2), pix2pixhd_layout, 48),
    "s2am": ("s2am", {}, s2am_layout, 40),
    "hidt": ("hidt", {}, hidt_layout, 48),
    "hidt-3-channel-generator": ("hidt", dict(mask_input=False), hidt_layout, 48),
    "guo": ("guo", {}, guo_layout, 32),
}


def distinct_values(state: dict[str, torch.Tensor]) -> list[torch.Tensor]:
    """The model's tensors perturbed so that no two same-shaped entries are equal (BatchNorm's initial running
    statistics and LayerNorm's zero betas are), so a key sent to the wrong place changes the loaded model."""
    generator = torch.Generator().manual_seed(1)
    values = []
    for key, value in state.items():
        if not value.is_floating_point():
            values.append(value)
            continue
        noise = torch.rand(value.shape, generator=generator)
        values.append(value * (0.5 + noise) if key.endswith("running_var") else value + 0.05 * (noise - 0.5))
    return values


@pytest.mark.parametrize("case", list(CASES))
def test_original_layout_loads_like_the_harmbench_layout(tmp_path, case):
    name, overrides, layout, size = CASES[case]
    own = harmbench.create_method(name, tiny=True, **overrides).state_dict()
    original_keys, original_only = layout(harmbench.get_method(name).make_config(tiny=True, **overrides))
    assert len(original_keys) == len(set(original_keys)) == len(own)
    values = distinct_values(own)
    original = {**dict(zip(original_keys, values, strict=True)), **original_only}
    ours = dict(zip(own, values, strict=True))

    assert state_dict_of(original, harmbench.get_method(name), "x").keys() == own.keys()  # nothing missing or extra
    torch.save({"epoch": 3, "state_dict": {"module." + k: v for k, v in original.items()}}, tmp_path / "orig.pth")
    torch.save(ours, tmp_path / "ours.pth")
    from_original = harmbench.create_method(name, weights=tmp_path / "orig.pth", tiny=True, **overrides)
    from_ours = harmbench.create_method(name, weights=tmp_path / "ours.pth", tiny=True, **overrides)
    for key, value in from_original.state_dict().items():
        assert torch.equal(value, ours[key]), key

    generator = torch.Generator().manual_seed(2)
    composite = torch.rand(1, 3, size, size, generator=generator)
    mask = torch.zeros(1, 1, size, size)
    mask[..., size // 4:3 * size // 4, size // 4:3 * size // 4] = 1
    with torch.inference_mode():
        assert torch.equal(from_original(composite, mask)["images"], from_ours(composite, mask)["images"])


@pytest.mark.parametrize("case", list(CASES))
def test_harmbench_names_pass_through_the_converter(case):
    name, overrides, _, _ = CASES[case]
    own = harmbench.create_method(name, tiny=True, **overrides).state_dict()
    assert harmbench.get_method(name).convert_official(dict(own)).keys() == own.keys()
