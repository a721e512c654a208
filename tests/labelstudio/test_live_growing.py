"""Live: the whole path of docs/growing.md through a real Label Studio, on a copy of the repository.

Two pages of the test's own (a Portuguese HTML page and a Ukrainian text page; release 1.0.x has
neither language) go through add → ingest → preannotate → three passes for two annotators, D and
E, in their own projects (`rukp ls push/pull --annotators --layer`; the SDK creates both accounts
and submits their annotations) → agreement → adjudicate (four disagreements) → review tasks →
the adjudicator's decisions, made through the review tasks (SDK) → review pull → adjudicate
--decisions → a new minor data version → build → `load_dataset` (the new documents, the old rows
and splits unchanged) → baselines → leaderboard on the new data version → the card rebuilt and
the registry's aliases refreshed, so that what CI and the main job check passes on the grown
checkout. Pre-annotation and every push take the documents still to annotate by default: the two
new pages, never the five seeds, which have gold. The server is the session's (conftest.py); the
real raw/, annotations/ and release/ are checked to be untouched.

What the annotators do (hand-chosen, so every expected value below is known in advance):
- entities: both start from the pre-annotation. D links «Пхеньяном» (Moscow's cooperation "with
  Pyongyang": the state, GUIDELINES §1.3) to north_korea instead of the pre-annotated city and
  adds «Києві» (missed by the pre-annotation); E adds «Києві» too and widens «munições» to
  «munições de artilharia».
- events: both mark «засудив» (DISAPPROVE) and «recebeu» (CONSULT); only D gives the mode visit.
- stances: both mark Zelensky's stance; only D marks the State Department's warning.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from rukp.adjudicate.core import next_round
from rukp.cli import main
from rukp.labelstudio.client import find_project
from rukp.labelstudio.data import load_set
from rukp.labelstudio.tasks import prediction_meta
from rukp.paths import repo_root
from rukp.safeio import read_jsonl

from .live import Live

pytestmark = pytest.mark.live

ROOT = repo_root()
OLD = (ROOT / "DATA_VERSION").read_text(encoding="utf-8").strip()  # the committed data version
_major, _minor, _ = (int(x) for x in OLD.split("."))
NEW = f"{_major}.{_minor + 1}.0"
COPIED = ("raw", "splits", "annotations", "schema", "release", "baselines", "leaderboard")
COPIED_FILES = ("DATA_VERSION", "CHANGELOG.md", "dataset_card.md")
OLD_SPLITS = {
    "000_0c8f196507d21063": "train",
    "001_f1f761c062743d2a": "train",
    "002_fcbf21f80f75232e": "train",
    "003_522fb53f6a6fd6fe": "test",
    "004_25ce6273a6f2b184": "validation",
}
TITLE = "rukp grow"
ANNOTATORS = {"D": "grow-d@rukp.test", "E": "grow-e@rukp.test"}
SPEC = ",".join(f"{k}={v}" for k, v in ANNOTATORS.items())

PORTUGUESE_HTML = """<!DOCTYPE html>
<html lang="pt">
<head>
<meta charset="utf-8">
<title>Putin recebe Kim Jong Un no Cosmódromo de Vostochny | Jornal de Exemplo</title>
<meta property="og:title" content="Putin recebe Kim Jong Un no Cosmódromo de Vostochny">
<meta property="article:published_time" content="2023-09-13T16:40:00+01:00">
<link rel="canonical" href="https://www.jornal-exemplo.pt/mundo/putin-kim-vostochny">
</head>
<body>
<header class="site-header"><nav><a href="/">Início</a> <a href="/mundo">Mundo</a> \
<a href="/economia">Economia</a> <a href="/desporto">Desporto</a></nav></header>
<main>
<article>
<h1>Putin recebe Kim Jong Un no Cosmódromo de Vostochny</h1>
<p class="byline">Redação, 13 de setembro de 2023</p>
<p>O Presidente russo, Vladimir Putin, recebeu esta quarta-feira o líder da Coreia do Norte, \
Kim Jong Un, no Cosmódromo de Vostochny, no Extremo Oriente russo, para uma cimeira que os \
Estados Unidos acompanham com preocupação.</p>
<p>Segundo a agência TASS, os dois dirigentes visitaram as instalações de lançamento e \
discutiram a cooperação militar e espacial. Putin afirmou que a Rússia está disposta a ajudar \
Pyongyang a construir satélites, sem dar mais pormenores sobre o acordo.</p>
<p>Em Washington, o Departamento de Estado avisou que qualquer venda de armas da Coreia do \
Norte à Rússia violaria as resoluções do Conselho de Segurança da ONU. A Coreia do Sul e o \
Japão anunciaram consultas com os seus aliados para responder ao encontro.</p>
<p>Analistas ouvidos pelo jornal consideram que Moscovo procura munições de artilharia para a \
guerra na Ucrânia, enquanto o regime norte-coreano espera receber tecnologia para o seu \
programa de mísseis.</p>
</article>
</main>
<footer><p>© 2023 Jornal de Exemplo. Todos os direitos reservados.</p> \
<a href="/privacidade">Privacidade</a></footer>
</body>
</html>
"""
UKRAINIAN = "\n\n".join(
    [
        "Розвідка Південної Кореї: до Росії прибули тисячі військових КНДР",
        "Розвідка Південної Кореї повідомила в п'ятницю, що Північна Корея відправила до Росії "
        "близько 1500 військових сил спеціальних операцій. За її даними, їх перевезли "
        "російськими кораблями до Владивостока, де вони проходять навчання на військових базах.",
        "У Кремлі ці повідомлення не коментують. Речник Кремля Дмитро Пєсков назвав їх "
        "«черговою інформаційною кампанією» і відмовився відповідати на запитання журналістів "
        "про можливу участь північнокорейських солдатів у боях на Курщині.",
        "У Києві заяву розвідки сприйняли як підтвердження власних даних. Президент України "
        "Володимир Зеленський засудив співпрацю Москви з Пхеньяном і заявив, що участь КНДР у "
        "війні загрожує не лише Україні, а й усій Європі.",
        "Генеральний секретар НАТО Марк Рютте сказав, що альянс поки не може підтвердити ці "
        "дані, але назвав можливу відправку військ значною ескалацією. Пентагон заявив, що "
        "уважно стежить за ситуацією.\n",
    ]
)
# the pages' first paragraph: the cleaned text must start with the headline, then this
PT_FIRST = "O Presidente russo, Vladimir Putin, recebeu esta quarta-feira"
UK_FIRST = "Розвідка Південної Кореї повідомила в п'ятницю"


def _fingerprint(root: Path) -> str:
    """sha256 over the names and bytes of what the test must never touch in the checkout."""
    h = hashlib.sha256()
    for name in (*COPIED, *COPIED_FILES):
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A copy of the repository's data under tmp_path; RUKP_ROOT points at it."""
    before = _fingerprint(ROOT)
    root = tmp_path / "rukp"
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name)
    for name in COPIED_FILES:
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "release", tmp_path / "release-committed")  # to compare rows with
    monkeypatch.setenv("RUKP_ROOT", str(root))
    monkeypatch.chdir(root)
    yield root
    assert _fingerprint(ROOT) == before, "the test changed the real checkout"


