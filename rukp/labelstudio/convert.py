"""Annotation records (schema/annotation.schema.json) <-> Label Studio result lists.

`to_result` writes every entity, stance and event of one document as Label Studio regions
(region id = "<kind>_<record id>", so ids survive the round trip; no ":" because the UI uses
the id in CSS class selectors); `from_result` reads a result list back, checking everything
the server does not: offsets against the document text, labels
against schema/labels.json, registry ids, and the holder/attribution rule. Problems are
collected as incidents, never raised one at a time.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rukp.errors import Incident
from rukp.labels import LabelSets
from rukp.labelstudio import config as C

ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
CANONICAL_RE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
GUIDELINES_RE = re.compile(r"^[0-9]+\.[0-9]+(\.[0-9]+)?$")
_SPLIT_IDS = re.compile(r"[\s,;]+")

KINDS = ("entity", "stance", "event")
_FRESH_PREFIX = {"entity": "e", "stance": "s", "event": "ev"}
_DOC_REGION = {C.GUIDELINES: "doc_guidelines_version", C.NOTES: "doc_notes"}


def region_id(kind: str, record_id: str) -> str:
    return f"{kind}_{record_id}"


def _span_value(start: int, end: int, text: str, **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text, **extra}


def _item(rid: str, from_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "from_name": from_name, "to_name": C.TEXT, "type": kind, "value": value}


def to_result(
    annotation: dict[str, Any], layers: Iterable[str] = C.LAYERS, doc: bool = True
) -> list[dict[str, Any]]:
    """One document's annotation -> Label Studio `result` list (for predictions or annotations).

    `layers` limits it to some layers (a pass of layer-at-a-time annotation); `doc` adds the
    document-level fields (guidelines version, notes).
    """
    layers = set(layers)
    out: list[dict[str, Any]] = []
    for e in annotation["entities"] if "entities" in layers else ():
        rid = region_id("entity", e["id"])
        s, t, x = e["start"], e["end"], e["text"]
        out.append(_item(rid, C.ENTITY, "labels", _span_value(s, t, x, labels=[e["type"]])))
        if e["canonical_id"] is not None:
            out.append(
                _item(
                    rid,
                    C.CANONICAL,
                    "textarea",
                    {"start": s, "end": t, "text": [e["canonical_id"]]},
                )
            )
    for st in annotation["stances"] if "stances" in layers else ():
        rid = region_id("stance", st["id"])
        ev = st["evidence"]
        s, t, x = ev["start"], ev["end"], ev["text"]
        out.append(_item(rid, C.STANCE, "labels", _span_value(s, t, x, labels=[st["label"]])))
        out.append(
            _item(rid, C.STANCE_TARGET, "choices", _span_value(s, t, x, choices=[st["target"]]))
        )
        out.append(
            _item(rid, C.ATTRIBUTION, "choices", _span_value(s, t, x, choices=[st["attribution"]]))
        )
        if st["holder"] is not None:
            out.append(
                _item(rid, C.HOLDER, "textarea", {"start": s, "end": t, "text": [st["holder"]]})
            )
    for ev in annotation["events"] if "events" in layers else ():
        rid = region_id("event", ev["id"])
        tr = ev["trigger"]
        s, t, x = tr["start"], tr["end"], tr["text"]
        out.append(_item(rid, C.EVENT, "labels", _span_value(s, t, x, labels=[ev["type"]])))
        out.append(
            _item(rid, C.FACTUALITY, "choices", _span_value(s, t, x, choices=[ev["factuality"]]))
        )
        if ev["mode"] is not None:
            out.append(
                _item(
                    rid,
                    C.mode_control(ev["type"]),
                    "choices",
                    _span_value(s, t, x, choices=[ev["mode"]]),
                )
            )
        if ev["sources"]:
            out.append(
                _item(
                    rid, C.SOURCES, "textarea", {"start": s, "end": t, "text": list(ev["sources"])}
                )
            )
        if ev["targets"]:
            out.append(
                _item(
                    rid, C.TARGETS, "textarea", {"start": s, "end": t, "text": list(ev["targets"])}
                )
            )
    if not doc:
        return out
    out.append(
        _item(
            _DOC_REGION[C.GUIDELINES],
            C.GUIDELINES,
            "textarea",
            {"text": [annotation["guidelines_version"]]},
        )
    )
    if annotation.get("notes"):
        out.append(
            _item(_DOC_REGION[C.NOTES], C.NOTES, "textarea", {"text": [annotation["notes"]]})
        )
    return out


def _spans(annotation: dict[str, Any], layer: str) -> list[tuple[str, int, int, str, str]]:
    """(record id, start, end, label, span text) of one layer's records."""
    out = []
    for rec in annotation.get(layer) or ():
        span = {"entities": rec, "stances": rec.get("evidence"), "events": rec.get("trigger")}[
            layer
        ]
        label = rec["type"] if layer != "stances" else rec["label"]
        out.append((rec["id"], span["start"], span["end"], label, span["text"]))
    return out


