"""CDTNet (Cong et al., CVPR 2022): model (``cdtnet.model``), colour mapping (``cdtnet.lut``), refinement
(``cdtnet.refine``) and the Table 4 ablations (``cdtnet.ablations``), all registered in harmbench's method registry.
"""
