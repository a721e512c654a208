"""Baselines of rukp: majority class, TF-IDF + logistic regression (stance, events), CRF (NER).

`rukp baselines` trains, tunes, predicts and scores them with the shared scorer
(`rukp.evaluate`); `rukp preannotate` (rukp.preannotate) reuses the CRF for pre-annotation.
See docs/baselines.md.
"""

from rukp.baselines.run import load_config, run_baselines

__all__ = ["load_config", "run_baselines"]
