"""Building blocks shared by the method files (floor 1 of docs/layout.md).

Method files (``baselines/*``, ``cdtnet/*``) import from these modules and from the registry/contract, never from
another method file, so editing one method cannot change another. Each module is one theme:

- :mod:`~harmbench.layers.checks`: the model-contract input check (one error type: :class:`~harmbench.MethodError`);
- :mod:`~harmbench.layers.padding`: pad to a multiple of the network stride and crop back (centred or bottom-right);
- :mod:`~harmbench.layers.blend`: composite a harmonized foreground with the input background;
- :mod:`~harmbench.layers.init`: weight initialisers of the original code bases;
- :mod:`~harmbench.layers.imagenet`: ImageNet mean/std normalisation;
- :mod:`~harmbench.layers.unet`: the pix2pix U-Net level and the attention gate of DoveNet/RainNet;
- :mod:`~harmbench.layers.resnet`: pix2pixHD's residual block;
- :mod:`~harmbench.layers.munit`: MUNIT's conv/residual blocks, layer norm, AdaIN and MLP (HiDT, Guo et al.);
- :mod:`~harmbench.layers.attention_unet`: the iSSAM U-Net (spatial-separated attention, blending layer, loss);
- :mod:`~harmbench.layers.partial_conv`: partial convolution;
- :mod:`~harmbench.layers.gan`: discriminators, GAN losses and the shared domain-verification GAN training hooks;
- :mod:`~harmbench.layers.vgg`: VGG19 features, a frozen loader and pix2pixHD's perceptual loss.
- :mod:`~harmbench.layers.compiled`: when a compiled CPU kernel (numba) may stand in for torch's operators, and
  how kernels are compiled (numba's cache, or a warning without one) and threaded (the LUT, SSIM and resize kernels).

Parameter and buffer names inside these blocks are the original code's, because they form the state_dict keys of
released checkpoints.
"""
