"""Figures reported in the CDTNet paper (Cong et al., CVPR 2022), for ``harmbench table --paper``.

Transcribed from ../shared/paper/cdtnet-cvpr2022.txt (Tables 1, 2 and 4); HAdobe5k test set, the paper's metric
definitions (our ``cdtnet`` profile), squash resize. Keys are harmbench method names where harmbench has the
method, otherwise a display name in brackets. Table 3 lives with the efficiency code.
"""

# Table 1: {size: {method: (MSE, PSNR, fMSE, SSIM)}}
TABLE1 = {
    1024: {
        "composite": (352.05, 28.10, 2122.37, 0.9642),
        "pix2pixhd": (63.45, 31.64, 332.43, 0.9135),
        "crn": (90.11, 29.77, 259.28, 0.8225),
        "hidt": (265.32, 29.95, 1501.93, 0.9628),
        "dovenet": (51.00, 34.81, 312.88, 0.9729),
        "s2am": (47.01, 35.68, 262.39, 0.9784),
        "guo": (56.34, 34.69, 417.33, 0.9471),
        "rainnet": (42.56, 36.61, 305.17, 0.9844),
        "iss2am": (25.03, 38.29, 168.85, 0.9846),
        "cdtnet-256-sim": (31.15, 37.65, 195.93, 0.9841),
        "cdtnet-256": (21.24, 38.77, 152.13, 0.9868),
    },
    2048: {
        "composite": (353.92, 28.07, 2139.97, 0.9631),
        "iss2am": (46.37, 36.57, 271.59, 0.9838),
        "cdtnet-256-sim": (41.11, 37.28, 234.06, 0.9819),
        "cdtnet-256": (29.02, 37.66, 198.85, 0.9845),
        "cdtnet-512-sim": (38.31, 37.05, 233.44, 0.9828),
        "cdtnet-512": (23.35, 38.45, 159.13, 0.9853),
    },
}

# Table 2 (256 x 256, iHarmony4): {method: {subset: (MSE, PSNR)}}
TABLE2 = {
    "iss2am": {"HCOCO": (16.48, 39.16), "HAdobe5k": (22.60, 37.24), "HFlickr": (69.67, 33.56),
               "Hday2night": (40.59, 37.72), "All": (24.65, 37.95)},
    "cdtnet-256": {"HCOCO": (16.25, 39.15), "HAdobe5k": (20.62, 38.24), "HFlickr": (68.61, 33.55),
                   "Hday2night": (36.72, 37.95), "All": (23.75, 38.23)},
}

# Table 4 (1024 x 1024 ablations): row number -> (harmbench method name, PSNR, fMSE)
TABLE4 = {
    1: ("cdtnet-256-ablate-pixel-only", 29.41, 265.2),
    2: ("cdtnet-256-ablate-rgb-only", 37.65, 195.93),
    3: ("cdtnet-256-ablate-separate-encoder", 36.86, 248.82),
    4: ("cdtnet-256-ablate-global-pool", 37.31, 217.91),
    5: ("cdtnet-256-ablate-no-lut-input", 37.29, 226.17),
    6: ("cdtnet-256-ablate-no-base-input", 37.78, 188.97),
    7: ("cdtnet-256-ablate-no-mask-input", 37.33, 202.14),
    8: ("cdtnet-256-ablate-no-feature-input", 37.64, 193.90),
    9: ("cdtnet-256-ablate-no-blending", 28.13, 688.55),
    10: ("cdtnet-256", 38.77, 152.13),
}