def context_result(annotation: dict[str, Any], layers: Iterable[str]) -> list[dict[str, Any]]:
    """Earlier layers as read-only regions of the hidden `context_<kind>` controls (span and
    label only: what an annotator of a later pass needs to see)."""
    out = []
    for layer in C.LAYERS:
        if layer not in set(layers):
            continue
        kind = C.LAYER_KIND[layer]
        for rid, start, end, label, text in _spans(annotation, layer):
            item = _item(
                region_id(kind, rid),
                C.context_control(kind),
                "labels",
                _span_value(start, end, text, labels=[label]),
            )
            item["readonly"] = True
            out.append(item)
    return out


def context_of(
    result: list[Any], layers: Iterable[str]
) -> tuple[dict[str, list[tuple[int, int, str]]], list[Any]]:
    """Split a pass's result list: (layer -> sorted (start, end, label) of its context regions,
    the other items). Items that are not well-formed context regions stay in the other items."""
    controls = {C.context_control(C.LAYER_KIND[layer]): layer for layer in layers}
    seen: dict[str, list[tuple[int, int, str]]] = {layer: [] for layer in layers}
    rest = []
    for item in result:
        value = item.get("value") if isinstance(item, dict) else None
        layer = controls.get(item.get("from_name")) if isinstance(item, dict) else None
        labels = value.get("labels") if isinstance(value, dict) else None
        if (
            layer
            and _is_int(value.get("start"))
            and _is_int(value.get("end"))
            and isinstance(labels, list)
            and len(labels) == 1
        ):
            seen[layer].append((value["start"], value["end"], labels[0]))
        else:
            rest.append(item)
    return {k: sorted(v) for k, v in seen.items()}, rest


def expected_context(annotation: dict[str, Any], layers: Iterable[str]) -> dict[str, list]:
    """What `context_of` must find for a pass whose context came from `annotation`."""
    return {
        layer: sorted((s, e, label) for _, s, e, label, _ in _spans(annotation, layer))
        for layer in layers
    }


@dataclass(slots=True)
class _Region:
    rid: str
    first: int  # index of its first item in the result list
    kind: str | None = None
    label: str | None = None
    start: int | None = None
    end: int | None = None
    fields: dict[str, tuple[int, Any]] = field(default_factory=dict)  # control -> (item idx, value)


@dataclass(slots=True)
class Where:
    """Where a result list came from, for incident messages."""

    file: str | None
    path: str  # JSON path of the result list, e.g. "$[3].annotations[0].result"
    task_id: Any
    annotation_id: Any
    doc_id: str | None
    what: str = "annotation"

    def at(self, suffix: str = "") -> str:
        return f"{self.path}{suffix}"

    def who(self) -> str:
        return f"task {self.task_id} {self.what} {self.annotation_id}"


def _controls(labels: LabelSets, kinds: Iterable[str] = KINDS) -> dict[str, str]:
    """Control name -> the region kind it belongs to ('doc' for document-level fields), for the
    controls of the given region kinds."""
    kinds = set(kinds) | {"doc"}
    return {k: v for k, v in _all_controls(labels).items() if v in kinds}


