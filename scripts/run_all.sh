#!/usr/bin/env bash
# The main job, from raw/ to the leaderboard. Usable on a fresh machine with only Python >= 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
R=.venv/bin/rukp
$R ingest
$R validate
