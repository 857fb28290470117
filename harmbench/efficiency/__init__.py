"""Efficiency: parameters, GMACs (fvcore's conventions), the CDTNet paper's Table 3 estimate, measured time and
peak memory.

``estimate(name, size)`` counts from the architecture; ``profile(...)`` adds measurements and builds the result
record ``harmbench profile`` writes; ``efficiency_table(summaries)`` renders Table 3 from such records.
"""

from harmbench.efficiency.estimate import UNCOUNTED_OPS, UncountedOperatorError, count_macs, estimate, paper_estimate
from harmbench.efficiency.measure import MeasureError, Variant
from harmbench.efficiency.record import profile, write_profile
from harmbench.efficiency.table import PAPER_TABLE3, efficiency_table

__all__ = ["PAPER_TABLE3", "UNCOUNTED_OPS", "MeasureError", "UncountedOperatorError", "Variant", "count_macs",
           "efficiency_table", "estimate", "paper_estimate", "profile", "write_profile"]
