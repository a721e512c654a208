"""Hand-written test pages: raw text, the exact cleaned text expected, and the drops expected.

Each page describes boilerplate of a kind (not the seeds' strings) in another language.
`drops` lists every (reason, dropped text) pair the cleaner must report for that page.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    name: str
    raw: str
    text: str
    drops: list[tuple[str, str]]
    title: str | None = None
    language: str = "en"
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    encoding: str = "utf-8"
    crlf: bool = False
    bom: bool = False
    warnings: list[str] = field(default_factory=list)


DE_BODY_1 = (
    "Nordkorea hat nach Angaben südkoreanischer Geheimdienste weitere Artilleriegranaten an "
    "Russland geliefert, die im Krieg gegen die Ukraine eingesetzt werden sollen."
)
DE_BODY_2 = (
    "Die Regierung in Seoul kündigte an, die Zusammenarbeit mit Washington und Tokio zu vertiefen, "
    "um auf die wachsende militärische Partnerschaft zwischen Moskau und Pjöngjang zu reagieren. "
    "Beobachter rechnen mit weiteren Sanktionen der Europäischen Union."
)
DE_TITLE = "Nordkorea liefert weitere Granaten an Russland"

ES_BODY_1 = (
    "El ministro de Defensa de Corea del Sur afirmó que Pyongyang ha enviado millones de "
    "proyectiles de artillería a Rusia desde el pasado verano."
)
ES_BODY_2 = (
    "Según el ministro, a cambio Corea del Norte habría recibido ayuda técnica para su programa "
    "de satélites militares, algo que Moscú niega. "
    "El Kremlin no ha respondido a las preguntas de los periodistas."
)

RU_BODY_1 = (
    "Министр иностранных дел России Сергей Лавров заявил, что Москва намерена развивать "
    "сотрудничество с Пхеньяном во всех областях, включая военную."
)
RU_BODY_2 = (
    "Песков отказался дать комментарии по поводу сообщений о поставках снарядов из КНДР, "
    "сославшись на то, что этот вопрос следует адресовать Министерству обороны. "
    "В Сеуле заявили, что внимательно следят за развитием ситуации."
)

KO_BODY_1 = (
    "국가정보원은 북한이 러시아에 포탄과 미사일을 추가로 보낸 것으로 파악된다고 밝혔다. "
    "정보당국은 북한군 병력이 러시아 쿠르스크 지역에 배치된 정황도 확인했다고 설명했다."
)
KO_BODY_2 = (
    "정부는 미국, 일본과 긴밀히 공조해 북러 군사협력에 단호히 대응하겠다는 입장을 거듭 밝혔다. "
    "외교부는 주한 러시아 대사를 불러 항의했다. "
    "미국 국무부도 깊은 우려를 표명했다."
)

PT_BODY_1 = (
    "O presidente russo, Vladimir Putin, e o líder norte-coreano, Kim Jong Un, assinaram um "
    'acordo de "parceria estratégica abrangente" em Pyongyang, segundo a agência estatal KCNA.'
)
PT_BODY_2 = (
    "O texto prevê assistência militar mútua em caso de agressão contra uma das partes & "
    "inclui cooperação em tecnologia, o que preocupa Seul e Washington. "
    "Analistas esperam novas sanções contra as duas partes."
)

PL_BODY_1 = (
    "Korea Północna wysłała do Rosji kolejne transporty amunicji artyleryjskiej, poinformował "
    "w poniedziałek wywiad Korei Południowej. Transporty miały trafić do magazynów w obwodzie "
    "briańskim."
)
PL_BODY_2 = (
    "Według Seulu w zamian Pjongjang otrzymuje od Moskwy żywność, surowce oraz wsparcie "
    "technologiczne dla swojego programu rakietowego. "
    "Moskwa nie skomentowała tych doniesień."
)

FR_BODY_1 = (
    "Le ministère sud-coréen de la Défense a affirmé que des soldats nord-coréens avaient été "
    "déployés dans la région russe de Koursk, à la frontière ukrainienne."
)
FR_BODY_2 = (
    "Moscou n’a ni confirmé ni démenti ces informations, tandis que Kiev affirme que ces troupes "
    "participent déjà aux combats. "
    "Washington a appelé Pyongyang à retirer ses soldats."
)

IT_BODY_1 = (
    "Il Cremlino ha confermato che il ministro degli Esteri Sergej Lavrov si recherà a Pyongyang "
    "il mese prossimo per preparare una nuova visita di Vladimir Putin in Corea del Nord."
)
IT_BODY_2 = (
    "Secondo fonti diplomatiche, sul tavolo ci sarebbero accordi di cooperazione militare e "
    "tecnologica che preoccupano Washington e Seul. "
    "La Farnesina segue da vicino gli sviluppi."
)

EN_BODY_1 = (
    "Facebook said on Tuesday it had removed a network of accounts linked to Russian military "
    "intelligence that promoted North Korean arms deals."
)
EN_BODY_2 = "Shares of Hanwha Aerospace rose 5% after the announcement."
EN_BODY_3 = (
    "North Korea's state newsletter Rodong Sinmun quoted Kim as praising the comradely ties "
    "with Moscow in a lengthy commentary."
)
EN_BODY_4 = "Comments from the Kremlin were not immediately available, Reuters said."

WIRE_1 = (
    "SEOUL, June 20 (Reuters) - North Korea and Russia signed a mutual defence pact on "
    "Wednesday during a visit by President Vladimir Putin to Pyongyang, pledging to use all "
    "available means to provide immediate military assistance if either is attacked. The "
    "agreement, the strongest link between the two countries since the end of the Cold War, "
    "was signed after talks between Putin and Kim Jong Un that lasted several hours."
)
WIRE_2 = (
    "South Korea's national security adviser said Seoul would reconsider its policy of not "
    "supplying weapons to Ukraine, and Japan said it was gravely concerned by the pact."
)

PAGES: list[Page] = [
    Page(
        name="de_bom_share",
        bom=True,
        raw="\n".join(
            [
                "Neueste Nachrichten",
                "",
                DE_TITLE,
                DE_TITLE,
                "Veröffentlicht am 3. März 2024, 10:15 Uhr",
                "Teilen",
                "Facebook",
                "WhatsApp",
                DE_BODY_1,
                "Anzeige",
                DE_BODY_2,
                "Kommentare (3)",
                "Mehr zum Thema",
                "Kim Jong Un besucht Wladiwostok",
                "Seoul warnt Moskau vor Waffenhandel",
            ]
        ),
        text="\n\n".join([DE_TITLE, DE_BODY_1, DE_BODY_2]),
        title=DE_TITLE,
        language="de",
        published="2024-03-03",
        drops=[
            ("navigation", "Neueste Nachrichten"),
            ("repeated-title", DE_TITLE),
            ("date-line", "Veröffentlicht am 3. März 2024, 10:15 Uhr"),
            ("share-buttons", "Teilen"),
            ("share-buttons", "Facebook"),
            ("share-buttons", "WhatsApp"),
            ("ads", "Anzeige"),
            ("comment-count", "Kommentare (3)"),
            ("related-list", "Mehr zum Thema"),
            ("related-list", "Kim Jong Un besucht Wladiwostok"),
            ("related-list", "Seoul warnt Moskau vor Waffenhandel"),
        ],
    ),
    Page(
        name="es_crlf_comments",
        crlf=True,
        raw="\n".join(
            [
                "Compartir en Twitter",
                ES_BODY_1,
                "",
                "Publicidad",
                "",
                ES_BODY_2,
                "Fuente: https://www.elpais.com/internacional/2024/corea-rusia.html",
                "Deja un comentario",
                "Tu dirección de correo electrónico no será publicada. Los campos obligatorios "
                "están marcados con *",
                "Suscríbete a nuestro boletín",
            ]
        ),
        text="\n\n".join([ES_BODY_1, ES_BODY_2]),
        language="es",
        url="https://www.elpais.com/internacional/2024/corea-rusia.html",
        outlet="elpais.com",
        drops=[
            ("share-buttons", "Compartir en Twitter"),
            ("ads", "Publicidad"),
            ("source-line", "Fuente: https://www.elpais.com/internacional/2024/corea-rusia.html"),
            ("comment-form", "Deja un comentario"),
            (
                "comment-form",
                "Tu dirección de correo electrónico no será publicada. Los campos "
                "obligatorios están marcados con *",
            ),
            ("newsletter", "Suscríbete a nuestro boletín"),
        ],
    ),
    Page(
        name="ru_related_tail",
        raw="\n".join(
            [
                "Опубликовано 24 июня 2024 г.",
                "Поделиться",
                "ВКонтакте",
                "Телеграм",
                RU_BODY_1,
                "Реклама",
                RU_BODY_2,
                "Читайте также",
                "Путин прибыл в Пхеньян",
                "Сеул вызвал посла России",
                "Комментарии",
            ]
        ),
        text="\n\n".join([RU_BODY_1, RU_BODY_2]),
        language="ru",
        published="2024-06-24",
        drops=[
            ("date-line", "Опубликовано 24 июня 2024 г."),
            ("share-buttons", "Поделиться"),
            ("share-buttons", "ВКонтакте"),
            ("share-buttons", "Телеграм"),
            ("ads", "Реклама"),
            ("related-list", "Читайте также"),
            ("related-list", "Путин прибыл в Пхеньян"),
            ("related-list", "Сеул вызвал посла России"),
            ("comment-form", "Комментарии"),
        ],
    ),
    Page(
        name="ko_news",
        raw="\n".join(
            [
                "입력 2024.06.24",
                "공유하기",
                "카카오톡",
                KO_BODY_1,
                "광고",
                KO_BODY_2,
                "댓글 0",
                "관련기사",
                "북러 정상회담 개최",
                "정부, 러시아 대사 초치",
            ]
        ),
        text="\n\n".join([KO_BODY_1, KO_BODY_2]),
        language="ko",
        published="2024-06-24",
        drops=[
            ("date-line", "입력 2024.06.24"),
            ("share-buttons", "공유하기"),
            ("share-buttons", "카카오톡"),
            ("ads", "광고"),
            ("comment-count", "댓글 0"),
            ("related-list", "관련기사"),
            ("related-list", "북러 정상회담 개최"),
            ("related-list", "정부, 러시아 대사 초치"),
        ],
    ),
    Page(
        name="pt_entities_nbsp",
        raw="\n".join(
            [
                "Publicado em 12/10/2023",
                "Compartilhe",
                PT_BODY_1.replace('"', "&quot;").replace("Vladimir Putin", "Vladimir&nbsp;Putin"),
                "Leia também: Coreia do Norte testa novo míssil",
                PT_BODY_2.replace("&", "&amp;").replace("Seul e", "Seul\u202fe") + "   ",
                "Deixe um comentário",
                "Assine nossa newsletter",
            ]
        ),
        text="\n\n".join([PT_BODY_1, PT_BODY_2]),
        language="pt",
        published="2023-10-12",
        drops=[
            ("date-line", "Publicado em 12/10/2023"),
            ("share-buttons", "Compartilhe"),
            ("related-list", "Leia também: Coreia do Norte testa novo míssil"),
            ("comment-form", "Deixe um comentário"),
            ("newsletter", "Assine nossa newsletter"),
        ],
    ),
    Page(
        name="pl_bio",
        raw="\n".join(
            [
                "Udostępnij",
                PL_BODY_1,
                "Reklama",
                PL_BODY_2,
                "Komentarze (5)",
                "Jan Kowalski jest dziennikarzem działu zagranicznego.",
            ]
        ),
        text="\n\n".join([PL_BODY_1, PL_BODY_2]),
        language="pl",
        drops=[
            ("share-buttons", "Udostępnij"),
            ("ads", "Reklama"),
            ("comment-count", "Komentarze (5)"),
            ("author-bio", "Jan Kowalski jest dziennikarzem działu zagranicznego."),
        ],
    ),
    Page(
        name="fr_cp1252",
        encoding="cp1252",
        raw="\n".join(
            [
                "Publié le 21 octobre",
                "Partager",
                FR_BODY_1,
                "À lire aussi : La Corée du Sud convoque l’ambassadeur russe",
                FR_BODY_2,
                "Source : https://www.lemonde.fr/international/article/2024/10/21/coree.html",
                "Read more",
            ]
        ),
        text="\n\n".join([FR_BODY_1, FR_BODY_2]),
        language="fr",
        url="https://www.lemonde.fr/international/article/2024/10/21/coree.html",
        outlet="lemonde.fr",
        warnings=["decoded as cp1252"],
        drops=[
            ("date-line", "Publié le 21 octobre"),
            ("share-buttons", "Partager"),
            ("related-list", "À lire aussi : La Corée du Sud convoque l’ambassadeur russe"),
            (
                "source-line",
                "Source : https://www.lemonde.fr/international/article/2024/10/21/coree.html",
            ),
            ("related-list", "Read more"),
        ],
    ),
    Page(
        name="it_lorem_bio",
        raw="\n".join(
            [
                "pubblicato il 12/10/2023",
                "Condividi",
                IT_BODY_1,
                "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
                IT_BODY_2,
                "Lascia un commento",
                "Il tuo indirizzo email non sarà pubblicato.",
                "Sull'autore",
                "Mario Rossi scrive di esteri e difesa per il nostro giornale dal 2015.",
            ]
        ),
        text="\n\n".join([IT_BODY_1, IT_BODY_2]),
        language="it",
        published="2023-10-12",
        drops=[
            ("date-line", "pubblicato il 12/10/2023"),
            ("share-buttons", "Condividi"),
            ("lorem-ipsum", "Lorem ipsum dolor sit amet, consectetur adipiscing elit."),
            ("comment-form", "Lascia un commento"),
            ("comment-form", "Il tuo indirizzo email non sarà pubblicato."),
            ("author-bio", "Sull'autore"),
            (
                "author-bio",
                "Mario Rossi scrive di esteri e difesa per il nostro giornale dal 2015.",
            ),
        ],
    ),
    Page(
        name="en_lookalikes",
        raw="\n".join(
            [
                "World",
                "Asia",
                "Europe",
                "Business",
                "Russia courts Pyongyang online",
                "",
                "Russia courts Pyongyang online",
                "",
                EN_BODY_1,
                "",
                EN_BODY_2,
                "",
                EN_BODY_3,
                "",
                EN_BODY_4,
                "",
                "Share on Facebook",
                "Tags: North Korea, Russia",
                "Most read",
                "Markets close higher on tech rally",
                "About us",
                "Contact",
            ]
        ),
        text="\n\n".join(
            ["Russia courts Pyongyang online", EN_BODY_1, EN_BODY_2, EN_BODY_3, EN_BODY_4]
        ),
        title="Russia courts Pyongyang online",
        drops=[
            ("navigation", "World"),
            ("navigation", "Asia"),
            ("navigation", "Europe"),
            ("navigation", "Business"),
            ("repeated-title", "Russia courts Pyongyang online"),
            ("share-buttons", "Share on Facebook"),
            ("category-list", "Tags: North Korea, Russia"),
            ("related-list", "Most read"),
            ("related-list", "Markets close higher on tech rally"),
            ("legal-footer", "About us"),
            ("legal-footer", "Contact"),
        ],
    ),
    Page(
        name="wire_a",
        raw="\n".join([WIRE_1, "", WIRE_2, "", "Advertisement"]),
        text="\n\n".join([WIRE_1, WIRE_2]),
        drops=[("ads", "Advertisement")],
    ),
    Page(
        name="wire_b",
        raw="\n".join(
            [
                "Share this article",
                WIRE_1.replace("several hours", "about two hours"),
                WIRE_2,
                "Related articles",
                "Putin lands in Pyongyang",
            ]
        ),
        text="\n\n".join([WIRE_1.replace("several hours", "about two hours"), WIRE_2]),
        drops=[
            ("share-buttons", "Share this article"),
            ("related-list", "Related articles"),
            ("related-list", "Putin lands in Pyongyang"),
        ],
    ),
]

ONLY_BOILERPLATE = "\n".join(
    [
        "Share",
        "Facebook",
        "Twitter",
        "Advertisement",
        "Subscribe to our newsletter",
        "Leave a comment",
        "Comments (0)",
        "Categories",
    ]
)
ONLY_BOILERPLATE_DROPS = [
    ("share-buttons", "Share"),
    ("share-buttons", "Facebook"),
    ("share-buttons", "Twitter"),
    ("ads", "Advertisement"),
    ("newsletter", "Subscribe to our newsletter"),
    ("comment-form", "Leave a comment"),
    ("comment-count", "Comments (0)"),
    ("category-list", "Categories"),
]


def page_bytes(page: Page) -> bytes:
    raw = page.raw.replace("\n", "\r\n") if page.crlf else page.raw
    data = raw.encode(page.encoding)
    return b"\xef\xbb\xbf" + data if page.bom else data
