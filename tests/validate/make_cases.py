"""Regenerate tests/validate/cases/: one small invalid fixture per incident id.

Each case is the valid set (tests/validate/valid/) or a tiny raw/ folder with exactly one defect,
plus expected.json = {"id", "location", "path" (what to validate, relative to the case),
"documents": "seeds" | "missing", "level"}. Run: .venv/bin/python tests/validate/make_cases.py
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path

HERE = Path(__file__).parent
CASES = HERE / "cases"
DOC = "000_0c8f196507d21063"
VALID = json.loads((HERE / "valid" / f"{DOC}.json").read_text(encoding="utf-8"))
REGISTRY = json.loads((HERE / "valid" / "entities.json").read_text(encoding="utf-8"))


def dump(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def annotation_case(
    name,
    location,
    mutate=None,
    registry=None,
    file=DOC,
    level="error",
    documents="seeds",
    with_registry=True,
):
    ann = copy.deepcopy(VALID)
    if mutate:
        mutate(ann)
    folder = CASES / name
    dump(folder / "set" / f"{file}.json", ann)
    if with_registry:
        dump(folder / "set" / "entities.json", registry or REGISTRY)
    dump(
        folder / "expected.json",
        {"id": name, "location": location, "path": "set", "documents": documents, "level": level},
    )


def raw_case(name, location, rows=None, header=None, files=None, path="raw", fmt="text"):
    folder = CASES / name
    files = {"a.txt": b"Hello raw world.\n"} if files is None else files
    for fname, data in files.items():
        (folder / "raw").mkdir(parents=True, exist_ok=True)
        (folder / "raw" / fname).write_bytes(data)
    good = hashlib.sha256(b"Hello raw world.\n").hexdigest()
    rows = [["a", "a.txt", good, "en", "2024-06-24", "", "", "test"]] if rows is None else rows
    if header is None:  # the format column goes after `file` (rows are written without it)
        header = ["id", "file", "format", "sha256", "language", "published", "outlet", "url"]
        header.append("licence_note")
        if rows != "none":
            rows = [[*r[:2], fmt, *r[2:]] for r in rows]
    if rows != "none":
        lines = [",".join(header)] + [",".join(r) for r in rows]
        (folder / "raw").mkdir(parents=True, exist_ok=True)
        (folder / "raw" / "sources.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    dump(
        folder / "expected.json",
        {"id": name, "location": location, "path": path, "documents": "seeds", "level": "error"},
    )


def main() -> None:
    shutil.rmtree(CASES, ignore_errors=True)
    good = hashlib.sha256(b"Hello raw world.\n").hexdigest()

    # syntax and structure (what rukp.safeio refuses in an annotation file)
    text = json.dumps(VALID, ensure_ascii=False, indent=2)
    reading_cases = {
        # a truncated file
        "malformed-json": (text[:200].encode("utf-8"), "line 8, column 2"),
        # Latin-1 bytes: "Corée" with é as the single byte 0xe9
        "not-utf8": (text.encode("utf-8").replace("é".encode(), b"\xe9", 1), None),
        # 100 nested lists: within Python's recursion limit, over rukp's 64 levels
        "json-too-deep": (
            text.replace(
                '"annotator":', '"x": ' + "[" * 100 + "]" * 100 + ', "annotator":', 1
            ).encode(),
            None,
        ),
        # an integer of 60 digits
        "json-int-too-long": (
            text.replace('"start": 16', '"start": 1' + "0" * 59, 1).encode(),
            None,
        ),
        # NaN is not JSON
        "json-bad-constant": (text.replace('"start": 16', '"start": NaN', 1).encode(), None),
    }
    for name, (data, location) in reading_cases.items():
        folder = CASES / name / "set"
        folder.mkdir(parents=True)
        (folder / f"{DOC}.json").write_bytes(data)
        dump(folder / "entities.json", REGISTRY)
        dump(
            CASES / name / "expected.json",
            {
                "id": name,
                "location": location,
                "path": "set",
                "documents": "seeds",
                "level": "error",
            },
        )

    def set_(path, value):
        def f(ann):
            obj = ann
            for key in path[:-1]:
                obj = obj[key]
            obj[path[-1]] = value

        return f

    annotation_case("schema-violation", "$.entities[0].start", set_(["entities", 0, "start"], "16"))
    annotation_case(
        "span-out-of-range",
        "$.entities[6]",
        lambda a: a["entities"][6].update(start=5000, end=5009),
    )
    annotation_case(
        "span-text-mismatch", "$.entities[0].text", set_(["entities", 0, "text"], "Etats-Unis")
    )
    # "Corée" inside "Corée du Sud" [34, 46): a nested span
    annotation_case(
        "overlapping-entities",
        "$.entities[8]",
        lambda a: a["entities"].append(
            {
                "id": "e9",
                "start": 34,
                "end": 39,
                "text": "Corée",
                "type": "GPE",
                "canonical_id": "south_korea",
            }
        ),
    )
    annotation_case("duplicate-id", "$.events[0].id", set_(["events", 0, "id"], "e1"))
    annotation_case("unknown-label", "$.entities[5].type", set_(["entities", 5, "type"], "PERSON"))
    annotation_case(
        "unknown-canonical-id",
        "$.entities[0].canonical_id",
        set_(["entities", 0, "canonical_id"], "atlantis"),
    )
    annotation_case(
        "holder-attribution-mismatch", "$.stances[0].holder", set_(["stances", 0, "holder"], None)
    )
    annotation_case(
        "canonical-type-mismatch",
        "$.entities[3].type",
        set_(["entities", 3, "type"], "ORG"),
        level="warning",
    )
    annotation_case("text-sha256-mismatch", "$.text_sha256", set_(["text_sha256"], "0" * 64))
    annotation_case(
        "unknown-document", "$.doc_id", set_(["doc_id"], "999_nothere"), file="999_nothere"
    )
    annotation_case("doc-id-filename-mismatch", "$.doc_id", file="000_renamed")
    annotation_case(
        "duplicate-stance",
        "$.stances[1]",
        lambda a: a["stances"].append({**a["stances"][0], "id": "s2", "label": "NEUTRAL"}),
    )

    # consistency warnings (guidelines 1.3): a second DISAPPROVE of Blinken's concern in the
    # same clause ("ont exprimé leur “grave préoccupation”"), and an author stance on an epithet
    def double_coded(ann):
        text = "préoccupation"
        ann["events"].append(
            {
                **ann["events"][0],
                "id": "v3",
                "trigger": {"start": 243, "end": 243 + len(text), "text": text},
            }
        )

    annotation_case("double-coded-event", "$.events[2]", double_coded, level="warning")

    def epithet(ann):
        text = "secrétaire d’État américain"
        ann["stances"].append(
            {
                "id": "s2",
                "holder": None,
                "target": "RU-KP-MILCOOP",
                "label": "AGAINST",
                "attribution": "author",
                "evidence": {"start": 135, "end": 135 + len(text), "text": text},
            }
        )

    annotation_case(
        "author-stance-without-target-reference",
        "$.stances[1].evidence",
        epithet,
        level="warning",
    )
    annotation_case("documents-missing", None, documents="missing")
    annotation_case("registry-missing", None, with_registry=False)

    # registries
    reg = copy.deepcopy(REGISTRY)
    reg["entities"].append(copy.deepcopy(reg["entities"][0]))
    annotation_case("duplicate-registry-id", "$.entities[7].id", registry=reg)
    reg = copy.deepcopy(REGISTRY)
    reg["entities"][3]["wikidata"] = "X159"
    annotation_case("bad-wikidata-id", "$.entities[3].wikidata", registry=reg)

    # paths
    dump(
        CASES / "path-not-found" / "expected.json",
        {
            "id": "path-not-found",
            "location": None,
            "path": "no-such-folder",
            "documents": "seeds",
            "level": "error",
        },
    )
    (CASES / "unknown-path-kind").mkdir(parents=True)
    (CASES / "unknown-path-kind" / "notes.txt").write_text("not an annotation\n")
    dump(
        CASES / "unknown-path-kind" / "expected.json",
        {
            "id": "unknown-path-kind",
            "location": None,
            "path": "notes.txt",
            "documents": "seeds",
            "level": "error",
        },
    )
    dump(CASES / "empty-set" / "set" / "entities.json", REGISTRY)
    dump(
        CASES / "empty-set" / "expected.json",
        {
            "id": "empty-set",
            "location": None,
            "path": "set",
            "documents": "seeds",
            "level": "warning",
        },
    )

    # raw/
    raw_case("raw-sources-missing", None, rows="none")
    raw_case(
        "raw-column-missing",
        "line 1",
        header=["id", "file", "sha256", "language", "published", "outlet", "url"],
        rows=[["a", "a.txt", good, "en", "", "", ""]],
    )
    raw_case("raw-row-missing", None, files={"a.txt": b"Hello raw world.\n", "b.txt": b"B\n"})
    raw_case(
        "raw-file-missing",
        "line 3",
        rows=[
            ["a", "a.txt", good, "en", "", "", "", "test"],
            ["c", "c.txt", good, "en", "", "", "", "t"],
        ],
    )
    raw_case(
        "raw-sha256-mismatch", "line 2", rows=[["a", "a.txt", "0" * 64, "en", "", "", "", "t"]]
    )
    raw_case("raw-bad-language", "line 2", rows=[["a", "a.txt", good, "eng", "", "", "", "t"]])
    raw_case("raw-bad-date", "line 2", rows=[["a", "a.txt", good, "en", "2024-13-01", "", "", "t"]])
    raw_case("raw-duplicate-row", "line 3", rows=[["a", "a.txt", good, "en", "", "", "", "t"]] * 2)
    raw_case("raw-id-mismatch", "line 2", rows=[["b", "a.txt", good, "en", "", "", "", "t"]])
    raw_case("raw-bad-format", "line 2", fmt="html")
    raw_case("raw-sources-unreadable", None, rows="none")
    (CASES / "raw-sources-unreadable" / "raw" / "sources.csv").write_bytes(b"id,file\n\xff\xfe\n")


if __name__ == "__main__":
    main()