def _region(
    rid: str, text: str, surface: str, control: str, label: str, fields: dict[str, Any]
) -> list[dict[str, Any]]:
    """A region as the editor stores one drawn by hand: the span with its label, then one item
    per field (a per-region choice or text area) under the same region id."""
    start = text.index(surface)
    span = {"start": start, "end": start + len(surface)}
    out = [{"id": rid, "from_name": control, "to_name": "text", "type": "labels",
            "value": {**span, "text": surface, "labels": [label]}}]  # fmt: skip
    for name, value in fields.items():
        if isinstance(value, list):  # a text area: one entry per line
            out.append({"id": rid, "from_name": name, "to_name": "text", "type": "textarea",
                        "value": {**span, "text": value}})  # fmt: skip
        else:
            out.append({"id": rid, "from_name": name, "to_name": "text", "type": "choices",
                        "value": {**span, "text": surface, "choices": [value]}})  # fmt: skip
    return out


def _item_of(result: list[dict[str, Any]], text: str, surface: str, control: str) -> str:
    """The id of the region of `control` whose span is `surface` (its only occurrence)."""
    start = text.index(surface)
    assert text.find(surface, start + 1) == -1, f"{surface!r} occurs twice"
    ids = [
        i["id"]
        for i in result
        if i["from_name"] == control
        and (i["value"]["start"], i["value"]["end"]) == (start, start + len(surface))
    ]
    assert len(ids) == 1, f"no pre-annotated region {surface!r}: {ids}"
    return ids[0]


