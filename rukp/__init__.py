"""rukp: a benchmark of news coverage of Russia-North Korea military cooperation."""

__version__ = "2.5.3"
