"""Sentence splitting, tokenisation and BIO tags (hand-written expectations + a property test)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rukp.build.text import Span, bio_tags, decode_bio, split_sentences, tokenize
from tests.build.fixtures import EXPECTED

SPLITS = [
    # English: abbreviations (Mr., U.S.) and an initial do not end a sentence
    (
        "Mr. Blinken met U.S. allies on Friday. J. Sullivan agreed! Did Russia reply? No.",
        [
            "Mr. Blinken met U.S. allies on Friday.",
            "J. Sullivan agreed!",
            "Did Russia reply?",
            "No.",
        ],
    ),
    # French: "M." honorific, guillemets closing after the period
    (
        "« M. Zinoviev a souligné la coopération. » Le ministère a convoqué l'ambassadeur.",
        ["« M. Zinoviev a souligné la coopération. »", "Le ministère a convoqué l'ambassadeur."],
    ),
    # Italian: "Sig." honorific; a glued sentence start after a closing quote ("”.Ha")
    (
        "Il Sig. Rossi ha parlato. Ha aggiunto: “Ci prepareremo”.Ha detto Lavrov da New York.",
        [
            "Il Sig. Rossi ha parlato.",
            "Ha aggiunto: “Ci prepareremo”.",
            "Ha detto Lavrov da New York.",
        ],
    ),
    # German: "Dr." and an ordinal followed by a lower-case month
    (
        "Dr. Weber sprach am 21. oktober in Berlin. Die Regierung schwieg.",
        ["Dr. Weber sprach am 21. oktober in Berlin.", "Die Regierung schwieg."],
    ),
    # Russian (Cyrillic): "г." abbreviation
    (
        "Лавров прибыл в Пхеньян в 2023 г. в сентябре. Он встретился с Ким Чен Ыном.",
        ["Лавров прибыл в Пхеньян в 2023 г. в сентябре.", "Он встретился с Ким Чен Ыном."],
    ),
    # Korean (Hangul) with Latin punctuation
    (
        "김정은 위원장이 러시아를 방문했다. 푸틴 대통령과 회담했다.",
        ["김정은 위원장이 러시아를 방문했다.", "푸틴 대통령과 회담했다."],
    ),
    # Chinese: full-width terminators, no spaces
    (
        "金正恩访问了俄罗斯。普京与他举行了会谈！双方会签署协议吗？",
        ["金正恩访问了俄罗斯。", "普京与他举行了会谈！", "双方会签署协议吗？"],
    ),
    # Japanese
    (
        "金正恩氏がロシアを訪問した。会談は非公開だった。",
        ["金正恩氏がロシアを訪問した。", "会談は非公開だった。"],
    ),
    # Arabic question mark
    (
        "هل ستتعاون موسكو مع بيونغ يانغ؟ نعم، قال المتحدث.",
        ["هل ستتعاون موسكو مع بيونغ يانغ؟", "نعم، قال المتحدث."],
    ),
    # Hindi (Devanagari danda)
    (
        "किम जोंग उन ने रूस का दौरा किया। पुतिन ने उनसे मुलाकात की।",
        ["किम जोंग उन ने रूस का दौरा किया।", "पुतिन ने उनसे मुलाकात की।"],
    ),
    # Portuguese: "Sr." honorific
    (
        "O Sr. Lavrov chegou a Pyongyang. A visita durou dois dias.",
        ["O Sr. Lavrov chegou a Pyongyang.", "A visita durou dois dias."],
    ),
    # Ukrainian: "р." (year) abbreviation
    (
        "У 2024 р. Пхеньян підписав договір. Київ засудив це!",
        ["У 2024 р. Пхеньян підписав договір.", "Київ засудив це!"],
    ),
    # Polish: "np." and "dr" abbreviations
    (
        "Korea Północna wysłała np. Pociski do Rosji. Dr. Nowak to potwierdził.",
        ["Korea Północna wysłała np. Pociski do Rosji.", "Dr. Nowak to potwierdził."],
    ),
    # Spanish: inverted marks
    (
        "¿Habrá acuerdo? ¡Sí! El Sr. Lavrov lo confirmó.",
        ["¿Habrá acuerdo?", "¡Sí!", "El Sr. Lavrov lo confirmó."],
    ),
    # Paragraph and line breaks always end a sentence; a bare ". . ." stays with its sentence
    (
        "Titolo senza punto\n\nPrima frase senza punto\n\nFine delle parti. . .\n\nAltro.",
        ["Titolo senza punto", "Prima frase senza punto", "Fine delle parti. . .", "Altro."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_sentence_splitter_table(text: str, expected: list[str]) -> None:
    got = [text[s.start : s.end] for s in split_sentences(text)]
    assert got == expected


def test_no_boundary_inside_protected_span() -> None:
    text = "He met Dr. Smith. Then he left."
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "He met Dr. Smith.",
        "Then he left.",
    ]
    # an (odd) entity covering "Smith. Then" keeps the sentence whole
    start = text.index("Smith. Then")
    whole = split_sentences(text, keep_together=[(start, start + len("Smith. Then"))])
    assert [(s.start, s.end) for s in whole] == [(0, len(text))]


def test_seed_glued_tokens_split_at_entity_boundaries() -> None:
    text = (EXPECTED / "001_f1f761c062743d2a.txt").read_text(encoding="utf-8")
    cases = [
        ("Sergej Lavrov", "LavrovLa"),
        ("Kim Jong Un", "UnI"),
        ("Anthony Blinken", "BlinkenPochi"),
    ]
    for surface, glued in cases:
        s = text.index(surface)
        e = s + len(surface)
        g = text.index(glued)
        plain = [text[t.start : t.end] for t in tokenize(text, g, g + len(glued))]
        assert plain == [glued]  # without the boundary it is one token…
        toks = tokenize(text, s, g + len(glued), boundaries=[s, e])
        words = [text[t.start : t.end] for t in toks]
        assert words[-2:] == [surface.split()[-1], glued[len(surface.split()[-1]) :]]
        tags = bio_tags(toks, [(s, e, "PER")])
        assert decode_bio(toks, tags) == [(s, e, "PER")]


TOKENS = [
    ("Kim Jong-un, 2024!", ["Kim", "Jong", "-", "un", ",", "2024", "!"]),
    ("d’une «semaine»", ["d", "’", "une", "«", "semaine", "»"]),
    ("金正恩访问", ["金", "正", "恩", "访", "问"]),
    ("김정은 위원장이", ["김정은", "위원장이"]),
    ("किम जोंग", ["किम", "जोंग"]),  # combining vowel signs stay inside the word
    ("می‌خواهم شد", ["می‌خواهم", "شد"]),  # ZWNJ inside a Persian word
    ("Лавров, 21 сентября.", ["Лавров", ",", "21", "сентября", "."]),
]


@pytest.mark.parametrize(("text", "expected"), TOKENS)
def test_tokenizer_table(text: str, expected: list[str]) -> None:
    assert [text[t.start : t.end] for t in tokenize(text)] == expected


def test_bio_tags_by_hand() -> None:
    text = "Vladimir Putin met Kim in Pyongyang"
    toks = tokenize(text)
    tags = bio_tags(toks, [(0, 14, "PER"), (19, 22, "PER"), (26, 35, "GPE")])
    assert tags == ["B-PER", "I-PER", "O", "B-PER", "O", "B-GPE"]


def test_straddling_token_is_refused() -> None:
    with pytest.raises(ValueError, match="straddles"):
        bio_tags([Span(0, 8)], [(0, 6, "PER")])


ALPHABET = "abcXYZ éЖжк김金。.,-’ \n"
TYPES = ("PER", "ORG", "GPE")


@st.composite
def annotated(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """Text made of pieces glued together; some pieces are entities (no edge whitespace)."""
    pieces = draw(
        st.lists(
            st.tuples(
                st.text(ALPHABET, min_size=1, max_size=8),
                st.one_of(st.none(), st.sampled_from(TYPES)),
            ),
            min_size=1,
            max_size=10,
        )
    )
    text, spans = "", []
    for piece, typ in pieces:
        if typ is not None:
            piece = piece.strip()
            if not piece:
                continue
            spans.append((len(text), len(text) + len(piece), typ))
        text += piece
    return text, spans


@settings(max_examples=300, deadline=None)
@given(annotated())
def test_tokens_and_bio_round_trip_to_spans(case: tuple[str, list[tuple[int, int, str]]]) -> None:
    text, spans = case
    bounds = [b for s, e, _ in spans for b in (s, e)]
    keep = [(s, e) for s, e, _ in spans]
    decoded: list[tuple[int, int, str]] = []
    for sent in split_sentences(text, keep_together=keep):
        toks = tokenize(text, sent.start, sent.end, boundaries=bounds)
        assert all(not text[t.start : t.end].isspace() for t in toks)
        inside = [x for x in spans if sent.start <= x[0] and x[1] <= sent.end]
        decoded += decode_bio(toks, bio_tags(toks, inside))
    assert decoded == sorted(spans)
