"""Label Studio labeling config generated from schema/labels.json (never kept by hand).

Design (see docs/labelstudio.md):
- `entity` Labels: one label per entity type; per region a `canonical_id` TextArea (one
  registry id, empty for non-specific mentions).
- `event` Labels: one label per PLOVER type on the trigger span; per region `factuality`
  Choices (required), `event_mode` Choices (only generated when some type has modes),
  and `event_sources` / `event_targets` TextAreas holding registry ids, one per entry.
- `stance` Labels: one label per stance label on the evidence span; per region
  `stance_target` and `stance_attribution` Choices and a `stance_holder` TextArea (registry id,
  empty exactly when attribution is the author's own voice).
- document level: `notes` and `guidelines_version` TextAreas.

`build_config(layer=...)` gives one config per annotation pass (entities, then events, then
stances): the pass's own controls, and the earlier layers as `context_<kind>` Labels in a hidden
view, so their regions (sent as read-only predictions) are shown in their colours but no new
region of an earlier layer can be drawn. `build_review_config()` adds the adjudicator's controls.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from rukp.labels import LabelSets, load_labels

TEXT = "text"
ENTITY = "entity"
CANONICAL = "canonical_id"
EVENT = "event"
EVENT_MODE = "event_mode"
FACTUALITY = "factuality"
SOURCES = "event_sources"
TARGETS = "event_targets"
STANCE = "stance"
STANCE_TARGET = "stance_target"
ATTRIBUTION = "stance_attribution"
HOLDER = "stance_holder"
NOTES = "notes"
GUIDELINES = "guidelines_version"
REGISTRY_TEXT = "registry_ids"  # Text object listing the registry ids of a document (passes 2, 3)
REVIEW_SETTLED = "review_settled"
REVIEW_REASONS = "review_reasons"
REVIEW_REASON = "review_reason"

ALL = "all"
LAYERS = ("entities", "events", "stances")  # the order of the annotation passes
LAYER_KIND = {"entities": ENTITY, "events": EVENT, "stances": STANCE}
KIND_LAYER = {v: k for k, v in LAYER_KIND.items()}

# A fixed palette, assigned in label order, so the config is deterministic.
_PALETTE = (
    "#e6194b",
    "#3cb44b",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#42d4f4",
    "#f032e6",
    "#bfef45",
    "#fabed4",
    "#469990",
    "#dcbeff",
    "#9a6324",
    "#800000",
    "#aaffc3",
    "#808000",
    "#ffd8b1",
    "#000075",
    "#a9a9a9",
    "#ffe119",
)


def mode_control(event_type: str) -> str:
    """Name of the per-region mode Choices of one PLOVER type (only types with modes have one)."""
    return f"{EVENT_MODE}_{event_type}"


def context_control(kind: str) -> str:
    """Name of the hidden Labels control that shows an earlier layer's regions as context."""
    return f"context_{kind}"


def earlier_layers(layer: str) -> tuple[str, ...]:
    """The layers annotated before `layer` (shown to its annotators as read-only context)."""
    return () if layer == ALL else LAYERS[: LAYERS.index(layer)]


def check_layer(layer: str) -> str:
    if layer != ALL and layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; allowed: {ALL}, {', '.join(LAYERS)}")
    return layer


def _when(tag: str, label: str | None = None) -> str:
    """Visibility of a per-region control; Label Studio also scopes `required` checks by it
    (without it a required event field would be demanded of entity regions too)."""
    extra = f" whenLabelValue={quoteattr(label)}" if label else ""
    return f'visibleWhen="region-selected" whenTagName="{tag}"{extra}'


def _descriptions(labels: LabelSets, key: str) -> dict[str, str]:
    return {
        item["id"]: str(item.get("description") or item.get("quad") or "")
        for item in labels.raw.get(key, [])
    }


def _label_tags(values: tuple[str, ...], hints: dict[str, str], indent: str) -> list[str]:
    out = []
    for i, v in enumerate(values):
        hint = hints.get(v, "")
        hint_attr = f" hint={quoteattr(hint)}" if hint else ""
        out.append(
            f"{indent}<Label value={quoteattr(v)}"
            f" background={quoteattr(_PALETTE[i % len(_PALETTE)])}{hint_attr}/>"
        )
    return out


def _choice_tags(values: tuple[str, ...], hints: dict[str, str], indent: str) -> list[str]:
    out = []
    for v in values:
        hint = hints.get(v, "")
        hint_attr = f" hint={quoteattr(hint)}" if hint else ""
        out.append(f"{indent}<Choice value={quoteattr(v)}{hint_attr}/>")
    return out


_I1, _I2 = "  ", "    "
# Context regions get one muted colour per layer, so they stand apart from the pass's own labels.
_CONTEXT_COLOUR = {ENTITY: "#d0d0d0", EVENT: "#f0dca8", STANCE: "#c8dcf0"}