def _kyiv(text: str, rid: str) -> list[dict[str, Any]]:
    return _region(rid, text, "Києві", "entity", "GPE", {"canonical_id": ["ukraine"]})


def _edit(annotator: str, layer: str, lang: str, text: str, result: list[dict[str, Any]]) -> None:
    """What annotator D or E changes in one task of one pass (see the module docstring)."""
    if layer == "entities" and lang == "uk":
        result += _kyiv(text, f"kyiv-{annotator}")
        if annotator == "D":  # Moscow's cooperation with Pyongyang: the state (§1.3)
            rid = _item_of(result, text, "Пхеньяном", "entity")
            area = next(i for i in result if i["id"] == rid and i["from_name"] == "canonical_id")
            assert area["value"]["text"] == ["pyongyang"]  # the pre-annotation's city
            area["value"]["text"] = ["north_korea"]
    elif layer == "entities" and annotator == "E":  # lang == "pt"
        rid = _item_of(result, text, "munições", "entity")
        longer = "munições de artilharia"
        start = text.index(longer)
        for item in (i for i in result if i["id"] == rid):
            item["value"].update(start=start, end=start + len(longer), text=longer)
    elif layer == "events" and lang == "uk":
        result += _region("ev-u", text, "засудив", "event", "DISAPPROVE", {
            "factuality": "asserted", "event_mode_DISAPPROVE": "disapprove",
            "event_sources": ["volodymyr_zelensky"],
            "event_targets": ["russia", "north_korea"]})  # fmt: skip
    elif layer == "events":
        mode = {"event_mode_CONSULT": "visit"} if annotator == "D" else {}
        result += _region("ev-p", text, "recebeu", "event", "CONSULT", {
            "factuality": "asserted", **mode, "event_sources": ["kim_jong_un"],
            "event_targets": ["vladimir_putin"]})  # fmt: skip
    elif layer == "stances" and (lang == "uk" or annotator == "D"):
        evidence, holder = {
            "uk": ("засудив співпрацю Москви з Пхеньяном", "volodymyr_zelensky"),
            "pt": ("violaria as resoluções do Conselho de Segurança da ONU",
                   "us_department_of_state"),
        }[lang]  # fmt: skip
        result += _region(f"st-{lang}", text, evidence, "stance", "AGAINST", {
            "stance_target": "RU-KP-MILCOOP", "stance_attribution": "reported",
            "stance_holder": [holder]})  # fmt: skip


def _annotate(sdk: Any, title: str, user: int, annotator: str, layer: str, new: dict) -> int:
    """`user` submits each task, starting from its pre-annotation; the project holds the new
    documents only (the seeds have gold: push leaves them out)."""
    project = find_project(sdk, title)
    assert project is not None, title
    tasks = list(sdk.tasks.list(project=project.id, fields="all"))
    assert sorted(t.data["doc_id"] for t in tasks) == sorted(new), title
    n = 0
    for task in tasks:
        doc_id = task.data["doc_id"]
        (pred,) = list(sdk.predictions.list(task=task.id))
        result = copy.deepcopy(pred.result)
        _edit(annotator, layer, new[doc_id], task.data["text"], result)
        sdk.annotations.create(
            id=task.id, result=result, completed_by=user, lead_time=5.0, was_cancelled=False
        )
        n += 1
    return n


