"""HiDT (Anokhin et al., High-Resolution Daytime Translation Without Domain Labels, CVPR 2020) as a harmonizer:
HiDT's generator on 16 shifted low-resolution copies, merged and upsampled by its enhancement network G_enh.

Re-implemented from the description of saic-mdal/HiDT @3ff790e (inference-only release: generator, enhancer and
16-shift preprocessing; no discriminator, losses or training schedule) in the research sheets ``hidt_guo_vgg.md``
section 1 and ``baselines.md`` section 5, and ESRGAN's RRDBNet as used there (xinntao/mmsr); no code copied.
No harmonization weights exist for it (HiDT's released daytime weights translate styles, not composites).

Pipeline (HiDT ``bin/infer_on_folders.py`` with ``--enhancement generator``):

1. 16 shifted, 4x-downsampled copies of [composite in [-1, 1], mask]: for offsets (x, y) in {0..3}^2 (x outer), the
   image shifted up/left by (x, y) and reduced 4x. HiDT resizes an image enlarged by 4 px; at a fixed input size we
   replicate-pad the bottom/right by 3 px and average 4x4 blocks (area downsampling), i.e. copy (x, y) at low-res
   pixel (i, j) is the mean of the full-res block starting at (4i + y, 4j + x).
2. Each copy is translated by HiDT's generator (below) at H/4 x W/4 with one style per image, clamped to [-1, 1].
3. HiDT's re-alignment: each translated copy is nearest-upsampled 4x, placed at offset (y, x) in a (H+4) x (W+4)
   canvas filled with -1 (zero before [-1, 1] normalisation), and nearest-resized back to H/4 x W/4 with torch's
   'nearest' rule (source index floor(i * (H+4) / (H/4))); the 16 results are stacked into 48 channels. This step
   only approximately undoes the shifts (copies can be misaligned by one low-res pixel) exactly as in HiDT; the
   CDTNet paper blames HiDT's poor scores on this merge.
4. G_enh = RRDBNet(in 48, out 3, nf 64, nb 5, gc 32) with two PixelShuffle x2 stages: output at H x W, linear,
   mapped by (y + 1) / 2. 3,995,843 parameters.

HiDT's generator (configs/daytime.yaml; MUNIT blocks from :mod:`harmbench.layers.munit`, reflect padding,
Kaiming-normal fan-in weights and zero biases on every conv/linear):

- content encoder: Conv9 (48, IN, ReLU), 2 x stride-2 Conv6 pad 2 (96, 192; IN, ReLU), 4 IN residual blocks; the
  tensors entering the downsamplings, sliced to their first 5 channels, are the skips (3,497,184 parameters with
  HiDT's 3-channel input);
- style encoder: Conv7 (48) + 4 stride-2 Conv4 (96, 192, 192, 192), LReLU(0.2), no norm, global average pool,
  Conv1x1 to a 3-d style (1,556,643);
- decoder: 5 residual blocks at 192 channels with AdaIN in both convs; per scale nearest x2, the skip through
  Conv7 5 -> 5 + AdaIN + ReLU, concatenation [x, skip], Conv7 to half width + LayerNorm + ReLU; Conv9 to 6 channels
  (image and 3 "segmentation" maps), tanh on each (4,510,146);
- style MLP: Linear 3 -> 64 -> 64 -> 3860, ReLU between (255,316): per AdaIN layer in registration order (10 body
  layers, then the two skip convs) C values for the bias and C for the weight. Generator total 9,819,289.

Choices where HiDT's release and the CDTNet paper are silent (which the research sheets record as "not found"):

- Style: HiDT takes the style from another image; for harmonization the style is the background's. It is encoded
  once per image from the unshifted 4x-reduced copy with the foreground set to 0 (mid-grey on the [-1, 1] scale)
  and used for all 16 copies, as HiDT translates its 16 crops with one style.
- Input: the content encoder sees [composite, mask] (4 channels, +3,888 stem weights) so that it knows the
  foreground, like every other baseline here; ``mask_input=False`` gives HiDT's exact 3-channel encoder.
- Segmentation maps: HiDT supervised them with an off-the-shelf segmentation network (not available); they are
  computed (the released layer widths) but get no loss. HiDT's inference-time dequantisation noise is left out so
  that results are deterministic.
- Training (HiDT released no losses, weights or schedule for either network): the generator gets L1 to the
  identically shifted and downsampled target (x ``lambda_lowres``); G_enh gets pix2pixHD's 3-scale LSGAN + feature
  matching (x ``lambda_feat``) with a discriminator conditioned on [composite, mask], plus pix2pixHD's VGG19 loss
  (x ``lambda_feat``) when ``vgg_weights`` names a local file, else L1 to the target (x ``lambda_pixel``) as the
  offline substitute. :meth:`HiDT.training_notes` says which ("on"/"off"). ``train_stage``: "joint" (default; one
  run, both parts), or HiDT's two stages "harmonizer" (generator only) then "enhancer" (generator frozen, G_enh
  trained on its outputs). Optimiser: pix2pixHD's (Adam 2e-4, betas (0.5, 0.999), batch 1) [assumed].
- Sizes: padded (replicate, bottom/right) to a multiple of ``4 * 2**max(content_downsamples, style_downsamples)``
  (64 by default) and cropped back; both sides must exceed that multiple. At 2048 the same 16 copies are used and
  the generator runs at 512 (HiDT has a single 4x scheme); native size 1024 (generator at 256, HiDT's default
  inference size).
- Output is NOT composited with the background (``blends=False``), as the code scores the enhancer's output;
  ``composite_output=True`` returns ``out * mask + composite * (1 - mask)``.
- Checkpoints: the generator's state_dict keys (``harmonizer.content_encoder.*``, ``harmonizer.style_encoder.*``,
  ``harmonizer.decoder.*``, ``harmonizer.mlp.*``) replace those of the earlier U-Net stand-in, whose checkpoints no
  longer load (they were never official weights).

Checkpoints in HiDT's own layout load through :func:`convert_official`: the union of the generator state_dict HiDT
loads into ``trainer.gen`` (``trained_models/generator/daytime.pt``; ``module.`` anywhere in a key is dropped, as
HiDT's ``StyleTransformer`` does) and the enhancer state_dict (``trained_models/enhancer/enhancer.pth``, an
``RRDBNet``), whose keys do not collide, e.g. ``torch.save({**torch.load(generator), **torch.load(enhancer)}, path)``.
Key layouts from advimman/HiDT (= saic-mdal/HiDT) ``hidt/networks``: original <-> harmbench (read right to left for
the other direction; ``<...>`` is the same on both sides, e.g. ``conv.weight`` or ``norm.gamma``):

- ``content_encoder.model_preparation.0.<...>``  <->  ``harmonizer.content_encoder.stem.<...>``
- ``content_encoder.model_downsample.<i>.<...>``  <->  ``harmonizer.content_encoder.downs.<i>.<...>``
- ``content_encoder.model_postprocess.0.model.<b>.<...>`` (``ResBlocks``)  <->
  ``harmonizer.content_encoder.res.<b>.<...>``
- ``style_encoder.body.<i>.<...>``  <->  ``harmonizer.style_encoder.model.<i>.<...>``; the head's
  ``style_encoder.head.1.*`` (after the pooling at ``head.0``)  <->  ``harmonizer.style_encoder.model.<n + 1>.*``
  with n the number of body blocks
- ``decoder.body.0.model.<b>.<...>``  <->  ``harmonizer.decoder.res.<b>.<...>``
- ``decoder.skip_preprocess.<i>.0.<...>``  <->  ``harmonizer.decoder.ups.<i>.skip.<...>``
- ``decoder.upsample_postprocess.<i>.0.<...>``  <->  ``harmonizer.decoder.ups.<i>.conv.<...>``
- ``decoder.model_postprocess.0.<...>``  <->  ``harmonizer.decoder.out.<...>``
- ``decoder.adain_net.<...>`` (HiDT's MLP lives in the decoder)  <->  ``harmonizer.mlp.<...>``
- the AdaIN layers' ``norm.running_mean`` / ``norm.running_var`` (dummy buffers HiDT never reads): dropped; to
  write the original layout, add zeros / ones
- ``conv_first.*``, ``trunk_conv.*``, ``conv_last.*``  <->  ``enhancer.`` + the same name
- ``RRDB_trunk.<i>.RDB<j>.conv<k>.*`` (j, k from 1)  <->  ``enhancer.trunk.<i>.blocks.<j-1>.convs.<k-1>.*``
- ``upconv1.*``, ``upconv2.*``, ``HRconv.*``  <->  ``enhancer.upsample.0.*``, ``enhancer.upsample.3.*``,
  ``enhancer.hr_conv.*``

HiDT's released generator translates daytime styles from 3 channels: load it with ``mask_input=False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.checkpoints import rename_keys
from harmbench.contract import TrainRecipe
from harmbench.layers.blend import composite_with_background
from harmbench.layers.checks import check_inputs
from harmbench.layers.gan import ConditionalMultiscaleGAN
from harmbench.layers.init import init_kaiming
from harmbench.layers.munit import MLP, Conv2dBlock, adain_layers, adain_param_count, assign_adain_params, res_blocks
from harmbench.layers.padding import pad_bottom_right
from harmbench.layers.vgg import FrozenVGG19, pix2pixhd_vgg_loss, vgg_loss_note
from harmbench.registry import MethodError, register_method

SHIFTS = 4  # 4 x 4 = 16 copies, each 4x smaller
STAGES = ("joint", "harmonizer", "enhancer")


def shifted_copies(x: torch.Tensor) -> torch.Tensor:
    """(B,C,H,W) with H, W multiples of 4 -> (B,16,C,H/4,W/4); copy x*4+y is shifted by (x, y), area-reduced 4x."""
    blocks = F.avg_pool2d(F.pad(x, (0, SHIFTS - 1, 0, SHIFTS - 1), mode="replicate"), SHIFTS, stride=1)
    return torch.stack([blocks[:, :, dy::SHIFTS, dx::SHIFTS] for dx in range(SHIFTS) for dy in range(SHIFTS)], 1)


def realign(copies: torch.Tensor) -> torch.Tensor:
    """HiDT's enhancement preprocessing: (B,16,3,h,w) in [-1,1] -> (B,48,h,w) approximately re-aligned copies."""
    height, width = copies.shape[-2:]
    device = copies.device

    def source_index(size: int, offset: int) -> tuple[torch.Tensor, torch.Tensor]:
        # low-res position -> row of the (4*size + 4) canvas (nearest) -> row of the 4x-upsampled copy -> copy row
        canvas = torch.arange(size, device=device) * (SHIFTS * size + SHIFTS) // size - offset
        inside = (canvas >= 0) & (canvas < SHIFTS * size)
        return canvas.clamp(0, SHIFTS * size - 1) // SHIFTS, inside

    merged = []
    for index in range(SHIFTS * SHIFTS):
        dx, dy = divmod(index, SHIFTS)
        rows, rows_inside = source_index(height, dy)
        cols, cols_inside = source_index(width, dx)
        picked = copies[:, index][:, :, rows][:, :, :, cols]
        inside = rows_inside[:, None] & cols_inside[None, :]
        merged.append(torch.where(inside, picked, torch.full_like(picked, -1.0)))
    return torch.cat(merged, 1)


