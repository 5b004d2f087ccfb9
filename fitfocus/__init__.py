"""fitfocus: a static site generator for workout blogs."""

__version__ = "0.1.0"
