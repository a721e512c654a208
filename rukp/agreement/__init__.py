"""`rukp agreement A B`: inter-annotator agreement between two annotation sets."""

from rukp.agreement.metrics import compute_agreement, nominal_alpha

__all__ = ["compute_agreement", "nominal_alpha"]
