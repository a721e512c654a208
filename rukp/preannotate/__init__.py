"""Pre-annotation for Label Studio: entities from the CRF and the canonical registry (linked, in
any script), event trigger candidates from the gold, each prediction with a model version and a
score; `rukp preannotate --eval` measures it (leave-one-document-out, fixture pages).
See docs/baselines.md ("Pre-annotation").
"""