def _all_controls(labels: LabelSets) -> dict[str, str]:
    m = {
        C.ENTITY: "entity",
        C.CANONICAL: "entity",
        C.EVENT: "event",
        C.FACTUALITY: "event",
        C.SOURCES: "event",
        C.TARGETS: "event",
        C.STANCE: "stance",
        C.STANCE_TARGET: "stance",
        C.ATTRIBUTION: "stance",
        C.HOLDER: "stance",
        C.GUIDELINES: "doc",
        C.NOTES: "doc",
    }
    for et in labels.event_types:
        if labels.event_modes.get(et):
            m[C.mode_control(et)] = "event"
    return m


_LABEL_CONTROLS = {C.ENTITY: "entity", C.EVENT: "event", C.STANCE: "stance"}


def from_result(
    result: Any,
    text: str,
    labels: LabelSets,
    where: Where,
    registry: set[str] | None,
    *,
    layers: Iterable[str] = C.LAYERS,
    cross_checks: bool = True,
    need_guidelines: bool = True,
    reserved_ids: Iterable[str] = (),
    region_of: dict[str, str] | None = None,
) -> tuple[dict[str, Any], list[Incident]]:
    """Label Studio `result` list -> {guidelines_version, notes?, entities, stances, events}.

    `registry` is the set of known canonical ids (None: only the id pattern is checked).
    Returns the parts and the incidents; the parts are meaningful only without incidents.
    `layers` are the layers whose controls may appear (one pass of layer-at-a-time annotation
    has one); `cross_checks` off skips the checks between records (overlapping entities,
    duplicate stances: a review task holds two versions of one item); `reserved_ids` are record
    ids other layers already use; `region_of`, if given, receives record id -> region id.
    """
    incidents: list[Incident] = []

    def bad(id_: str, msg: str, loc: str, hint: str | None = None) -> None:
        incidents.append(
            Incident(
                id=id_,
                message=f"{where.who()}: {msg}",
                file=where.file,
                location=where.at(loc),
                doc_id=where.doc_id,
                hint=hint,
            )
        )

    def rbad(rid: str, *args: Any) -> None:
        if rid not in broken:
            broken.add(rid)
            bad(*args)

    controls = _controls(labels, (C.LAYER_KIND[layer] for layer in layers))
    regions: dict[str, _Region] = {}
    broken: set[str] = set()  # regions already reported: no follow-up incidents for them
    doc_fields: dict[str, tuple[int, Any]] = {}
    if not isinstance(result, list):
        bad("missing-field", "`result` is missing or not a list", "", "export the project as JSON")
        return {}, incidents

    for i, item in enumerate(result):
        loc = f"[{i}]"
        if not isinstance(item, dict):
            bad("missing-field", "result item is not an object", loc)
            continue
        from_name, typ, value, rid = (item.get(k) for k in ("from_name", "type", "value", "id"))
        if typ == "relation":
            bad(
                "unexpected-result",
                "relations are not part of the rukp config",
                loc,
                "regenerate the project config with `rukp ls config`",
            )
            continue
        if not isinstance(from_name, str) or from_name not in controls:
            bad(
                "unknown-control",
                f"unknown control {from_name!r}",
                f"{loc}.from_name",
                f"allowed: {', '.join(controls)}",
            )
            continue
        if not isinstance(value, dict):
            bad("missing-field", f"{from_name} item has no `value` object", f"{loc}.value")
            continue
        if controls[from_name] == "doc":
            if from_name in doc_fields:
                bad("duplicate-field", f"{from_name} given twice", loc)
            doc_fields[from_name] = (i, value.get("text"))
            continue
        if not isinstance(rid, str) or not rid:
            bad("missing-field", f"{from_name} item has no region `id`", f"{loc}.id")
            continue
        start, end = value.get("start"), value.get("end")
        if not (_is_int(start) and _is_int(end)):
            rbad(
                rid,
                "missing-field",
                f"region {rid!r} ({from_name}) lacks integer start/end "
                f"(found start={start!r}, end={end!r})",
                f"{loc}.value",
            )
            continue
        if not 0 <= start < end <= len(text):
            rbad(
                rid,
                "bad-offsets",
                f"region {rid!r} ({from_name}) has offsets {start}..{end}; allowed "
                f"0 <= start < end <= {len(text)} (length of the document text)",
                f"{loc}.value",
                "offsets are Python code points into the task text",
            )
            continue
        reg = regions.setdefault(rid, _Region(rid=rid, first=i))
        if reg.start is None:
            reg.start, reg.end = start, end
        elif (reg.start, reg.end) != (start, end):
            rbad(
                rid,
                "bad-offsets",
                f"region {rid!r}: {from_name} has offsets {start}..{end} but the "
                f"region is {reg.start}..{reg.end}",
                f"{loc}.value",
            )
            continue
        if from_name in _LABEL_CONTROLS:
            vals = value.get("labels")
            kind = _LABEL_CONTROLS[from_name]
            allowed = {
                "entity": labels.entity_types,
                "event": labels.event_types,
                "stance": labels.stance_labels,
            }[kind]
            if reg.kind is not None:
                rbad(rid, "duplicate-field", f"region {rid!r} has more than one label item", loc)
                continue
            if not isinstance(vals, list) or len(vals) != 1:
                rbad(
                    rid,
                    "missing-field",
                    f"region {rid!r} needs exactly one {from_name} label, found {vals!r}",
                    f"{loc}.value.labels",
                )
                continue
            if vals[0] not in allowed:
                rbad(
                    rid,
                    "unknown-label",
                    f"unknown {from_name} label {vals[0]!r}",
                    f"{loc}.value.labels[0]",
                    f"allowed: {', '.join(allowed)}",
                )
                continue
            reg.kind, reg.label = kind, vals[0]
        else:
            if from_name in reg.fields:
                rbad(rid, "duplicate-field", f"region {rid!r} has {from_name} twice", loc)
                continue
            payload = value.get("choices") if typ == "choices" else value.get("text")
            reg.fields[from_name] = (i, payload)

    parts: dict[str, Any] = {"entities": [], "stances": [], "events": []}
    used: set[str] = set(reserved_ids)  # record ids are unique across the three layers
    pending: list[tuple[_Region, str]] = []
    for reg in sorted(regions.values(), key=lambda r: r.first):
        if reg.rid in broken:
            continue
        if reg.kind is None:
            bad(
                "missing-field",
                f"region {reg.rid!r} has no entity/event/stance label",
                f"[{reg.first}]",
            )
            continue
        prefix = f"{reg.kind}_"
        own = reg.rid[len(prefix) :] if reg.rid.startswith(prefix) else None
        if own is not None and ID_RE.match(own) and own not in used:
            used.add(own)
            pending.append((reg, own))
        else:
            pending.append((reg, ""))
    counters = dict.fromkeys(KINDS, 0)

    def fresh(kind: str) -> str:
        while True:
            counters[kind] += 1
            cand = f"{_FRESH_PREFIX[kind]}{counters[kind]}"
            if cand not in used:
                used.add(cand)
                return cand

    def one_choice(
        reg: _Region, control: str, allowed: Iterable[str], required: bool
    ) -> str | None:
        if control not in reg.fields:
            if required:
                bad(
                    "missing-field",
                    f"{reg.kind} region {reg.rid!r} has no {control}",
                    f"[{reg.first}]",
                    f"choose one of: {', '.join(allowed)}",
                )
            return None
        idx, vals = reg.fields[control]
        allowed = tuple(allowed)
        if not isinstance(vals, list) or len(vals) != 1:
            bad(
                "missing-field",
                f"region {reg.rid!r} needs exactly one {control}, found {vals!r}",
                f"[{idx}].value.choices",
            )
            return None
        if vals[0] not in allowed:
            bad(
                "unknown-label",
                f"unknown {control} {vals[0]!r} in region {reg.rid!r}",
                f"[{idx}].value.choices[0]",
                f"allowed: {', '.join(allowed) or '(none)'}",
            )
            return None
        return vals[0]

    def ids_of(reg: _Region, control: str, single: bool) -> list[str]:
        if control not in reg.fields:
            return []
        idx, vals = reg.fields[control]
        if isinstance(vals, str):
            vals = [vals]
        if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
            bad(
                "missing-field",
                f"{control} of region {reg.rid!r} is not a list of strings",
                f"[{idx}].value.text",
            )
            return []
        out: list[str] = []
        for v in vals:
            for tok in _SPLIT_IDS.split(v.strip()):
                if tok and tok not in out:
                    out.append(tok)
        if single and len(out) > 1:
            bad(
                "bad-canonical-id",
                f"{control} of region {reg.rid!r} holds several ids {out}; one is allowed",
                f"[{idx}].value.text",
            )
            return []
        for tok in out:
            if not CANONICAL_RE.match(tok):
                bad(
                    "bad-canonical-id",
                    f"{control} {tok!r} of region {reg.rid!r} is not a registry id",
                    f"[{idx}].value.text",
                    "registry ids look like 'kim_jong_un'",
                )
                return []
            if registry is not None and tok not in registry:
                bad(
                    "unknown-canonical-id",
                    f"{control} {tok!r} of region {reg.rid!r} is not in the entity registry",
                    f"[{idx}].value.text",
                    "add it to annotations/entities.json or fix the id",
                )
                return []
        return out

    for reg, own in pending:
        rid = own or fresh(reg.kind)  # type: ignore[arg-type]
        if region_of is not None:
            region_of[rid] = reg.rid
        assert reg.start is not None and reg.end is not None and reg.label is not None
        span_text = text[reg.start : reg.end]
        for control, (idx, _) in reg.fields.items():
            if controls[control] != reg.kind:
                bad(
                    "misplaced-field",
                    f"{control} belongs to {controls[control]} regions, found on"
                    f" {reg.kind} region {reg.rid!r}",
                    f"[{idx}]",
                )
        if reg.kind == "entity":
            cid = ids_of(reg, C.CANONICAL, single=True)
            parts["entities"].append(
                {
                    "id": rid,
                    "start": reg.start,
                    "end": reg.end,
                    "text": span_text,
                    "type": reg.label,
                    "canonical_id": cid[0] if cid else None,
                }
            )
        elif reg.kind == "stance":
            target = one_choice(reg, C.STANCE_TARGET, labels.stance_targets, True)
            attribution = one_choice(reg, C.ATTRIBUTION, labels.stance_attributions, True)
            holder = ids_of(reg, C.HOLDER, single=True)
            h = holder[0] if holder else None
            if attribution is not None and (h is None) != (attribution == "author"):
                bad(
                    "holder-attribution",
                    f"stance region {reg.rid!r} has holder {h!r} with attribution {attribution!r}",
                    f"[{reg.first}]",
                    "the holder is empty exactly when the attribution is 'author'",
                )
            parts["stances"].append(
                {
                    "id": rid,
                    "holder": h,
                    "target": target,
                    "label": reg.label,
                    "attribution": attribution,
                    "evidence": {"start": reg.start, "end": reg.end, "text": span_text},
                }
            )
        else:
            factuality = one_choice(reg, C.FACTUALITY, labels.factuality, True)
            modes = labels.event_modes.get(reg.label, ())
            mode = None
            for control, (idx, vals) in reg.fields.items():
                if control.startswith(f"{C.EVENT_MODE}_") and control != C.mode_control(reg.label):
                    bad(
                        "unknown-label",
                        f"mode {vals!r} from {control} on a {reg.label} event (region {reg.rid!r})",
                        f"[{idx}]",
                        f"allowed modes of {reg.label}: {', '.join(modes) or '(none)'}",
                    )
            if modes:
                mode = one_choice(reg, C.mode_control(reg.label), modes, False)
            parts["events"].append(
                {
                    "id": rid,
                    "trigger": {"start": reg.start, "end": reg.end, "text": span_text},
                    "type": reg.label,
                    "mode": mode,
                    "sources": ids_of(reg, C.SOURCES, single=False),
                    "targets": ids_of(reg, C.TARGETS, single=False),
                    "factuality": factuality,
                }
            )

    ents = sorted(parts["entities"], key=lambda e: (e["start"], e["end"]))
    for a, b in itertools.pairwise(ents if cross_checks else ()):
        if b["start"] < a["end"]:
            bad(
                "overlapping-entities",
                f"entities {a['id']!r} ({a['start']}..{a['end']}) and "
                f"{b['id']!r} ({b['start']}..{b['end']}) overlap",
                "",
                "entity spans must not overlap",
            )
    seen: dict[tuple[Any, Any], str] = {}
    for st in parts["stances"] if cross_checks else ():
        key = (st["holder"], st["target"])
        if key in seen and st["target"] is not None:
            bad(
                "duplicate-stance",
                f"stances {seen[key]!r} and {st['id']!r} share holder "
                f"{st['holder']!r} and target {st['target']!r}",
                "",
                "one stance record per holder-target-document",
            )
        seen.setdefault(key, st["id"])

    gv_idx, gv = doc_fields.get(C.GUIDELINES, (None, None))
    gv_s = _join_text(gv)
    if gv_s is None:
        if need_guidelines:
            bad(
                "missing-field", "no guidelines_version", "", "fill in the guidelines version field"
            )
    elif not GUIDELINES_RE.match(gv_s):
        bad(
            "bad-guidelines-version",
            f"guidelines_version {gv_s!r} is not like '1.0' or '1.0.2'",
            f"[{gv_idx}].value.text",
        )
    parts["guidelines_version"] = gv_s
    notes = _join_text(doc_fields.get(C.NOTES, (None, None))[1])
    if notes:
        parts["notes"] = notes
    return parts, incidents


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _join_text(v: Any) -> str | None:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
        return None
    s = "\n".join(v).strip()  # the UI keeps the Enter that submitted the field
    return s or None


