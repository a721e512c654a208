"""Line filters on tables: boilerplate of each kind, and body lines that only look like it."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rukp.ingest import filters
from rukp.ingest.filters import fragment_bio, line_reason, related_heading

CASES = [
    ("Condividi su WhatsApp", "share-buttons"),
    ("Поделиться", "share-buttons"),
    ("Share this article", "share-buttons"),
    ("Kommentar schreiben", "comment-form"),
    ("Leave a Reply", "comment-form"),
    ("Your email address will not be published. Required fields are marked *", "comment-form"),
    ("12 commentaires", "comment-count"),
    ("Комментарии (4)", "comment-count"),
    ("ADVERTISEMENT", "ads"),
    ("Scroll to continue with content", None),
    ("Iscriviti alla newsletter", "newsletter"),
    ("Nulla facilisi. Aenean vitae mauris sed purus.", "lorem-ipsum"),
    ("Categorías: Mundo, Asia", "category-list"),
    ("Most read", "navigation"),
    ("• • •", "empty"),
    # body lines that merely look like boilerplate
    ("Facebook and Twitter removed the accounts on Monday.", None),
    ("The agency did not respond to requests for comment on the shipments.", None),
    ("Shares of defence companies rose sharply in Seoul.", None),
    ("Advertising revenue of Russian state media fell.", None),
    ("The newsletter of the Workers' Party called the summit historic and long awaited.", None),
    ("Non è in corso alcuna trattativa, ha detto il portavoce.", None),
    ("북한과 러시아의 협력은 필수적이라고 주장했다.", None),
    ("이메일 주소는 공개되지 않습니다. 필수 항목은 *로 표시됩니다.", "comment-form"),
]


@pytest.mark.parametrize(("line", "reason"), CASES)
def test_line_reason(line: str, reason: str | None) -> None:
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Читайте также:", (True, False)),
        ("À lire aussi : Séoul convoque l’ambassadeur", (False, True)),
        ("See also the report of the UN panel of experts, published in March, which documented "
         "dozens of shipments through the port of Rajin over two years.", (False, False)),
    ],
)  # fmt: skip
def test_related_heading(line: str, expected: tuple[bool, bool]) -> None:
    assert related_heading(line) == expected


def test_fragment_bio() -> None:
    assert fragment_bio("“Social media evangelist. Student. Reader. Troublemaker.”")
    assert not fragment_bio("Kim arrived. Putin waited at the station for an hour. They met.")


def test_related_heading_at_top_drops_only_itself() -> None:
    from rukp.ingest.clean import clean

    lines = [
        "Read more",
        "Seoul protests to Moscow",
        "South Korea summoned the Russian ambassador on Monday.",
        "The ministry demanded the withdrawal of North Korean troops.",
        "Moscow said its cooperation with Pyongyang was lawful.",
    ]
    cleaned = clean("\n".join(lines))
    assert cleaned.text == "\n\n".join(lines[1:])
    assert [(d.line, d.reason) for d in cleaned.drops] == [(1, "related-list")]
    tail = clean("\n".join([*lines[1:], "Read more", "Putin visits Pyongyang"]))
    assert tail.text == "\n\n".join(lines[1:])
    assert [(d.line, d.reason) for d in tail.drops] == [(5, "related-list"), (6, "related-list")]


def test_every_comment_notice_phrase_holds_a_pre_check_stem() -> None:
    """comment_form only runs the notice regex when a stem occurs: a phrase without one could
    never match."""
    from rukp.ingest.filters import _NOTICE_PHRASES, _NOTICE_STEMS

    for phrase in _NOTICE_PHRASES:
        assert any(stem in phrase.lower() for stem in _NOTICE_STEMS), phrase


@pytest.mark.parametrize(
    "line",
    [
        "Ihre E-Mail-Adresse wird nicht veröffentlicht.",
        "Tu dirección de correo electrónico no será publicada.",
        "Ваш адрес email не будет опубликован.",
        "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *",
        "Twój adres e-mail nie zostanie opublikowany.",
        "O seu endereço de email não será publicado.",
        "Save my name, email, and website in this browser for the next time I comment.",
    ],
)
def test_comment_notices_in_other_languages(line: str) -> None:
    assert line_reason(line) == "comment-form"


_PIECES = {  # per bounded filter: words and whole phrases its lines are made of
    "share-buttons": sorted(filters._SHARE_VOCAB),
    "comment-count": ["comment", "comments", "12commentaires", "댓글", "комментарии", "(3)", "]"],
    "comment-form": ["leave a reply", "hinterlassen sie einen kommentar", "deixe o seu comentário",
                     "reply", "required fields are marked", "*", "your", "email", "address"],
    "ads": [*sorted(filters._AD_VOCAB), "365", "(", ")"],
    "newsletter": [*sorted(filters.NEWSLETTER), "to", "our", "daily", "news", "now"],
    "category-list": [*sorted(filters.CATEGORY), ":", ",", "-", "Asia", "Mundo", "Korea", "•"],
    "navigation": ["latest news", "lo más leído", "i più letti", "à la une", "les plus lus",
                   "많이 본 뉴스", "most read", ":", "-"],
}  # fmt: skip
_LINES = st.one_of(
    *[
        st.lists(st.sampled_from(pieces), min_size=1, max_size=filters.MAX_TOKENS[r] + 3)
        for r, pieces in sorted(_PIECES.items())
    ]
).map(" ".join) | st.builds(  # "Tags: a, b, c": a category label and a list
    "{}: {}".format,
    st.lists(st.sampled_from(sorted(filters.CATEGORY)), min_size=1, max_size=2).map(" ".join),
    st.lists(st.sampled_from(["Asia", "Korea", "Mundo", "UN"]), max_size=18).map(", ".join),
)


def test_every_bounded_filter_has_pieces() -> None:
    assert set(_PIECES) == set(filters.MAX_TOKENS)


@settings(max_examples=4000)
@given(_LINES)
@example("Share on Facebook Twitter WhatsApp Telegram email print this")  # 8 tokens
@example("12 commentaires")
@example("Your email address will not be published. " + "x " * 23)  # 30 tokens
@example("Your Ads Here (365 x 270 area) advertisement space banner")  # 10 tokens
@example("Subscribe to our daily newsletter and get the news here now")  # 10 tokens
@example("Category Tags: " + ", ".join(["Asia"] * 15))  # 17 tokens
@example("Lo más leído")
def test_max_tokens_bounds_hold(line: str) -> None:
    """A filter never drops a line with more tokens than MAX_TOKENS says (so skipping it on
    longer lines changes nothing)."""
    for reason, bound in filters.MAX_TOKENS.items():
        if filters.LINE_FILTERS[reason](line):
            assert len(filters.tokens(line)) <= bound, (reason, line)


@settings(max_examples=1000)
@given(_LINES)
def test_line_reason_is_the_first_filter_that_drops(line: str) -> None:
    first = next((r for r, drops in filters.LINE_FILTERS.items() if drops(line)), None)
    assert line_reason(line) == first