def _bare(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A layer's items without their ids, in a fixed order: gold renumbers the ids and lists
    the items in text order, a pulled set keeps the editor's order (drawn regions last)."""
    bare = [{k: v for k, v in it.items() if k != "id"} for it in items]
    return sorted(bare, key=lambda it: json.dumps(it, sort_keys=True, ensure_ascii=False))


def _sources(root: Path) -> dict[str, dict[str, str]]:
    with open(root / "raw" / "sources.csv", encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def test_new_pages_through_label_studio_to_a_new_data_version(
    live: Live, sdk: Any, repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datasets import load_dataset

    server = ["--url", live.url, "--token", live.token, "--project-title", TITLE]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "putin-kim-vostochny.html").write_text(PORTUGUESE_HTML, encoding="utf-8")
    (incoming / "vijska-kndr.txt").write_text(UKRAINIAN, encoding="utf-8")

    # 1. add: both pages join the story they report on
    licence = ["--licence", "written for the rukp tests"]
    for page, story in (("putin-kim-vostochny.html", "2023-09-putin-kim-summit"),
                        ("vijska-kndr.txt", "2024-10-troop-deployment")):  # fmt: skip
        assert main(["add", str(incoming / page), "--story", story, *licence]) == 0
    rows = _sources(repo)
    pt = next(d for d, r in rows.items() if r["language"] == "pt")
    uk = next(d for d, r in rows.items() if r["language"] == "uk")
    new = {pt: "pt", uk: "uk"}
    assert (pt[:4], uk[:4], rows[pt]["format"], rows[uk]["format"]) == (
        "005_", "006_", "html", "text")  # fmt: skip
    # what the cleaner read from the HTML page's metadata
    assert rows[pt]["published"] == "2023-09-13"
    assert rows[pt]["url"] == "https://www.jornal-exemplo.pt/mundo/putin-kim-vostochny"

    # 2. ingest: cleaner 2.0 takes both pages as articles (headline + four paragraphs)
    assert main(["ingest"]) == 0
    assert main(["validate", "raw"]) == 0
    rows = read_jsonl(repo / "build/ingest/documents.jsonl", "documents")
    docs = {r["doc_id"]: r for _, r in rows}
    for d, first in ((pt, PT_FIRST), (uk, UK_FIRST)):
        paragraphs = docs[d]["text"].split("\n\n")
        assert docs[d]["language"] == new[d] and len(paragraphs) == 5, docs[d]["text"]
        assert paragraphs[1].startswith(first) and docs[d]["title"] == paragraphs[0]
    text = {d: docs[d]["text"] for d in new}
    assert "Redação" not in text[pt] and "Jornal de Exemplo" not in text[pt]  # byline, footer

    # 3. pre-annotate the documents still to annotate (the seeds have gold): entities linked to
    #    registry ids in Portuguese and in Cyrillic
    pre = repo / "build" / "preannotations" / "next"
    seeds = ", ".join(sorted(OLD_SPLITS)[:3])
    selected = (
        f"documents: 2 of 7 in build/ingest/documents.jsonl selected (still to annotate); 5 "
        f"skipped, already in the gold set annotations/gold: {seeds} and 2 more (--include-gold "
        "takes them too)"
    )
    capsys.readouterr()
    assert main(["preannotate", "--out", str(pre)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"{selected}\npreannotate: 2 documents, ")
    version = printed.split("model version: ")[1].split()[0]
    assert main(["validate", str(pre)]) == 0
    predicted = load_set(pre)
    assert sorted(predicted) == sorted(new)
    ents = {d: {(e["text"], e["type"], e["canonical_id"]) for e in predicted[d]["entities"]}
            for d in new}  # fmt: skip
    assert {("Coreia do Norte", "GPE", "north_korea"), ("Kim Jong Un", "PER", "kim_jong_un"),
            ("Cosmódromo de Vostochny", "FAC", "vostochny_cosmodrome")} <= ents[pt]  # fmt: skip
    assert {("Володимир Зеленський", "PER", "volodymyr_zelensky"), ("Кремля", "ORG", "kremlin"),
            ("Пхеньяном", "GPE", "pyongyang")} <= ents[uk]  # fmt: skip
    meta = prediction_meta(pre)

    # 4. the two annotators' accounts, made through the SDK; `rukp ls users` lists their ids
    users = {}
    for name, email in ANNOTATORS.items():
        users[name] = int(sdk.users.create(username=f"grow-{name}", email=email).id)
    capsys.readouterr()
    assert main(["ls", "users", "--url", live.url, "--token", live.token]) == 0
    listed = capsys.readouterr().out
    assert all(f"{users[n]:>4}  {e}" in listed for n, e in ANNOTATORS.items())

    # 5. three passes, each: push for D and E, both annotate (SDK), pull into D/ and E/
    out = repo / "annotations"
    for layer in ("entities", "events", "stances"):
        push = ["ls", "push", *server, "--annotators", SPEC, "--layer", layer]
        if layer != "stances":  # entities and trigger candidates
            push += ["--predictions", str(pre)]
        if layer != "entities":
            push += ["--context", "annotations/{annotator}"]
        capsys.readouterr()
        assert main(push) == 0
        pushed = capsys.readouterr().out
        # every pass: the two new documents only; no seed is said to wait for a pass
        assert pushed.startswith(selected + "\n") and "not in the" not in pushed
        for name in ANNOTATORS:
            title = f"{TITLE} · {name} · {layer}"
            assert f"{title}: project" in pushed and f"tasks imported: {len(new)}," in pushed
            if layer == "entities":  # the pre-annotation's model version and scores travel
                project = find_project(sdk, title)
                for task in sdk.tasks.list(project=project.id, fields="all"):
                    m = meta[task.data["doc_id"]]
                    (pred,) = list(sdk.predictions.list(task=task.id))
                    scored = {i["id"]: i["score"] for i in pred.result if "score" in i}
                    assert pred.model_version == m["model_version"] == version
                    assert scored == {
                        k: v for k, v in m["regions"].items() if k.startswith("entity_")
                    }
                    assert pred.score == pytest.approx(sum(scored.values()) / len(scored), 1e-3)
            assert _annotate(sdk, title, users[name], name, layer, new) == len(new)
        pull = ["ls", "pull", *server, "--annotators", SPEC, "--layer", layer, "--out-dir",
                str(out)] + ([] if layer == "entities" else ["--update-sets"])  # fmt: skip
        capsys.readouterr()
        assert main(pull) == 0
        assert "D (2), E (2)" in capsys.readouterr().out
    d_set, e_set = load_set(out / "D"), load_set(out / "E")
    assert sorted(d_set) == sorted(e_set) == sorted(new)
    # D's entities are the pre-annotation with D's two changes, item for item
    for d in new:
        got = sorted((e["start"], e["end"], e["type"], e["canonical_id"])
                     for e in d_set[d]["entities"])  # fmt: skip
        want = [(e["start"], e["end"], e["type"], e["canonical_id"])
                for e in predicted[d]["entities"]]  # fmt: skip
        if d == uk:
            p = text[uk].index("Пхеньяном")
            want = [(s, t, ty, "north_korea" if s == p else c) for s, t, ty, c in want]
            k = text[uk].index("Києві")
            want += [(k, k + len("Києві"), "GPE", "ukraine")]
        assert got == sorted(want)
    assert main(["validate", "annotations/D", "annotations/E"]) == 0

    # 6. agreement (figures computed by hand from the edits) and the differences
    capsys.readouterr()
    assert main(["agreement", "annotations/D", "annotations/E", "--json", "--out",
                 str(tmp_path / "AGREEMENT_D_E.md")]) == 0  # fmt: skip
    fig = json.loads(capsys.readouterr().out)["scopes"]["overall"]
    n = sum(len(d_set[d]["entities"]) for d in new)  # E has as many; one span differs
    strict = fig["entities"]["strict"]
    assert (strict["tp"], strict["n_a"], strict["n_b"]) == (n - 1, n, n)
    assert strict["f1"] == pytest.approx((n - 1) / n)
    assert fig["entities"]["lenient"]["f1"] == 1.0
    assert fig["entities"]["canonical_agreement"]["value"] == pytest.approx((n - 2) / (n - 1))
    assert (fig["stance"]["pairs_both"], fig["stance"]["only_a"], fig["stance"]["only_b"]) == (
        1, 1, 0)  # fmt: skip
    assert fig["events"]["trigger_strict"]["f1"] == 1.0
    assert main(["diff", "annotations/D", "annotations/E"]) == 1
    shown = capsys.readouterr().out
    assert "«Пхеньяном»" in shown and "«munições de artilharia»" in shown

    # 7. adjudicate: the listing
    assert main(["adjudicate", "annotations/D", "annotations/E", "--out", "annotations/gold"]) == 0
    assert "disagreements: 4" in capsys.readouterr().out
    work = repo / "build" / "adjudication" / "D-E"
    dis_file = work / "disagreements.json"
    listed_items = json.loads(dis_file.read_text("utf-8"))["items"]
    assert [(i["id"], i["doc_id"], i["layer"], i["kind"]) for i in listed_items] == [
        ("d0001", pt, "entities", "span"),
        ("d0002", pt, "stances", "missing-in-b"),
        ("d0003", pt, "events", "mode"),
        ("d0004", uk, "entities", "canonical-id"),
    ]
    assert not (repo / "annotations" / "gold" / f"{pt}.json").exists()

    # 8. the review tasks; the adjudicator decides every item in them (SDK): keeps E's longer
    #    span (d0001, the reason in the region's own field), D's stance, mode and link
    review = f"{TITLE} review"
    capsys.readouterr()
    assert main(["ls", "review", "push", *server[:4], "--project-title", review, "--disagreements",
                 str(dis_file), "--agreed", str(work / "agreed")]) == 0  # fmt: skip
    assert "4 disagreement(s) in 2 review task(s)" in capsys.readouterr().out
    project = find_project(sdk, review)
    tasks = {t.data["doc_id"]: t for t in sdk.tasks.list(project=project.id, fields="all")}
    assert sorted(tasks) == sorted(new)
    decide = {
        pt: ({"entity_d0001-a", "event_d0003-b"}, ["d0001", "d0002", "d0003"],
             "d0002: a reported warning against the arms deal\nd0003: Kim travelled to Russia"),
        uk: ({"entity_d0004-b"}, ["d0004"], "d0004: the capital stands for the state (§1.3)"),
    }  # fmt: skip
    for doc_id, (rejected, settled, reasons) in decide.items():
        task = tasks[doc_id]
        working = next(
            p for p in sdk.predictions.list(task=task.id) if p.model_version == "review: A+B"
        )
        assert rejected <= {i["id"] for i in working.result}  # both versions are offered
        kept = [i for i in working.result if i["id"] not in rejected]
        kept += [
            {"id": "r1", "from_name": "review_settled", "to_name": "text", "type": "choices",
             "value": {"choices": settled}},
            {"id": "r2", "from_name": "review_reasons", "to_name": "text", "type": "textarea",
             "value": {"text": [reasons]}},
        ]  # fmt: skip
        if doc_id == pt:
            value = next(i for i in working.result if i["id"] == "entity_d0001-b")["value"]
            span = {"start": value["start"], "end": value["end"]}
            kept.append({"id": "entity_d0001-b", "from_name": "review_reason", "to_name": "text",
                         "type": "textarea",
                         "value": {**span, "text": ["the whole noun phrase (§1.2)"]}})  # fmt: skip
        sdk.annotations.create(id=task.id, result=kept, was_cancelled=False)
    decisions = work / "decisions.json"
    assert main(["ls", "review", "pull", *server[:4], "--project-title", review,
                 "--disagreements", str(dis_file), "--out", str(decisions)]) == 0  # fmt: skip
    by = live.username  # the account that submitted the review annotations
    assert json.loads(decisions.read_text("utf-8")) == {"decisions": [
        {"id": "d0001", "choice": "b", "reason": "the whole noun phrase (§1.2)", "by": by},
        {"id": "d0002", "choice": "a", "reason": "a reported warning against the arms deal",
         "by": by},
        {"id": "d0003", "choice": "a", "reason": "Kim travelled to Russia", "by": by},
        {"id": "d0004", "choice": "a", "reason": "the capital stands for the state (§1.3)",
         "by": by},
    ]}  # fmt: skip

    # 9. adjudicate --decisions: the gold, validated, and the round in the log
    capsys.readouterr()
    before = (repo / "annotations" / "ADJUDICATION.md").read_text(encoding="utf-8")
    number = next_round(before)  # the committed log already holds the earlier rounds
    assert main(["adjudicate", "annotations/D", "annotations/E", "--out", "annotations/gold",
                 "--decisions", str(decisions)]) == 0  # fmt: skip
    assert f"round {number} (4 decision(s))" in capsys.readouterr().out
    gold = load_set(repo / "annotations" / "gold")
    assert _bare(gold[uk]["entities"]) == _bare(d_set[uk]["entities"])
    assert _bare(gold[pt]["entities"]) == _bare(e_set[pt]["entities"])  # E's longer span
    for layer in ("stances", "events"):
        for d in new:
            assert _bare(gold[d][layer]) == _bare(d_set[d][layer])
    log = (repo / "annotations" / "ADJUDICATION.md").read_text(encoding="utf-8")
    appended = log.removeprefix(before)  # the log only grows
    assert appended != log and appended.lstrip().startswith(f"## Round {number} (")
    assert f"| the whole noun phrase (§1.2) | {by} |" in appended
    assert main(["validate"]) == 0

    # 10. a new minor data version, built (`rukp build --check` runs in step 13, on the release
    #     as it is committed)
    assert main(["release", "--bump", "minor"]) == 0
    assert (repo / "DATA_VERSION").read_text(encoding="utf-8") == f"{NEW}\n"
    assert main(["build"]) == 0
    assert (repo / "splits" / "released" / f"{OLD}.csv").read_bytes() == (
        ROOT / "splits" / "released" / f"{OLD}.csv"
    ).read_bytes()

    # 11. a real load_dataset: the new documents, the old rows and splits unchanged
    def load(folder: Path, config: str) -> Any:
        return load_dataset(str(folder), config, cache_dir=str(tmp_path / "hf" / folder.name))

    docs_ds, ents_ds = load(repo / "release", "documents"), load(repo / "release", "entities")
    old_docs = load(tmp_path / "release-committed", "documents")
    old_ents = load(tmp_path / "release-committed", "entities")
    where = {i: split for split in docs_ds for i in docs_ds[split]["id"]}
    assert {d: where[d] for d in OLD_SPLITS} == OLD_SPLITS
    assert (where[pt], where[uk]) == ("train", "test")  # the splits of their stories
    assert str(docs_ds["train"].info.version) == NEW
    for split in old_docs:
        assert [r for r in docs_ds[split] if r["id"] in OLD_SPLITS] == list(old_docs[split])
        assert [r for r in ents_ds[split] if r["id"] in OLD_SPLITS] == list(old_ents[split])
    names = ents_ds["train"].features["entities"].feature["type"].names
    for d in new:
        (row,) = [r for r in ents_ds[where[d]] if r["id"] == d]
        assert row["language"] == new[d]
        assert [(e["start"], e["end"], e["text"], names[e["type"]], e["canonical_id"])
                for e in row["entities"]] == [
            (e["start"], e["end"], e["text"], e["type"], e["canonical_id"])
            for e in gold[d]["entities"]]  # fmt: skip
        (doc_row,) = [r for r in docs_ds[where[d]] if r["id"] == d]
        assert doc_row["text"] == text[d]
    readme = (repo / "release" / "README.md").read_text(encoding="utf-8")
    assert "7 documents in 5 languages" in readme
    assert "- `pt`: 1 document(s)" in readme and "- `uk`: 1 document(s)" in readme

    # 12. baselines on the new release, and the leaderboard on the new data version
    assert main(["baselines"]) == 0
    summary = json.loads((repo / "baselines/results/summary.json").read_text(encoding="utf-8"))
    assert summary["dataset_version"] == NEW
    preds = repo / "baselines" / "results" / "predictions" / "crf.ner.test.jsonl"
    assert main(["leaderboard", "add", "--name", "crf", "--task", "ner", "--split", "test",
                 "--description", "CRF baseline", "--predictions", str(preds),
                 "--replace"]) == 0  # fmt: skip
    assert main(["leaderboard", "render"]) == 0
    board = (repo / "leaderboard" / "leaderboard.md").read_text(encoding="utf-8")
    ner = board[board.index("## ner") : board.index("## stance")]
    assert f"Ranked on data {NEW} (test split" in ner
    assert ner.index(f"| 1 | crf | {NEW} |") < ner.index("Scored on earlier")
    assert f"| majority | {OLD} |" in ner.split("Scored on earlier")[1]  # not re-added: apart
    assert "| fr | uk |" in ner  # the new test document's language has its column

    # 13. what CI and the main job then check: the card follows the results, the aliases the
    #     new gold (its names pre-link the next round's pages)
    assert main(["build", "--check"]) == 1  # the card does not show the new results yet
    assert main(["build"]) == 0 and main(["build", "--check"]) == 0
    capsys.readouterr()
    assert main(["preannotate", "--check-aliases"]) == 1
    assert main(["preannotate", "--refresh-aliases"]) == 0
    assert main(["preannotate", "--check-aliases"]) == 0
    registry = json.loads((repo / "annotations" / "entities.json").read_text(encoding="utf-8"))
    ukraine = next(e for e in registry["entities"] if e["id"] == "ukraine")
    kyiv = [a for a in ukraine["aliases"] if a["name"] == "Києві"]
    assert kyiv and "gold" in kyiv[0]["from"] and kyiv[0]["docs"] == [uk]
    assert main(["build", "--check"]) == 0  # the registry's aliases are not in the release