def assemble(
    doc_id: str, text_sha256: str, annotator: str, parts: dict[str, Any]
) -> dict[str, Any]:
    """Put the parts in the field order of schema/annotation.schema.json."""
    out: dict[str, Any] = {
        "doc_id": doc_id,
        "text_sha256": text_sha256,
        "annotator": annotator,
        "guidelines_version": parts["guidelines_version"],
    }
    if "notes" in parts:
        out["notes"] = parts["notes"]
    out["entities"] = parts["entities"]
    out["stances"] = parts["stances"]
    out["events"] = parts["events"]
    return out


def validate_annotation(
    annotation: dict[str, Any],
    text: str,
    labels: LabelSets,
    where: Where,
    registry: set[str] | None,
    to_result_fn: Callable[[dict[str, Any]], list[dict[str, Any]]] = to_result,
) -> list[Incident]:
    """Check an annotation set record by sending it through the importer's checks."""
    try:
        result = to_result_fn(annotation)
    except (KeyError, TypeError) as exc:
        return [
            Incident(
                id="missing-field",
                message=f"{where.who()}: record lacks {exc}",
                file=where.file,
                location=where.path,
                doc_id=where.doc_id,
            )
        ]
    parts, incidents = from_result(result, text, labels, where, registry)
    if incidents:
        return incidents
    out = []
    for kind, span_key in (("entities", None), ("stances", "evidence"), ("events", "trigger")):
        for i, rec in enumerate(annotation[kind]):
            span = rec if span_key is None else rec[span_key]
            if span["text"] != text[span["start"] : span["end"]]:
                out.append(
                    Incident(
                        id="span-text-mismatch",
                        message=f"{where.who()}: {kind}[{i}] text {span['text']!r} != "
                        f"document text "
                        f"{text[span['start'] : span['end']]!r} at {span['start']}..{span['end']}",
                        file=where.file,
                        location=f"$.{kind}[{i}]",
                        doc_id=where.doc_id,
                    )
                )
    if not out and {k: annotation[k] for k in ("entities", "stances", "events")} != {
        k: parts[k] for k in ("entities", "stances", "events")
    }:
        out.append(
            Incident(
                id="not-round-trippable",
                message=f"{where.who()}: the record does not "
                "survive the Label Studio round trip (ids, duplicates or order)",
                file=where.file,
                location=where.path,
                doc_id=where.doc_id,
            )
        )
    return out
