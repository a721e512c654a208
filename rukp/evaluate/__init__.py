"""The rukp scorer: strict validation of submissions, exact metrics, bootstrap CIs, signatures."""

from rukp.evaluate.scorer import (
    METRIC,
    SCORER_VERSION,
    TASKS,
    evaluate_submission,
    format_report,
    score_task,
    signature,
)

__all__ = [
    "METRIC",
    "SCORER_VERSION",
    "TASKS",
    "evaluate_submission",
    "format_report",
    "score_task",
    "signature",
]
