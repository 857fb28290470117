"""Intrinsic Image Harmonization (Guo, Zheng, Jiang, Gu, Zheng, Dong; CVPR 2021): Table 1's ninth row.

Re-implemented from the description of ``zhenglab/IntrinsicHarmony`` at tag ``v1.0`` (the CVPR version; model
``retinexltifpm``, generator ``retinex_ltm_ifm``) in the research sheet ``hidt_guo_vgg.md`` section 2; no code copied.
MUNIT blocks (Conv2dBlock, ResBlock, LayerNorm) come from :mod:`harmbench.layers.munit`. No released weights are
named in the sources read (``official_weights`` is empty).

The network decomposes the composite into reflectance R and illumination I (each through its own encoder and
decoder, output ``tanh / 2 + 0.5`` in [0, 1]) and returns ``R * I``:

- input ``[composite, mask]`` (4 channels, images in [0, 1]); masks nearest-resized to H/4 and H/8 (the original
  hard-codes 64 and 32 for its 256 input);
- reflectance encoder: Conv7 (IN, LReLU) + 2 stride-2 Conv4 (IN, LReLU) to ``4 * ngf`` at H/4, 4 LN residual blocks;
  illumination encoder: the same without residual blocks; decoders: 2 x [nearest x2, Conv5, LN, LReLU], Conv7, tanh;
- lighting: :class:`GlobalLighting` encodes foreground and background light codes (masked mean of conv features,
  shared Linear to ``light_dim``); 4 :class:`LightingResBlock` transfer the background light to the foreground
  illumination features (:class:`Lighting`: per-code intensity and softmaxed colour ratios, applied inside the mask);
- inharmony-free patch relation: :class:`InharmonyFree` features (H/8, LN residual blocks, tanh) give an attention of
  every position over background positions (softmax of ``attention_scale`` x channel covariance); 2
  :class:`HarmonyRecBlock` per branch rebuild features at H/4 from attention-weighted 4 x 4 background patches (the
  illumination branch uses the attention detached, as the original).

Losses (all means, v1.0 weights): ``lambda_l1`` (100) x L1(R*I, target); ``lambda_reflectance_gradient`` (10) x
L1 between |horizontal/vertical gradients| of R and of the target (gradients summed over channels, kernel
[[0,0],[-1,1]] and its transpose, zero padding); ``lambda_illumination_l2`` (1) x MSE(I, target);
``lambda_illumination_smooth`` (10) x mean |second differences| of I (xx, xy, yx, yy); ``lambda_inharmony_free`` (100)
x the contrast-structure DSSIM between the channel mean of the inharmony-free features and the grey target
(0.2989 R + 0.5870 G + 0.1140 B) nearest-resized to H/8 (11 x 11 Gaussian window, sigma 1.5, zero padding,
C2 = 0.03^2). No discriminator (the original's GAN options are unused). Initialisation N(0, 0.02) on conv/linear
weights, zero biases; LayerNorm gamma U(0, 1). Optimiser: Adam 1e-4, betas (0.5, 0.999), 50 constant + 50 linearly
decaying epochs. Batch size: not found (the option's default 1 is used).

Choices where the sources are silent or the original is tied to 256 x 256:

- Resolution: fully convolutional at the input size (padded bottom/right to a multiple of 8 and cropped back), so
  the attention is N x N with N = H*W/64: 1 GiB (fp32) per image at 1024 x 1024 and 16 GiB at 2048, and each
  HarmonyRecBlock costs N x N x 16 x 4 ngf multiply-adds (about 1.1 TMAC at 1024). ``native_size`` 1024 (Table 1).
- Training crops: the original resizes the whole image to 256 with a horizontal flip; the recipe asks the shared
  loop for full-area crops (``crop_scale`` (1, 1); images with aspect outside 3/4..4/3 get their largest centred crop).
- Padding: reflect everywhere (``pad_type reflect``), the Lighting module's colour Conv3x3 too (the original's
  ``rgb_model`` is a reflect-padded ``Conv2dBlock``), so weights written by the original code give its outputs.
- The GlobalLighting Linear has no activation; the masked means divide by the mask sum + 1e-8.
- Output: ``images`` = R*I pasted into the input background (the original does this at test time only; here always,
  so ``blends=True``); ``harmonized`` is the unblended R*I the L1 loss uses.

Checkpoints of the original code (``<epoch>_net_G.pth``: the state_dict of ``retinexltifpmGenerator`` in
zhenglab/IntrinsicHarmony ``models/harmony_networks.py``, read at d8733ed) load through :func:`convert_official`
when the model has the original widths (``ngf`` 64; with another ``ngf`` the original encoders end in an extra
Conv3 to 256 channels, which this module does not have). Original <-> harmbench (read right to left for the other
direction; ``<...>`` is the same on both sides):

- ``{reflectance,illumination}_enc.*``, ``{reflectance,illumination}_dec.*``, ``ifm.*``: the same names, except
  that a ``ResBlocks`` wrapper's ``.model.`` disappears: ``<enc>.model.<n>.model.<b>.<...>``  <->
  ``<enc>.model.<n>.<b>.<...>`` (e.g. ``reflectance_enc.model.3.model.0.model.1.conv.weight``  <->
  ``reflectance_enc.model.3.0.model.1.conv.weight``)
- ``lighting.model.<...>``  <->  ``lighting.encoder.model.<...>``; ``lighting.light_mlp.fc.*``  <->  ``lighting.fc.*``
- ``lightingRes.resblocks.<i>.<...>``  <->  ``lighting_res.<i>.<...>``, inside which ``conv_<j>.*``  <->
  ``conv<j>.1.*``, ``lt_<j>.light_mlp.fc.*``  <->  ``lighting<j>.fc.0.*``, ``lt_<j>.rgb_model.conv.*``  <->
  ``lighting<j>.colour.0.*``, ``lt_<j>.rgb_model.norm.*``  <->  ``lighting<j>.colour.1.*``, ``norm.*`` unchanged
- ``{reflectance,illumination}Rec.resblocks.<i>.harmonyRecConv.conv.*``  <->
  ``{reflectance,illumination}_rec.blocks.<i>.conv.1.*``
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from harmbench.checkpoints import rename_keys
from harmbench.contract import HarmonizationMethod, TrainRecipe
from harmbench.layers.blend import composite_with_background
from harmbench.layers.checks import check_inputs
from harmbench.layers.init import init_pix2pix
from harmbench.layers.munit import Conv2dBlock, LayerNorm, res_blocks
from harmbench.layers.padding import pad_bottom_right
from harmbench.registry import MethodError, register_method

GREY_WEIGHTS = (0.2989, 0.5870, 0.1140)
SIZE_MULTIPLE = 8  # the inharmony-free features live at H/8


class Encoder(nn.Module):
    """Conv7 + ``downsamples`` stride-2 Conv4 (``norm``, LReLU), then ``blocks`` LN residual blocks."""

    def __init__(self, in_channels: int, dim: int, downsamples: int, blocks: int, norm: str = "in"):
        super().__init__()
        layers = [Conv2dBlock(in_channels, dim, 7, 1, 3, norm=norm, activation="lrelu")]
        for _ in range(downsamples):
            layers.append(Conv2dBlock(dim, dim * 2, 4, 2, 1, norm=norm, activation="lrelu"))
            dim *= 2
        self.model = nn.Sequential(*layers, res_blocks(blocks, dim, "ln", "lrelu"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


class Decoder(nn.Module):
    """``upsamples`` x [nearest x2, Conv5 halving the width, LN, LReLU], Conv7 to 3 channels, tanh; mapped to
    [0, 1] by ``y / 2 + 0.5``."""

    def __init__(self, dim: int, upsamples: int):
        super().__init__()
        layers = []
        for _ in range(upsamples):
            layers += [nn.Upsample(scale_factor=2, mode="nearest"),
                       Conv2dBlock(dim, dim // 2, 5, 1, 2, norm="ln", activation="lrelu")]
            dim //= 2
        self.model = nn.Sequential(*layers, Conv2dBlock(dim, 3, 7, 1, 3, activation="tanh"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x) / 2 + 0.5


def masked_mean(features: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """(B,C,h,w), (B,1,h,w) -> (B,C): sum(features * mask) / (sum(mask) + 1e-8) per sample and channel."""
    return (features * mask).sum((2, 3)) / (mask.sum((2, 3)) + 1e-8)


class GlobalLighting(nn.Module):
    """Foreground and background light codes: un-normalised conv features (LReLU) at H/4, masked means, and one
    shared Linear to ``light_dim``."""

    def __init__(self, in_channels: int, dim: int, downsamples: int, light_dim: int):
        super().__init__()
        self.encoder = Encoder(in_channels, dim, downsamples, 0, norm="none")
        self.fc = nn.Linear(dim * 2 ** downsamples, light_dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features = self.encoder(x)
        return self.fc(masked_mean(features, mask)), self.fc(masked_mean(features, 1 - mask))


class Lighting(nn.Module):
    """Transfers the background light to the foreground of (B,C,h,w) features.

    Each light code -> LReLU(Linear) -> intensity (C values) and colour logits (3 x C, softmax over the 3 rows).
    The features are lifted to three colour planes (Conv3x3 to 3C, GroupNorm(3), LReLU); inside the mask they become
    ``sum_k planes_k * ratio_k + (intensity_bg - intensity_fg)`` with ``ratio = colour_bg / (colour_fg + 1e-8)``.
    """

    def __init__(self, channels: int, light_dim: int):
        super().__init__()
        self.channels = channels
        self.fc = nn.Sequential(nn.Linear(light_dim, 4 * channels), nn.LeakyReLU(0.2))
        self.colour = nn.Sequential(nn.Conv2d(channels, 3 * channels, 3, padding=1, padding_mode="reflect"),
                                    nn.GroupNorm(3, 3 * channels),
                                    nn.LeakyReLU(0.2))

    def decode(self, light: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        code = self.fc(light)
        intensity, colour = code[:, :self.channels], code[:, self.channels:]
        return intensity, colour.view(-1, 3, self.channels).softmax(1)

    def forward(self, x: torch.Tensor, light_fg: torch.Tensor, light_bg: torch.Tensor,
                mask: torch.Tensor) -> torch.Tensor:
        intensity_fg, colour_fg = self.decode(light_fg)
        intensity_bg, colour_bg = self.decode(light_bg)
        ratio = colour_bg / (colour_fg + 1e-8)
        planes = self.colour(x).unflatten(1, (3, self.channels))
        transferred = (planes * ratio[..., None, None]).sum(1) + (intensity_bg - intensity_fg)[..., None, None]
        return x * (1 - mask) + transferred * mask


class LightingResBlock(nn.Module):
    """``x + LN(Lighting_2(Conv3(LReLU(LN(Lighting_1(Conv3(x)))))))`` with one LayerNorm shared by both positions."""

    def __init__(self, channels: int, light_dim: int):
        super().__init__()
        self.conv1 = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3))
        self.lighting1 = Lighting(channels, light_dim)
        self.conv2 = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3))
        self.lighting2 = Lighting(channels, light_dim)
        self.norm = LayerNorm(channels)

    def forward(self, x: torch.Tensor, light_fg: torch.Tensor, light_bg: torch.Tensor,
                mask: torch.Tensor) -> torch.Tensor:
        out = F.leaky_relu(self.norm(self.lighting1(self.conv1(x), light_fg, light_bg, mask)), 0.2)
        return x + self.norm(self.lighting2(self.conv2(out), light_fg, light_bg, mask))


class InharmonyFree(nn.Module):
    """Inharmony-free features at H/8 and the foreground-to-background attention built from them.

    Features F: Conv7 + 3 stride-2 Conv4, each LN + LReLU, ``blocks`` LN residual blocks, Conv3 + tanh. With Fc = F
    minus its channel mean at each position, ``attention[b, j, i] = softmax_j(scale * <Fc_i m_i, Fc_j (1 - m_j)>
    / (C - 1))`` for output position i and background position j. Returns (attention (B, N, N), channel mean of F
    (B,1,h,w)).
    """

    def __init__(self, in_channels: int, dim: int, blocks: int, scale: float):
        super().__init__()
        self.scale = scale
        encoder = Encoder(in_channels, dim, 3, blocks, norm="ln")
        width = dim * 8
        self.model = nn.Sequential(*encoder.model, Conv2dBlock(width, width, 3, 1, 1, activation="tanh"))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features = self.model(x)
        centred = (features - features.mean(1, keepdim=True)).flatten(2)  # (B, C, N)
        flat_mask = mask.flatten(2)
        covariance = (centred * flat_mask).transpose(1, 2) @ (centred * (1 - flat_mask)) / (features.shape[1] - 1)
        attention = (self.scale * covariance).softmax(2).transpose(1, 2)  # (B, background j, output i)
        return attention, features.mean(1, keepdim=True)


def patch_kernels(x: torch.Tensor) -> torch.Tensor:
    """(B,C,H,W) with even H, W -> (B, N, C, 4, 4): the 4 x 4 patches at stride 2 with zero padding 1 (TF "same"),
    one per position of the (H/2) x (W/2) grid in row-major order (N = H*W/4)."""
    batch, channels, height, width = x.shape
    rows, cols = height // 2, width // 2
    padded = F.pad(x, (1, 1, 1, 1))
    patches = torch.stack([padded[..., a:a + 2 * rows:2, b:b + 2 * cols:2] for a in range(4) for b in range(4)], 2)
    return patches.permute(0, 3, 4, 1, 2).reshape(batch, rows * cols, channels, 4, 4)


class HarmonyRecBlock(nn.Module):
    """``x + ReLU(Conv3(cat[x, y]))`` where y rebuilds x from attention-weighted background patches: per sample, a
    transposed convolution (stride 2, padding 1) of the attention (N channels on the H/2 grid) with x's own
    :func:`patch_kernels` as its N kernels, divided by 4."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(2 * channels, channels, 3))

    def forward(self, x: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        kernels = patch_kernels(x)
        grid = (x.shape[2] // 2, x.shape[3] // 2)
        rebuilt = torch.cat([F.conv_transpose2d(weights.unflatten(1, grid)[None], kernel, stride=2, padding=1)
                             for weights, kernel in zip(attention, kernels, strict=True)]) / 4
        return x + F.relu(self.conv(torch.cat([x, rebuilt], 1)))


class HarmonyRec(nn.Module):
    def __init__(self, channels: int, blocks: int):
        super().__init__()
        self.blocks = nn.ModuleList(HarmonyRecBlock(channels) for _ in range(blocks))

    def forward(self, x: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = block(x, attention)
        return x


@dataclass
class GuoConfig:
    ngf: int = 64
    downsamples: int = 2  # the H/4 feature scale; the inharmony-free features are one scale further down
    reflectance_res_blocks: int = 4  # r_enc_n_res
    light_dim: int = 8  # light_mlp_dim
    lighting_res_blocks: int = 4  # illumination_n_res
    inharmony_free_res_blocks: int = 6  # ifm_n_res (v1.0; 0 in the later "Delving Deep" code)
    rec_blocks: int = 2  # HarmonyRecBlocks per branch
    attention_scale: float = 10.0  # lamda of the patch relation softmax
    lambda_l1: float = 100.0
    lambda_reflectance_gradient: float = 10.0
    lambda_illumination_l2: float = 1.0
    lambda_illumination_smooth: float = 10.0
    lambda_inharmony_free: float = 100.0

    def __post_init__(self):
        if self.downsamples != 2:
            raise MethodError(f"guo: downsamples must be 2 (the inharmony-free features are at H/8), "
                              f"got {self.downsamples}")
        if self.ngf < 2 or self.ngf % 2:
            raise MethodError(f"guo: ngf must be an even number >= 2, got {self.ngf}")
        for name in ("light_dim", "rec_blocks"):
            if getattr(self, name) < 1:
                raise MethodError(f"guo: {name} must be >= 1, got {getattr(self, name)}")


class Guo(HarmonizationMethod):
    """Reflectance/illumination decomposition with lighting transfer and inharmony-free patch relation (``R * I``)."""

    def __init__(self, config: GuoConfig):
        super().__init__(config)
        ngf, downsamples = config.ngf, config.downsamples
        width = ngf * 2 ** downsamples
        self.reflectance_enc = Encoder(4, ngf, downsamples, config.reflectance_res_blocks)
        self.illumination_enc = Encoder(4, ngf, downsamples, 0)
        self.reflectance_dec = Decoder(width, downsamples)
        self.illumination_dec = Decoder(width, downsamples)
        self.lighting = GlobalLighting(4, ngf, downsamples, config.light_dim)
        self.lighting_res = nn.ModuleList(LightingResBlock(width, config.light_dim)
                                          for _ in range(config.lighting_res_blocks))
        self.ifm = InharmonyFree(4, ngf // 2, config.inharmony_free_res_blocks, config.attention_scale)
        self.reflectance_rec = HarmonyRec(width, config.rec_blocks)
        self.illumination_rec = HarmonyRec(width, config.rec_blocks)
        init_pix2pix(self)

    def forward(self, composite: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        """images: R*I pasted into the background; harmonized: R*I; reflectance, illumination: R, I (B,3,H,W) in
        [0,1]; ifm_mean: (B,1,H'/8,W'/8) channel mean of the inharmony-free features (H' = H padded to 8)."""
        check_inputs("guo", composite, mask, more_than=SIZE_MULTIPLE)
        height, width = composite.shape[2:]
        inputs = pad_bottom_right(torch.cat([composite, mask], 1), SIZE_MULTIPLE)
        padded_mask = inputs[:, 3:]
        mask_quarter = F.interpolate(padded_mask, scale_factor=1 / 4, mode="nearest")
        mask_eighth = F.interpolate(padded_mask, scale_factor=1 / 8, mode="nearest")

        attention, ifm_mean = self.ifm(inputs, mask_eighth)
        reflectance = self.reflectance_dec(self.reflectance_rec(self.reflectance_enc(inputs), attention))
        light_fg, light_bg = self.lighting(inputs, mask_quarter)
        illumination = self.illumination_enc(inputs)
        for block in self.lighting_res:
            illumination = block(illumination, light_fg, light_bg, mask_quarter)
        illumination = self.illumination_dec(self.illumination_rec(illumination, attention.detach()))

        reflectance, illumination = reflectance[..., :height, :width], illumination[..., :height, :width]
        harmonized = reflectance * illumination
        return {"images": composite_with_background(harmonized, composite, mask), "harmonized": harmonized,
                "reflectance": reflectance, "illumination": illumination, "ifm_mean": ifm_mean}

    def train_recipe(self) -> TrainRecipe:
        return TrainRecipe(lr=1e-4, betas=(0.5, 0.999), epochs=100, milestones=(), schedule="linear",
                           decay_epochs=50, batch_size=1, crop_scale=(1.0, 1.0))

    def training_losses(self, batch: dict, out: dict, discriminator: nn.Module | None = None) -> dict:
        config, target = self.config, batch["target"]
        grey = sum(w * target[:, c:c + 1] for c, w in enumerate(GREY_WEIGHTS))
        grey = F.interpolate(pad_bottom_right(grey, SIZE_MULTIPLE), size=out["ifm_mean"].shape[-2:], mode="nearest")
        return {
            "l1": config.lambda_l1 * F.l1_loss(out["harmonized"], target),
            "reflectance_gradient": config.lambda_reflectance_gradient * gradient_loss(out["reflectance"], target),
            "illumination_l2": config.lambda_illumination_l2 * F.mse_loss(out["illumination"], target),
            "illumination_smooth": config.lambda_illumination_smooth * smoothness_loss(out["illumination"]),
            "inharmony_free": config.lambda_inharmony_free * dssim_contrast_structure(out["ifm_mean"], grey),
        }


def channel_sum_gradients(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(d/dx, d/dy) of the channel sum of x: x[i, j] - x[i, j-1] and x[i, j] - x[i-1, j] with zeros outside."""
    total = x.sum(1, keepdim=True)
    padded = F.pad(total, (1, 0, 1, 0))
    return total - padded[..., 1:, :-1], total - padded[..., :-1, 1:]


def gradient_loss(reflectance: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """L1(|dR/dx|, |dT/dx|) + L1(|dR/dy|, |dT/dy|) with :func:`channel_sum_gradients`."""
    return sum(F.l1_loss(r.abs(), t.abs()) for r, t in zip(channel_sum_gradients(reflectance),
                                                           channel_sum_gradients(target), strict=True))


def smoothness_loss(illumination: torch.Tensor) -> torch.Tensor:
    """mean|d2I/dx2| + mean|d2I/dxdy| + mean|d2I/dydx| + mean|d2I/dy2| with forward differences."""
    def dx(t: torch.Tensor) -> torch.Tensor:
        return t[..., :, 1:] - t[..., :, :-1]

    def dy(t: torch.Tensor) -> torch.Tensor:
        return t[..., 1:, :] - t[..., :-1, :]

    first_x, first_y = dx(illumination), dy(illumination)
    return sum(t.abs().mean() for t in (dx(first_x), dy(first_x), dx(first_y), dy(first_y)))


def gaussian_window(size: int = 11, sigma: float = 1.5) -> torch.Tensor:
    coords = torch.arange(size, dtype=torch.float32) - size // 2
    taps = torch.exp(-coords ** 2 / (2 * sigma ** 2))
    taps = taps / taps.sum()
    return (taps[:, None] * taps[None, :])[None, None]


def dssim_contrast_structure(x: torch.Tensor, y: torch.Tensor, c2: float = 0.03 ** 2) -> torch.Tensor:
    """(1 - mean((2 s_xy + C2) / (s_x^2 + s_y^2 + C2))) / 2 on single-channel maps; local statistics from an
    11 x 11 Gaussian window (sigma 1.5) with zero padding 5."""
    window = gaussian_window().to(x)

    def blur(t: torch.Tensor) -> torch.Tensor:
        return F.conv2d(t, window, padding=window.shape[-1] // 2)

    mean_x, mean_y = blur(x), blur(y)
    var_x, var_y = blur(x * x) - mean_x ** 2, blur(y * y) - mean_y ** 2
    covariance = blur(x * y) - mean_x * mean_y
    return (1 - ((2 * covariance + c2) / (var_x + var_y + c2)).mean()) / 2


def convert_official(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """IntrinsicHarmony generator keys -> this module's (the list in the module docstring); harmbench keys pass."""
    return rename_keys(state, [
        (r"\.model\.(\d+)\.model\.(\d+)\.model\.", r".model.\1.\2.model."),
        (r"^lighting\.model\.", "lighting.encoder.model."),
        (r"^lighting\.light_mlp\.fc\.", "lighting.fc."),
        (r"^lightingRes\.resblocks\.(\d+)\.", r"lighting_res.\1."),
        (r"^(lighting_res\.\d+)\.conv_(\d)\.", r"\1.conv\2.1."),
        (r"^(lighting_res\.\d+)\.lt_(\d)\.light_mlp\.fc\.", r"\1.lighting\2.fc.0."),
        (r"^(lighting_res\.\d+)\.lt_(\d)\.rgb_model\.conv\.", r"\1.lighting\2.colour.0."),
        (r"^(lighting_res\.\d+)\.lt_(\d)\.rgb_model\.norm\.", r"\1.lighting\2.colour.1."),
        (r"^(reflectance|illumination)Rec\.resblocks\.(\d+)\.harmonyRecConv\.conv\.", r"\1_rec.blocks.\2.conv.1."),
    ])


_TINY = dict(ngf=8, reflectance_res_blocks=1, lighting_res_blocks=1, inharmony_free_res_blocks=1, rec_blocks=1)
register_method("guo", config=GuoConfig, build=Guo, tiny=_TINY, family="guo", native_size=1024, trainable=True,
                blends=True, official_weights="", convert_official=convert_official,
                paper="Guo et al., Intrinsic Image Harmonization, CVPR 2021",
                description="Retinex-style reflectance/illumination decomposition with lighting transfer and "
                            "inharmony-free patch relation")
