#!/usr/bin/env bash
# The main job, from raw/ to the leaderboard, on a fresh machine with only Python >= 3.11:
# ingest -> validate -> agreement -> build --check -> baselines -> pre-annotation eval -> scoring
# -> leaderboard -> card.
# Every step is deterministic, so on an unchanged checkout the files it rewrites come out
# byte-identical to the committed ones; the last step says whether they did.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
bash scripts/setup.sh
R=.venv/bin/rukp
step() { printf '\n== %s\n' "$*"; }

step "ingest raw/ -> build/ingest/"
$R ingest
step "validate raw provenance, annotation sets A, B, C, gold and the registry"
$R validate
step "inter-annotator agreement A vs C -> annotations/AGREEMENT.md (A vs B -> AGREEMENT_A_B.md)"
$R agreement annotations/A annotations/C --out annotations/AGREEMENT.md
$R agreement annotations/A annotations/B --out annotations/AGREEMENT_A_B.md
step "build check: split leakage, and the committed release must equal a fresh build"
$R build --check
step "baselines: train, tune on validation, test, leave-one-document-out CV -> baselines/results/"
$R baselines
step "pre-annotation: registry aliases up to date; LODO on the seeds and the fixture pages (docs/baselines.md)"
$R preannotate --check-aliases
$R preannotate --eval --pages tests/preannotate/pages --report build/preannotate/eval.json
step "score the baselines' test predictions and add them to the leaderboard"
describe() {
  case "$1" in
    majority) echo "Majority class (NER: all O; stance: most frequent train label; events: most frequent train type set)." ;;
    tfidf-lr) echo "TF-IDF character n-grams (char_wb 2-5) + logistic regression (one-vs-rest for events), C tuned on validation." ;;
    crf) echo "CRF (sklearn-crfsuite) with language-independent token features, c1/c2 tuned on validation." ;;
    *) echo "Baseline $1 (see docs/baselines.md)." ;;
  esac
}
# `leaderboard add` scores each file with the same library call as `rukp evaluate` and prints one
# line and one signature per score (`rukp evaluate --task T --predictions F` gives the full report)
for f in baselines/results/predictions/*.test.jsonl; do
  b=$(basename "$f" .test.jsonl); system=${b%.*}; task=${b##*.}
  $R leaderboard add --name "$system" --task "$task" --predictions "$f" --split test \
    --description "$(describe "$system")" --replace
done
$R leaderboard render
step "rebuild the release card with the current results, then check it again"
$R build
$R build --check

step "reproducibility"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if git diff --quiet -- release baselines/results leaderboard annotations/AGREEMENT.md annotations/AGREEMENT_A_B.md; then
    echo "release/, baselines/results/, leaderboard/ and the AGREEMENT files reproduced the committed files byte for byte"
  else
    echo "these files differ from the committed ones (inputs changed?):"
    git diff --stat -- release baselines/results leaderboard annotations/AGREEMENT.md annotations/AGREEMENT_A_B.md
  fi
fi
step "headline test scores (leaderboard/leaderboard.md has every metric, CI and signature)"
$R leaderboard show
echo "main job finished in $(( $(date +%s) - t0 )) s"
