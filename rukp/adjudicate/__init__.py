"""Adjudication: two annotators' sets → gold (`rukp adjudicate`), and `rukp diff` of two sets."""

from rukp.adjudicate.compare import compare_documents, compare_layer, describe
from rukp.adjudicate.core import (
    check_decisions,
    gold_documents,
    list_disagreements,
    write_gold,
)

__all__ = [
    "check_decisions",
    "compare_documents",
    "compare_layer",
    "describe",
    "gold_documents",
    "list_disagreements",
    "write_gold",
]
