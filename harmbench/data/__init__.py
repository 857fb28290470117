"""Datasets: readers (iHarmony4 layout, real-composite folders, the synthetic set), decoding, evaluation resize."""

from harmbench.data.sample import DataError, Sample, SampleRef

__all__ = ["DataError", "Sample", "SampleRef"]