# ---------------------------------------------------------------------------------------------------------------
# Low-resolution harmonizer: HiDT's generator (content encoder, style encoder, AdaIN decoder, style MLP)


class ContentEncoder(nn.Module):
    """HiDT's ``ContentEncoderUnet``: Conv9 stem, stride-2 Conv6 downsamplings, residual blocks, all IN + ReLU.

    Returns ``[content, skip at 1/2**(n-1), ..., skip at full size]``: each skip is the tensor entering a
    downsampling conv, sliced to its first ``skip_channels`` channels.
    """

    def __init__(self, in_channels: int, dim: int, downsamples: int, blocks: int, skip_channels: int):
        super().__init__()
        self.skip_channels = skip_channels
        self.stem = Conv2dBlock(in_channels, dim, 9, 1, 4, norm="in", activation="relu")
        self.downs = nn.ModuleList(Conv2dBlock(dim * 2 ** i, dim * 2 ** (i + 1), 6, 2, 2, norm="in", activation="relu")
                                   for i in range(downsamples))
        self.res = res_blocks(blocks, dim * 2 ** downsamples, "in", "relu")

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        x = self.stem(x)
        skips = []
        for down in self.downs:
            skips.append(x[:, :self.skip_channels])
            x = down(x)
        return [self.res(x), *reversed(skips)]