def _labels_block(lb: LabelSets, kind: str) -> list[str]:
    """Header and Labels of one layer, as the annotator sees them."""
    title, values, key = {
        ENTITY: ("Entities", lb.entity_types, "entity_types"),
        EVENT: ("Event triggers (PLOVER)", lb.event_types, "event_types"),
        STANCE: ("Stance evidence", lb.stance_labels, "stance_labels"),
    }[kind]
    return [
        f'{_I1}<Header value="{title}" size="5"/>',
        f'{_I1}<Labels name="{kind}" toName="{TEXT}" showInline="true">',
        *_label_tags(values, _descriptions(lb, key), _I2),
        f"{_I1}</Labels>",
    ]


def _context_block(lb: LabelSets, layers: tuple[str, ...]) -> list[str]:
    """Hidden Labels for the earlier layers: their read-only regions keep their colours, but
    their labels cannot be picked, so no region of an earlier layer can be drawn."""
    if not layers:
        return []
    out = [f'{_I1}<View style="display: none">']
    for layer in layers:
        kind = LAYER_KIND[layer]
        values = {ENTITY: lb.entity_types, EVENT: lb.event_types, STANCE: lb.stance_labels}[kind]
        colour = quoteattr(_CONTEXT_COLOUR[kind])
        out += [
            f'{_I2}<Labels name="{context_control(kind)}" toName="{TEXT}">',
            *(f"{_I2}{_I1}<Label value={quoteattr(v)} background={colour}/>" for v in values),
            f"{_I2}</Labels>",
        ]
    out.append(f"{_I1}</View>")
    return out


def _entity_fields(lb: LabelSets) -> list[str]:
    i1, i2 = _I1, _I2
    return [
        f'{i1}<View visibleWhen="region-selected" whenTagName="{ENTITY}">',
        f'{i2}<Header value="Canonical id (registry id; empty for a non-specific mention)"'
        ' size="6"/>',
        f'{i2}<TextArea name="{CANONICAL}" toName="{TEXT}" perRegion="true"'
        f' {_when(ENTITY)} maxSubmissions="1"'
        ' editable="true" rows="1"/>',
        f"{i1}</View>",
    ]


def _event_fields(lb: LabelSets) -> list[str]:
    i1, i2 = _I1, _I2
    lines = [
        f'{i1}<View visibleWhen="region-selected" whenTagName="{EVENT}">',
        f'{i2}<Header value="Factuality" size="6"/>',
        f'{i2}<Choices name="{FACTUALITY}" toName="{TEXT}" perRegion="true"'
        f' {_when(EVENT)} required="true"'
        ' choice="single" showInline="true">',
        *_choice_tags(lb.factuality, _descriptions(lb, "factuality"), i2 + i1),
        f"{i2}</Choices>",
    ]
    for et in lb.event_types:
        modes = lb.event_modes.get(et, ())
        if not modes:
            continue
        lines += [
            f'{i2}<View visibleWhen="region-selected" whenTagName="{EVENT}"'
            f" whenLabelValue={quoteattr(et)}>",
            f'{i2}{i1}<Header value={quoteattr(f"Mode of {et}")} size="6"/>',
            f'{i2}{i1}<Choices name={quoteattr(mode_control(et))} toName="{TEXT}"'
            f' perRegion="true" {_when(EVENT, et)} choice="single" showInline="true">',
            *_choice_tags(modes, {}, i2 + i1 + i1),
            f"{i2}{i1}</Choices>",
            f"{i2}</View>",
        ]
    lines += [
        f'{i2}<Header value="Sources (registry ids, one per entry)" size="6"/>',
        f'{i2}<TextArea name="{SOURCES}" toName="{TEXT}" perRegion="true"'
        f' {_when(EVENT)} editable="true"'
        ' skipDuplicates="true" rows="1"/>',
        f'{i2}<Header value="Targets (registry ids, one per entry)" size="6"/>',
        f'{i2}<TextArea name="{TARGETS}" toName="{TEXT}" perRegion="true"'
        f' {_when(EVENT)} editable="true"'
        ' skipDuplicates="true" rows="1"/>',
        f"{i1}</View>",
    ]
    return lines


def _stance_fields(lb: LabelSets) -> list[str]:
    i1, i2 = _I1, _I2
    return [
        f'{i1}<View visibleWhen="region-selected" whenTagName="{STANCE}">',
        f'{i2}<Header value="Stance target" size="6"/>',
        f'{i2}<Choices name="{STANCE_TARGET}" toName="{TEXT}" perRegion="true"'
        f' {_when(STANCE)} required="true"'
        ' choice="single" showInline="true">',
        *_choice_tags(lb.stance_targets, {}, i2 + i1),
        f"{i2}</Choices>",
        f'{i2}<Header value="Attribution" size="6"/>',
        f'{i2}<Choices name="{ATTRIBUTION}" toName="{TEXT}" perRegion="true"'
        f' {_when(STANCE)} required="true"'
        ' choice="single" showInline="true">',
        *_choice_tags(lb.stance_attributions, _descriptions(lb, "stance_attributions"), i2 + i1),
        f"{i2}</Choices>",
        f'{i2}<Header value="Holder (registry id; empty exactly for the author\'s own voice)"'
        ' size="6"/>',
        f'{i2}<TextArea name="{HOLDER}" toName="{TEXT}" perRegion="true"'
        f' {_when(STANCE)} maxSubmissions="1"'
        ' editable="true" rows="1"/>',
        f"{i1}</View>",
    ]


