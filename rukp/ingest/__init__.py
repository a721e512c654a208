"""Ingest: raw scraped pages → cleaned documents, dropped lines and an ingest report."""

from rukp.ingest.pipeline import CLEANER_VERSION, IngestResult, ingest

__all__ = ["CLEANER_VERSION", "IngestResult", "ingest"]