class StyleEncoder(nn.Module):
    """HiDT's ``StyleEncoder``: Conv7 + stride-2 Conv4s (width doubling twice, then constant), LReLU(0.2), no norm,
    global average pooling, Conv1x1 to ``style_dim``."""

    def __init__(self, dim: int, downsamples: int, style_dim: int):
        super().__init__()
        layers = [Conv2dBlock(3, dim, 7, 1, 3, activation="lrelu")]
        for index in range(downsamples):
            wider = dim * 2 if index < 2 else dim
            layers.append(Conv2dBlock(dim, wider, 4, 2, 1, activation="lrelu"))
            dim = wider
        layers += [nn.AdaptiveAvgPool2d(1), nn.Conv2d(dim, style_dim, 1)]
        self.model = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x).flatten(1)


class UpBlock(nn.Module):
    """Nearest x2; skip -> Conv7 + AdaIN + ReLU; concatenate [x, skip] -> Conv7 to half width + LayerNorm + ReLU."""

    def __init__(self, channels: int, skip_channels: int):
        super().__init__()
        self.skip = Conv2dBlock(skip_channels, skip_channels, 7, 1, 3, norm="adain", activation="relu")
        self.conv = Conv2dBlock(channels + skip_channels, channels // 2, 7, 1, 3, norm="ln", activation="relu")

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        return self.conv(torch.cat([F.interpolate(x, scale_factor=2, mode="nearest"), self.skip(skip)], 1))


class Decoder(nn.Module):
    """HiDT's ``DecoderUnet``: AdaIN residual blocks, one :class:`UpBlock` per scale, linear Conv9 to
    ``out_channels`` (image + segmentation maps)."""

    def __init__(self, dim: int, upsamples: int, blocks: int, skip_channels: int, out_channels: int):
        super().__init__()
        self.res = res_blocks(blocks, dim, "adain", "relu")
        self.ups = nn.ModuleList(UpBlock(dim // 2 ** i, skip_channels) for i in range(upsamples))
        self.out = Conv2dBlock(dim // 2 ** upsamples, out_channels, 9, 1, 4, activation="none")

    def forward(self, content: torch.Tensor, skips: list[torch.Tensor]) -> torch.Tensor:
        x = self.res(content)
        for up, skip in zip(self.ups, skips, strict=True):
            x = up(x, skip)
        return self.out(x)


class Generator(nn.Module):
    """HiDT's translator on low-resolution copies: content of each copy decoded with one style code per image.

    ``forward(x (N,C,h,w), style (N,style_dim)) -> (images, segmentation)``, both tanh-activated (N,3,h,w); the
    decoder's AdaIN scales and shifts are the style MLP's output laid out layer by layer (:func:`assign_adain_params`).
    """

    def __init__(self, config: HiDTConfig):
        super().__init__()
        dim, downsamples = config.content_dim, config.content_downsamples
        bottom = dim * 2 ** downsamples
        self.content_encoder = ContentEncoder(4 if config.mask_input else 3, dim, downsamples, config.content_blocks,
                                              config.skip_channels)
        self.style_encoder = StyleEncoder(config.style_encoder_dim, config.style_downsamples, config.style_dim)
        self.decoder = Decoder(bottom, downsamples, config.decoder_blocks, config.skip_channels,
                               3 + config.segmentation_channels)
        self.mlp = MLP(config.style_dim, adain_param_count(adain_layers(self.decoder)), config.mlp_dim,
                       config.mlp_blocks)
        init_kaiming(self)

    def forward(self, x: torch.Tensor, style: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        content, *skips = self.content_encoder(x)
        layers = adain_layers(self.decoder)
        assign_adain_params(self.mlp(style), layers)
        try:
            out = torch.tanh(self.decoder(content, skips))
        finally:
            for layer in layers:  # do not keep this call's style (and its graph) alive in the modules
                layer.style = None
        return out[:, :3], out[:, 3:]


# ---------------------------------------------------------------------------------------------------------------
# G_enh: ESRGAN's RRDBNet with PixelShuffle upsampling


class ResidualDenseBlock(nn.Module):
    """Five densely connected 3x3 convs (growth ``gc``), LReLU 0.2, residual scaled by 0.2."""

    def __init__(self, nf: int, gc: int):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(nf + i * gc, gc if i < 4 else nf, 3, padding=1) for i in range(5))
        for conv in self.convs:  # ESRGAN's init: Kaiming normal scaled by 0.1, zero bias
            nn.init.kaiming_normal_(conv.weight, a=0, mode="fan_in")
            conv.weight.data.mul_(0.1)
            nn.init.zeros_(conv.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = [x]
        for conv in self.convs[:-1]:
            features.append(F.leaky_relu(conv(torch.cat(features, 1)), 0.2))
        return x + 0.2 * self.convs[-1](torch.cat(features, 1))


class RRDB(nn.Module):
    def __init__(self, nf: int, gc: int):
        super().__init__()
        self.blocks = nn.Sequential(*(ResidualDenseBlock(nf, gc) for _ in range(3)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 0.2 * self.blocks(x)


class RRDBNet(nn.Module):
    """conv -> nb RRDBs -> conv (+ skip) -> 2 x [conv to 4nf, PixelShuffle 2, LReLU] -> conv, LReLU -> conv."""

    def __init__(self, in_channels: int, nf: int, nb: int, gc: int):
        super().__init__()
        self.conv_first = nn.Conv2d(in_channels, nf, 3, padding=1)
        self.trunk = nn.Sequential(*(RRDB(nf, gc) for _ in range(nb)))
        self.trunk_conv = nn.Conv2d(nf, nf, 3, padding=1)
        self.upsample = nn.Sequential(*(layer for _ in range(2) for layer in (
            nn.Conv2d(nf, nf * 4, 3, padding=1), nn.PixelShuffle(2), nn.LeakyReLU(0.2))))
        self.hr_conv = nn.Conv2d(nf, nf, 3, padding=1)
        self.conv_last = nn.Conv2d(nf, 3, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = self.conv_first(x)
        features = features + self.trunk_conv(self.trunk(features))
        return self.conv_last(F.leaky_relu(self.hr_conv(self.upsample(features)), 0.2))


@dataclass
class HiDTConfig:
    content_dim: int = 48  # HiDT configs/daytime.yaml: content encoder width
    content_downsamples: int = 2
    content_blocks: int = 4
    decoder_blocks: int = 5
    skip_channels: int = 5  # hard-coded skip_dim of ContentEncoderUnet
    style_encoder_dim: int = 48
    style_downsamples: int = 4
    style_dim: int = 3  # daytime model (wikiart: 12)
    mlp_dim: int = 64
    mlp_blocks: int = 3
    segmentation_channels: int = 3  # HiDT's extra decoder outputs; no loss here (no segmentation labels)
    mask_input: bool = True  # content encoder sees [composite, mask] (4 channels); False = HiDT's 3 channels
    enhancer_nf: int = 64  # RRDBNet(nf 64, nb 5, gc 32) as in HiDT
    enhancer_nb: int = 5
    enhancer_gc: int = 32
    num_d: int = 3  # pix2pixHD discriminator for G_enh
    n_layers_d: int = 3
    ndf: int = 64
    lambda_feat: float = 10.0
    lambda_lowres: float = 10.0
    lambda_pixel: float = 10.0  # L1 substitute for the VGG loss when vgg_weights is None
    vgg_weights: str | None = None
    train_stage: str = "joint"  # "joint" | "harmonizer" | "enhancer"
    composite_output: bool = False

    def __post_init__(self):
        if self.train_stage not in STAGES:
            raise MethodError(f"hidt: train_stage must be one of {', '.join(STAGES)}, got '{self.train_stage}'")
        for name in ("content_dim", "content_downsamples", "skip_channels", "style_encoder_dim", "style_dim",
                     "mlp_dim", "mlp_blocks", "enhancer_nf", "enhancer_gc", "num_d", "n_layers_d", "ndf"):
            if getattr(self, name) < 1:
                raise MethodError(f"hidt: {name} must be >= 1, got {getattr(self, name)}")


class HiDT(ConditionalMultiscaleGAN):
    """16 shifted low-res copies -> harmonizer -> HiDT re-alignment -> RRDBNet x4 -> full-resolution image."""

    def __init__(self, config: HiDTConfig):
        super().__init__(config)
        self.harmonizer = Generator(config)
        self.enhancer = RRDBNet(3 * SHIFTS * SHIFTS, config.enhancer_nf, config.enhancer_nb, config.enhancer_gc)
        # the content encoder halves the copies content_downsamples times, the style encoder style_downsamples times
        self.size_multiple = SHIFTS * 2 ** max(config.content_downsamples, config.style_downsamples)
        self.vgg = FrozenVGG19(config.vgg_weights) if config.vgg_weights else None

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: (B,3,H,W) on [0,1]; lowres: (B,16,3,H'/4,W'/4) harmonized copies on [0,1] (H' = padded H)."""
        check_inputs("hidt", composite, mask, more_than=self.size_multiple)
        height, width = composite.shape[2:]
        copies = shifted_copies(pad_bottom_right(self.condition(composite, mask), self.size_multiple))
        frozen = self.training and self.config.train_stage == "enhancer"
        with torch.set_grad_enabled(torch.is_grad_enabled() and not frozen):
            lowres = self.translate(copies)
        images = (self.enhancer(realign(lowres.clamp(-1, 1)))[:, :, :height, :width] + 1) / 2
        if self.config.composite_output:
            images = composite_with_background(images, composite, mask)
        return {"images": images, "lowres": (lowres + 1) / 2}

    def translate(self, copies: torch.Tensor) -> torch.Tensor:
        """(B,16,4,h,w) [composite in [-1,1], mask] copies -> (B,16,3,h,w) harmonized copies in [-1,1].

        One style per image, encoded from the unshifted copy's background (foreground pixels set to 0, i.e. mid-grey
        on the [-1,1] scale), and used for all 16 copies as HiDT uses one style for its 16 crops.
        """
        batch, count, channels, height, width = copies.shape
        first = copies[:, 0]
        style = self.harmonizer.style_encoder(first[:, :3] * (1 - first[:, 3:]))
        inputs = copies.reshape(batch * count, channels, height, width)
        if not self.config.mask_input:
            inputs = inputs[:, :3]
        images, _ = self.harmonizer(inputs, style[:, None].expand(-1, count, -1).reshape(batch * count, -1))
        return images.reshape(batch, count, 3, height, width)

    def trainable_parameters(self):
        stage = self.config.train_stage
        parts = {"joint": (self.harmonizer, self.enhancer), "harmonizer": (self.harmonizer,),
                 "enhancer": (self.enhancer,)}[stage]
        return [p for part in parts for p in part.parameters()]

    def train_recipe(self) -> TrainRecipe:
        return TrainRecipe(lr=2e-4, betas=(0.5, 0.999), epochs=100, milestones=(), batch_size=1,
                           discriminator_lr=2e-4)

    def training_notes(self) -> list[str]:
        return [vgg_loss_note(self.config.vgg_weights, f"L1 x lambda_pixel ({self.config.lambda_pixel}) instead")]

    def training_losses(self, batch: dict, out: dict, discriminator: nn.Module | None = None) -> dict:
        config = self.config
        losses = {}
        if config.train_stage != "enhancer":
            target = pad_bottom_right(batch["target"] * 2 - 1, self.size_multiple)
            losses["lowres_l1"] = config.lambda_lowres * F.l1_loss(out["lowres"] * 2 - 1, shifted_copies(target))
        if config.train_stage == "harmonizer":
            return losses
        if discriminator is None:
            raise MethodError(f"hidt: train_stage '{config.train_stage}' needs the discriminator from "
                              "make_discriminator()")
        fake, real = out["images"] * 2 - 1, batch["target"] * 2 - 1
        losses.update(self.generator_gan_losses(batch, out, discriminator))
        if self.vgg is not None:
            losses["g_vgg"] = config.lambda_feat * pix2pixhd_vgg_loss(self.vgg, fake, real)
        else:
            losses["g_l1"] = config.lambda_pixel * F.l1_loss(fake, real)
        return losses


def convert_official(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """HiDT's generator and enhancer keys -> this module's (the list in the module docstring); harmbench keys pass."""
    state = {".".join(part for part in key.split(".") if part != "module"): value for key, value in state.items()}
    body_blocks = sum(1 for key in state if re.fullmatch(r"style_encoder\.body\.\d+\.conv\.weight", key))
    return rename_keys(state, [
        (r"^content_encoder\.model_preparation\.0\.", "harmonizer.content_encoder.stem."),
        (r"^content_encoder\.model_downsample\.", "harmonizer.content_encoder.downs."),
        (r"^content_encoder\.model_postprocess\.0\.model\.", "harmonizer.content_encoder.res."),
        (r"^style_encoder\.body\.", "harmonizer.style_encoder.model."),
        (r"^style_encoder\.head\.1\.", f"harmonizer.style_encoder.model.{body_blocks + 1}."),
        (r"^decoder\.body\.0\.model\.", "harmonizer.decoder.res."),
        (r"^decoder\.skip_preprocess\.(\d+)\.0\.", r"harmonizer.decoder.ups.\1.skip."),
        (r"^decoder\.upsample_postprocess\.(\d+)\.0\.", r"harmonizer.decoder.ups.\1.conv."),
        (r"^decoder\.model_postprocess\.0\.", "harmonizer.decoder.out."),
        (r"^decoder\.adain_net\.", "harmonizer.mlp."),
        (r"^(conv_first|trunk_conv|conv_last)\.", r"enhancer.\1."),
        (r"^RRDB_trunk\.(\d+)\.RDB(\d+)\.conv(\d+)\.",
         lambda m: f"enhancer.trunk.{m[1]}.blocks.{int(m[2]) - 1}.convs.{int(m[3]) - 1}."),
        (r"^upconv1\.", "enhancer.upsample.0."),
        (r"^upconv2\.", "enhancer.upsample.3."),
        (r"^HRconv\.", "enhancer.hr_conv."),
    ], drop=r"^decoder\..*\.norm\.running_(mean|var)$")


_TINY = dict(content_dim=4, skip_channels=2, content_blocks=1, decoder_blocks=1, style_encoder_dim=4,
             style_downsamples=2, mlp_dim=8, enhancer_nf=8, enhancer_nb=1, enhancer_gc=4, num_d=2, ndf=4)
register_method("hidt", config=HiDTConfig, build=HiDT, tiny=_TINY, family="hidt", native_size=1024, trainable=True,
                blends=False, official_weights="", convert_official=convert_official,
                paper="Anokhin et al., High-Resolution Daytime Translation Without Domain Labels, CVPR 2020",
                description="HiDT: 16 shifted 4x-reduced copies translated by HiDT's content/style generator with "
                            "the background's style, merged and upsampled by RRDBNet")
