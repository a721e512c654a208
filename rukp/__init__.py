"""rukp: a benchmark of news coverage of Russia-North Korea military cooperation."""

__version__ = "1.0.1"