_FIELDS = {ENTITY: _entity_fields, EVENT: _event_fields, STANCE: _stance_fields}


def _doc_fields() -> list[str]:
    i1 = _I1
    return [
        f'{i1}<Header value="Guidelines version" size="6"/>',
        f'{i1}<TextArea name="{GUIDELINES}" toName="{TEXT}" maxSubmissions="1" editable="true"'
        ' required="true" rows="1"/>',
        f'{i1}<Header value="Annotator notes" size="6"/>',
        f'{i1}<TextArea name="{NOTES}" toName="{TEXT}" maxSubmissions="1" editable="true"'
        ' rows="3"/>',
    ]


def _head(lb: LabelSets, what: str) -> list[str]:
    return [
        "<View>",
        f"{_I1}<!-- generated by `rukp ls config`{what} from schema/labels.json version"
        f" {lb.version}; do not edit by hand -->",
        f"{_I1}<Style>.htx-text {{ white-space: pre-wrap; }}</Style>",
        f'{_I1}<Header value="$doc_id"/>',
    ]


def build_config(labels: LabelSets | None = None, layer: str = ALL) -> str:
    """Return the labeling config XML for the label sets (default: schema/labels.json).

    `layer` is `all` (every layer in one view) or one pass: `entities`, `events`, `stances`.
    """
    lb = labels or load_labels()
    check_layer(layer)
    if layer == ALL:
        kinds: tuple[str, ...] = (ENTITY, EVENT, STANCE)
        lines = _head(lb, "")
    else:
        kinds = (LAYER_KIND[layer],)
        n = LAYERS.index(layer) + 1
        before = earlier_layers(layer)
        shown = f"; {' and '.join(before)} shown read-only (locked regions)" if before else ""
        lines = _head(lb, f" (layer {layer})")
        lines.append(
            f"{_I1}<Header value={quoteattr(f'Pass {n} of {len(LAYERS)}: {layer}{shown}')}"
            ' size="4"/>'
        )
    for kind in kinds:
        lines += _labels_block(lb, kind)
    lines.append(f'{_I1}<Text name="{TEXT}" value="$text" granularity="symbol"/>')
    if layer != ALL:
        lines += _context_block(lb, earlier_layers(layer))
    for kind in kinds:
        lines += _FIELDS[kind](lb)
    if layer not in (ALL, LAYERS[0]):
        lines += [
            f'{_I1}<Header value="Registry ids of this document\'s entity mentions" size="6"/>',
            f'{_I1}<Text name="{REGISTRY_TEXT}" value="${REGISTRY_TEXT}"/>',
        ]
    lines += _doc_fields()
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def build_review_config(labels: LabelSets | None = None) -> str:
    """The adjudicator's config: every layer, plus a checklist of the document's disagreements
    (choices filled from the task's `review_items`), a per-region reason and a reasons field."""
    lb = labels or load_labels()
    i1, i2 = _I1, _I2
    lines = _head(lb, " (review)")
    lines += [
        f'{i1}<Header value="Disagreements: tick each one once settled" size="4"/>',
        f'{i1}<Choices name="{REVIEW_SETTLED}" toName="{TEXT}" choice="multiple"'
        f' value="$review_items"/>',
    ]
    for kind in (ENTITY, EVENT, STANCE):
        lines += _labels_block(lb, kind)
    lines.append(f'{i1}<Text name="{TEXT}" value="$text" granularity="symbol"/>')
    for kind in (ENTITY, EVENT, STANCE):
        lines += _FIELDS[kind](lb)
    lines += [
        f'{i1}<View visibleWhen="region-selected">',
        f'{i2}<Header value="Reason for keeping this region as it is (adjudication log)"'
        ' size="6"/>',
        f'{i2}<TextArea name="{REVIEW_REASON}" toName="{TEXT}" perRegion="true"'
        ' visibleWhen="region-selected" maxSubmissions="1" editable="true" rows="1"/>',
        f"{i1}</View>",
        f'{i1}<Header value="Reasons, one line per disagreement: d0001: …" size="6"/>',
        f'{i1}<TextArea name="{REVIEW_REASONS}" toName="{TEXT}" maxSubmissions="1"'
        ' editable="true" rows="4"/>',
        "</View>",
    ]
    return "\n".join(lines) + "\n"
