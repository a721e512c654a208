"""The rukp leaderboard: signed results of scored submissions, rendered as Markdown and HTML."""

from rukp.leaderboard.core import Entry, add_submission, check_name, load_entries
from rukp.leaderboard.render import render, render_html, render_markdown

__all__ = [
    "Entry",
    "add_submission",
    "check_name",
    "load_entries",
    "render",
    "render_html",
    "render_markdown",
]
