"""Boilerplate filters. Each describes a KIND of page furniture, in several languages.

A line filter is a function `text -> bool` (True = boilerplate) registered under its kebab-case
drop reason in `LINE_FILTERS` (a plain dict, checked in order; the first match gives the reason).
Block filters look at neighbouring lines (a related-articles tail, an author bio at the end).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_BULLET_CHARS = "-–—•*·▪►>|"
_BULLET = re.compile(rf"^[{_BULLET_CHARS}]+\s*")


def _unbullet(text: str) -> str:
    """`text` without leading bullet characters and the spaces after them."""
    return _BULLET.sub("", text) if text and text[0] in _BULLET_CHARS else text


_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() accepts
_last_tokens: tuple[str, tuple[str, ...]] = ("", ())


def tokens(text: str) -> tuple[str, ...]:
    """Case-folded word tokens. The last line's tokens are remembered (every line filter asks
    for the same line's tokens); nothing is cached across lines, so repeated page text is not
    faster than new text."""
    global _last_tokens
    last = _last_tokens
    if last[0] == text:
        return last[1]
    toks = _tokenize(text)
    _last_tokens = (text, toks)
    return toks


def _tokenize(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text.casefold()))


def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


def _only(text: str, vocab: frozenset[str], core: frozenset[str], max_tokens: int) -> bool:
    """Short line made only of `vocab` words (digits allowed) with at least one `core` word."""
    toks = tokens(text)
    if not toks or len(toks) > max_tokens:
        return False
    return all(t in vocab or t.isdigit() for t in toks) and any(t in core for t in toks)


NETWORKS = _words(
    "facebook twitter x linkedin pinterest whatsapp telegram vk vkontakte reddit tumblr viber",
    "odnoklassniki ok instagram youtube tiktok threads mastodon bluesky flipboard messenger xing",
    "wykop weibo wechat kakaotalk kakao 카카오톡 카카오스토리 네이버 naver band line вконтакте",
    "одноклассники телеграм",
)
SHARE = _words(
    "share shares sharing partager partagez partage condividi condividere condivisione teilen",
    "teile compartir comparte compartilhar compartilhe partilhar partilhe поделиться поделись",
    "поділитися 공유 공유하기 udostępnij udostępnij podziel się tweet tweeten",
    "email e-mail mail print imprimer stampa drucken imprimir печать друк 인쇄 drukuj",
)
_SHARE_FILLER = _words(
    "this post article story page on via with to the your friends link copy it now",
    "cet article cette page sur par questo articolo su per diesen artikel beitrag auf per",
    "este artículo esta noticia en por статьей статьёй статтею новостью в 기사 하기 이",
    "este artigo esta notícia ten artykuł na w o se się",
)
ADS = _words(
    "ad ads advert adverts advertisement advertising publicité pub publicite pubblicità annuncio",
    "anzeige werbung publicidad anuncio реклама реклами 광고 publicidade reklama sponsored",
    "sponsorisé gesponsert patrocinado спонсор sponsor",
)
_AD_FILLER = _words(
    "your here space area banner place x ici votre espace qui il tuo spazio hier ihre platz",
    "aquí su espacio здесь ваша место тут 여기 aqui sua espaço tutaj twoja miejsce",
    "scroll to continue with content reading below",
)
NEWSLETTER = _words(
    "newsletter newsletters newslettera infolettre boletín boletim рассылка рассылку рассылки",
    "розсилку 뉴스레터 subscribe subscribed abonnez-vous abonnez abonner abonnieren abonniere",
    "iscriviti iscrizione suscríbete suscribete suscribirse подпишитесь подписаться",
    "підпишіться 구독 구독하기 assine inscreva-se subskrybuj zapisz",
)
CATEGORY = _words(
    "category categories catégorie catégories rubrique rubriques categoria categorie kategorie",
    "kategorien categoría categorías категория категории рубрика рубрики категорія категорії",
    "카테고리 분류 categorias kategoria tag tags étiquettes schlagwörter etiquetas теги метки",
    "теги 태그 tagi",
)
_NAV = re.compile(
    r"(latest|latest news|most read|most popular|popular|trending|top stories|"
    r"dernières nouvelles|derniers articles|à la une|les plus lus|ultime notizie|"
    r"ultim'ora|più letti|i più letti|neueste artikel|neueste nachrichten|meistgelesen|"
    r"últimas noticias|lo más leído|más leídas|последние новости|популярное|самое читаемое|"
    r"останні новини|최신 뉴스|많이 본 뉴스|인기 기사|últimas notícias|mais lidas|"
    r"najnowsze|najczęściej czytane|najpopularniejsze)",
    re.IGNORECASE,
)
_COMMENT_WORD = (
    r"(?:comments?|commentaires?|commento|commenti|kommentare?|comentarios?|comentários?|"
    r"комментари[йяиев]|коментар[іяів]*|댓글|komentarz[ey]?)"
)
_COMMENT_COUNT = re.compile(
    rf"(?:{_COMMENT_WORD}\s*[(\[]?\s*\d+\s*[)\]]?|\d+\s*{_COMMENT_WORD})", re.IGNORECASE
)
_COMMENT_PROMPT = re.compile(
    r"(?:(?:leave|post|add|write|submit|laisser|laissez|ajouter|écrire|lascia|lasciare|scrivi|"
    r"aggiungi|hinterlasse|hinterlassen\s+sie|schreibe|deja|dejar|escribe|añadir|оставить|"
    r"оставьте|напишите|добавить|залишити|deixe|deixar|escreva|dodaj|napisz|zostaw)"
    r"\s+(?:(?:a|an|your|un|une|votre|il|tuo|un|einen|ihren|tu|su|um|seu|o\s+seu|swój)\s+)?"
    r"(?:comment|reply|commentaire|réponse|commento|risposta|kommentar|antwort|comentario|"
    r"respuesta|комментарий|ответ|коментар|comentário|resposta|komentarz|odpowiedź)|"
    r"kommentar\s+schreiben|댓글\s*(?:달기|쓰기|작성|남기기)|"
    + _COMMENT_WORD
    + r"|cancel\s+reply|annuler\s+la\s+réponse|reply|répondre|rispondi|antworten|responder|"
    r"ответить|답글)\s*[:.!]?",
    re.IGNORECASE,
)
_NOTICE_PHRASES = (  # comment-form notices; each holds one of _NOTICE_STEMS
    r"will\s+not\s+be\s+published", r"ne\s+sera\s+pas\s+publiée?", r"non\s+sarà\s+pubblicat[oa]",
    r"wird\s+nicht\s+veröffentlicht", r"no\s+será\s+publicad[oa]", r"не\s+будет\s+опубликован",
    r"не\s+буде\s+опублікован", r"공개되지\s+않", r"não\s+será\s+publicad[oa]",
    r"nie\s+zostanie\s+opublikowany", r"required\s+fields\s+are\s+marked", r"champs\s+obligatoires",
    r"campi\s+obbligatori", r"erforderliche\s+felder", r"campos\s+obligatorios",
    r"обязательные\s+поля", r"필수\s*(?:항목|입력|표시)", r"campos\s+obrigatórios",
    r"wymagane\s+pola", r"save\s+my\s+name",
)  # fmt: skip
_NOTICE_STEMS = (
    "publi", "pubblicat", "veröffentlicht", "опубликован", "опублікован", "공개되지", "required",
    "obligatoires", "obbligatori", "erforderliche", "obligatorios", "обязательные", "필수",
    "obrigatórios", "wymagane", "save",
)  # fmt: skip
_COMMENT_NOTICE = re.compile("|".join(_NOTICE_PHRASES), re.IGNORECASE)
LOREM = _words(
    "lorem ipsum dolor sit amet consectetur consectetuer adipiscing adipisicing elit sed do",
    "eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud",
    "exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in",
    "reprehenderit voluptate velit esse cillum eu fugiat nulla pariatur excepteur sint occaecat",
    "cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum a ac",
    "accumsan aenean aliquam aliquet ante aptent arcu at auctor augue bibendum blandit class",
    "condimentum congue conubia convallis cras cubilia curabitur curae cursus dapibus diam",
    "dictum dictumst dignissim dis donec dui egestas eget eleifend elementum erat eros etiam",
    "euismod facilisi facilisis fames faucibus felis fermentum feugiat fringilla fusce gravida",
    "habitant habitasse hac hendrerit himenaeos iaculis imperdiet inceptos integer interdum",
    "justo lacinia lacus laoreet lectus leo libero ligula litora lobortis luctus maecenas magnis",
    "malesuada massa mattis mauris metus mi molestie mollis montes morbi mus nam nascetur natoque",
    "nec neque netus nibh nisl nostra nullam nunc odio orci ornare parturient pellentesque",
    "penatibus per pharetra phasellus placerat platea porta porttitor posuere potenti praesent",
    "pretium primis proin pulvinar purus quam quisque rhoncus ridiculus risus rutrum sagittis",
    "sapien scelerisque sem semper senectus sociis sociosqu sodales sollicitudin suscipit",
    "suspendisse taciti tellus tempus tincidunt torquent tortor tristique turpis ullamcorper",
    "ultrices ultricies urna varius vehicula vel venenatis vestibulum vitae vivamus viverra",
    "volutpat vulputate",
)
RELATED_HEADING = re.compile(
    r"(?:related|related articles|related posts|related news|related stories|more on the topic|"
    r"more on this topic|more on this story|more from|read also|read more|see also|also read|"
    r"you may also like|leggi anche|potrebbe interessarti|articoli correlati|"
    r"ti potrebbe interessare|"
    r"à lire aussi|a lire aussi|lire aussi|voir aussi|sur le même sujet|dans la même rubrique|"
    r"читайте также|читайте також|по теме|смотрите также|похожие новости|"
    r"mehr zum thema|lesen sie auch|auch interessant|das könnte sie auch interessieren|"
    r"weitere artikel|noticias relacionadas|te puede interesar|lee también|lea también|"
    r"관련 기사|관련기사|함께 볼만한 뉴스|leia também|veja também|notícias relacionadas|"
    r"saiba mais|czytaj także|czytaj też|zobacz też|zobacz także|powiązane)",
    re.IGNORECASE,
)
_BIO_HEADING = re.compile(
    r"(?:about the author|à propos de l'auteur|à propos de l’auteur|sull'autore|l'autore|"
    r"über den autor|über die autorin|sobre el autor|sobre la autora|об авторе|про автора|"
    r"기자 소개|sobre o autor|o autorze)\s*:?",
    re.IGNORECASE,
)


# Largest token counts of the lines the vocabulary filters drop (also their MAX_TOKENS bounds).
SHARE_MAX_TOKENS = 8
ADS_MAX_TOKENS = 10
NEWSLETTER_MAX_TOKENS = 10
NOTICE_MAX_TOKENS, NOTICE_MAX_CHARS = 30, 300
CATEGORY_LABEL_TOKENS, CATEGORY_LIST_TOKENS = 2, 15

_SHARE_VOCAB = NETWORKS | SHARE | _SHARE_FILLER
_SHARE_CORE = NETWORKS | SHARE
_AD_VOCAB = ADS | _AD_FILLER


def share_buttons(text: str) -> bool:
    """Short lines made of social network names and share/print/e-mail words."""
    return _only(text, _SHARE_VOCAB, _SHARE_CORE, SHARE_MAX_TOKENS)


def comment_count(text: str) -> bool:
    """A comment counter: "Comment (0)", "12 commentaires", "댓글 3"."""
    return _COMMENT_COUNT.fullmatch(_unbullet(text)) is not None


def comment_form(text: str) -> bool:
    """Comment prompts and comment-form notices ("Leave a comment", "e-mail not published")."""
    if _COMMENT_PROMPT.fullmatch(text):
        return True
    if len(text) > NOTICE_MAX_CHARS or len(tokens(text)) > NOTICE_MAX_TOKENS:
        return False
    lower = text.lower()  # the stems are a fast pre-check before the regex search
    return any(stem in lower for stem in _NOTICE_STEMS) and _COMMENT_NOTICE.search(text) is not None


def ads(text: str) -> bool:
    """Ad placeholders: "Advertisement", "Your Ads Here (365 x 270 area)", "Реклама"."""
    return _only(text, _AD_VOCAB, ADS, ADS_MAX_TOKENS)


def newsletter(text: str) -> bool:
    """Short newsletter/subscription calls in any listed language."""
    toks = tokens(text)
    return 0 < len(toks) <= NEWSLETTER_MAX_TOKENS and any(t in NEWSLETTER for t in toks)


def lorem_ipsum(text: str) -> bool:
    """Placeholder Latin: four or more words, at least 80% from the lorem-ipsum vocabulary."""
    return _lorem(tokens(text))


def _lorem(toks: tuple[str, ...]) -> bool:
    if "lorem" in toks and "ipsum" in toks:
        return True
    return len(toks) >= 4 and sum(map(LOREM.__contains__, toks)) >= 0.8 * len(toks)


def category_list(text: str) -> bool:
    """Category/tag labels and lists: "Categories", "- Category", "Tags: a, b"."""
    body = _unbullet(text)
    if _only(body, CATEGORY, CATEGORY, CATEGORY_LABEL_TOKENS):
        return True
    head, sep, rest = body.partition(":")
    return (
        bool(sep)
        and _only(head, CATEGORY, CATEGORY, CATEGORY_LABEL_TOKENS)
        and len(tokens(rest)) <= CATEGORY_LIST_TOKENS
    )


def navigation(text: str) -> bool:
    """Sidebar/navigation headings: "Latest News", "Most read", "Ultime notizie"."""
    return _NAV.fullmatch(_unbullet(text).rstrip(":")) is not None


def empty(text: str) -> bool:
    """A line with no letter or digit left (a lone bullet, a separator)."""
    return _ALNUM.search(text) is None


LINE_FILTERS: dict[str, Callable[[str], bool]] = {
    "empty": empty,
    "share-buttons": share_buttons,
    "comment-count": comment_count,
    "comment-form": comment_form,
    "ads": ads,
    "newsletter": newsletter,
    "lorem-ipsum": lorem_ipsum,
    "category-list": category_list,
    "navigation": navigation,
}


# The most word tokens a line dropped by each filter can have (none: no bound), from the filter's
# definition; line_reason skips a filter on longer lines. share-buttons, ads, newsletter: their
# explicit limits; comment-count: one counter word and one number; comment-form: the notice's
# limit (a prompt has at most 5); category-list: a label and a list; navigation: the longest
# heading has 3. tests/ingest/test_filters.py checks the bounds on random lines made of the
# filters' own words.
MAX_TOKENS: dict[str, int] = {
    "share-buttons": SHARE_MAX_TOKENS,
    "comment-count": 2,
    "comment-form": NOTICE_MAX_TOKENS,
    "ads": ADS_MAX_TOKENS,
    "newsletter": NEWSLETTER_MAX_TOKENS,
    "category-list": CATEGORY_LABEL_TOKENS + CATEGORY_LIST_TOKENS,
    "navigation": 3,
}
# A line longer than this many characters is taken for text, not furniture: only empty and
# lorem-ipsum are checked on it.
LONG_LINE_CHARS = 400


def line_reason(text: str) -> str | None:
    """Reason of the first line filter that drops `text`, or None to keep it."""
    if len(text) > LONG_LINE_CHARS:
        toks = _tokenize(text)  # not remembered: no other filter runs
        return "empty" if empty(text) else "lorem-ipsum" if _lorem(toks) else None
    n = len(tokens(text))
    for reason, drops in LINE_FILTERS.items():
        if n <= MAX_TOKENS.get(reason, n) and drops(text):
            return reason
    return None


def is_short(text: str, max_words: int = 15, max_chars: int = 150) -> bool:
    return len(text) <= max_chars and len(text.split()) <= max_words


_INLINE_RELATED = re.compile(r"(.+?)\s*[:：]\s*(\S.*)$")


def related_heading(text: str) -> tuple[bool, bool]:
    """(is a related-articles heading, is an inline "Read also: <title>" line)."""
    body = _unbullet(text)
    if RELATED_HEADING.fullmatch(body.rstrip(" :：.…»>→")):
        return True, False
    if ":" not in body and "：" not in body:
        return False, False
    match = _INLINE_RELATED.match(body)
    inline = (
        match is not None
        and RELATED_HEADING.fullmatch(match.group(1)) is not None
        and is_short(match.group(2))
    )
    return False, inline


def bio_heading(text: str) -> bool:
    return _BIO_HEADING.fullmatch(_unbullet(text)) is not None


def fragment_bio(text: str) -> bool:
    """A self-description made of 3+ capitalised fragments of at most 4 words, 2.5 on average:
    "Social media evangelist. Student. Reader. Troublemaker." (optionally quoted)."""
    body = text.strip("\"“”«»'‘’ ")
    parts = [p.strip() for p in re.split(r"[.!]\s*", body) if p.strip()]
    if len(parts) < 3 or not body.endswith((".", "!")):
        return False
    sizes = [len(p.split()) for p in parts]
    return max(sizes) <= 4 and sum(sizes) <= 2.5 * len(sizes) and all(p[0].isupper() for p in parts)


_BIO_SENTENCE = re.compile(
    r"^[\w .'’-]{2,60}\s(?:is|est|è|ist|es|é|jest|—|-)\s(?:a|an|un|une|uno|una|ein|eine|um|uma)?\s?"
    r"(?:\w+\s)?(?:journalist|reporter|correspondent|editor|writer|journaliste|correspondant|"
    r"rédacteur|rédactrice|giornalista|corrispondente|redattore|journalistin|korrespondent|"
    r"redakteur|periodista|corresponsal|redactor|jornalista|correspondente|dziennikarz|"
    r"dziennikarką|журналист|корреспондент|журналіст)",
    re.IGNORECASE,
)


def bio_sentence(text: str) -> bool:
    """A short "<Name> is a journalist/correspondent …" line (only checked in the page tail)."""
    return is_short(text, 30, 250) and _BIO_SENTENCE.search(text) is not None
