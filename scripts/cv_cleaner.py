"""Cross-validated figures of the cleaner on the tuning fixtures (a development aid).

    .venv/bin/python scripts/cv_cleaner.py [--folds 5] [--pages] [--body-thresholds T ...]

The tuning pages are split in folds (by sha256 of the page); for each fold the line model is
trained on the other folds plus the seeds and hand-written test pages, and scored on the fold's
pages with rukp.ingest.quality. dev/ and the sealed parts are never touched. Prints the same
figures as `rukp ingest-eval`, so a change can be judged on pages the model did not see. With
--body-thresholds, each fold's model is also scored with its body threshold (the body's
operating point, rukp.ingest.model) replaced by each T (one row per T): the trade of line
precision against line recall, on the same folds.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "ingest"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--pages", action="store_true", help="print every page's row")
    parser.add_argument("--body-thresholds", type=float, nargs="*", default=[])
    args = parser.parse_args()
    from train_cleaner import pages

    from rukp.ingest.clean import clean_page
    from rukp.ingest.decode import decode
    from rukp.ingest.eval_cli import METRICS, SHORT, _fmt, extraction
    from rukp.ingest.model import model_from_dict
    from rukp.ingest.page import read_page
    from rukp.ingest.quality import load_fixtures, mean_scores, score_page
    from rukp.ingest.training import train

    named = pages()
    fixtures = [f for f in load_fixtures(ROOT / "tests" / "cleaning") if f.part == "tune"]
    fold_of = {
        f.id: int(hashlib.sha256(f.id.encode()).hexdigest(), 16) % args.folds for f in fixtures
    }
    settings: list[float | None] = [None, *args.body_thresholds]
    rows: dict[float | None, dict] = {t: {} for t in settings}
    for fold in range(args.folds):
        held = {fid for fid, k in fold_of.items() if k == fold}
        train_pages = [p for n, p in named if not (n.startswith("tune/") and Path(n).stem in held)]
        content = train(train_pages, [])
        pages_held = [
            (fx, read_page(fx.path.name, decode(fx.path, fx.raw()).text))
            for fx in fixtures
            if fx.id in held
        ]
        for t in settings:
            model = model_from_dict(content if t is None else {**content, "body_threshold": t})
            for fx, page in pages_held:
                ex = extraction(clean_page(page, model=model))
                rows[t][fx.id] = score_page(ex, fx.expected)
    if args.pages:
        for fid in sorted(rows[None]):
            print(f"{fid:<34} " + " ".join(f"{_fmt(rows[None][fid].get(m)):>8}" for m in METRICS))
    print(f"{'cross-validated mean':<34} " + " ".join(f"{SHORT[m]:>8}" for m in METRICS))
    for t in settings:
        m = mean_scores(rows[t].values())
        label = "model's own thresholds" if t is None else f"body threshold {t:g}"
        print(f"{label:<34} " + " ".join(f"{_fmt(m[k]):>8}" for k in METRICS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
