"""Check entity-annotated texts: python3 check.py FOLDER (standard library only)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = {t["id"] for t in json.loads((HERE / "entity_types.json").read_text(encoding="utf-8"))}
REGISTRY = {
    e["id"]: e["type"] for e in json.loads((HERE / "registry.json").read_text())["entities"]
}


def main(folder: Path) -> int:
    errors = 0
    declared: dict[str, str] = {}
    files = sorted(folder.glob("*.json"))

    def err(name: str, msg: str) -> None:
        nonlocal errors
        errors += 1
        print(f"ERROR {name}: {msg}")

    docs = []
    for path in files:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            err(path.name, f"not UTF-8 JSON: {exc}")
            continue
        docs.append((path.name, doc))
        for ref in doc.get("new_referents", []):
            if ref["id"] in REGISTRY:
                err(path.name, f"new referent {ref['id']!r} is already in the registry")
            if ref["type"] not in TYPES:
                err(path.name, f"new referent {ref['id']!r} has unknown type {ref['type']!r}")
            if declared.get(ref["id"], ref["type"]) != ref["type"]:
                err(path.name, f"new referent {ref['id']!r} declared with two types")
            declared[ref["id"]] = ref["type"]
            if not re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", ref["id"]):
                err(path.name, f"id {ref['id']!r} is not lower_snake_case ASCII")
    known = {**REGISTRY, **declared}
    for name, doc in docs:
        for key in ("id", "lang", "text", "entities", "new_referents", "notes"):
            if key not in doc:
                err(name, f"missing field {key!r}")
        if errors:
            continue
        if doc["id"] != name[:-5]:
            err(name, "id differs from the file name")
        text = doc["text"]
        last_end = 0
        for i, ent in enumerate(doc["entities"]):
            where = f"entities[{i}]"
            s, e = ent.get("start"), ent.get("end")
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                err(name, f"{where}: bad offsets {s}, {e}")
                continue
            if text[s:e] != ent.get("text"):
                err(name, f"{where}: text[{s}:{e}] is {text[s:e]!r}, not {ent.get('text')!r}")
            if (
                text[s:e] != text[s:e].strip()
                or text[s] in '.,;:!?"«»“”()'
                or text[e - 1] in '.,;:!?"«»“”()'
            ):
                err(name, f"{where}: span {text[s:e]!r} starts or ends with space or punctuation")
            if s < last_end:
                err(name, f"{where}: overlaps the previous span or is out of text order")
            last_end = max(last_end, e)
            if ent.get("type") not in TYPES:
                err(name, f"{where}: unknown type {ent.get('type')!r}")
            cid = ent.get("canonical_id")
            if cid is None:
                if ent.get("type") != "WEA":
                    err(name, f"{where}: canonical_id null is allowed only for generic WEA")
            elif cid not in known:
                err(name, f"{where}: canonical_id {cid!r} is neither in the registry nor declared")
            elif known[cid] != ent.get("type"):
                err(name, f"{where}: type {ent.get('type')} but {cid!r} is a {known[cid]}")
        n = len(doc["entities"])
        if n < 20:
            print(f"note  {name}: only {n} entities")
        print(f"ok    {name}: {n} entities, {len(text)} characters")
    print(f"{len(docs)} files, {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
