"""harmbench: benchmark and evaluation suite for high-resolution image harmonization."""

from harmbench.factory import create_method
from harmbench.registry import MethodError, get_method, list_methods, register_method

__version__ = "0.1.0"
__all__ = ["MethodError", "create_method", "get_method", "list_methods", "register_method", "__version__"]
