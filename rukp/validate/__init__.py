"""`rukp validate`: raw provenance, annotation sets and canonical registries.

Library API (imported by Label Studio import, build and agreement):
`validate_paths`, `load_annotation_set`, `load_documents`, `load_registry`.
"""

from rukp.validate.checks import (
    check_annotation,
    check_raw,
    check_registry,
    default_paths,
    validate_paths,
)
from rukp.validate.loaders import (
    load_annotation_set,
    load_documents,
    load_registry,
    registry_path_for,
)

__all__ = [
    "check_annotation",
    "check_raw",
    "check_registry",
    "default_paths",
    "load_annotation_set",
    "load_documents",
    "load_registry",
    "registry_path_for",
    "validate_paths",
]
