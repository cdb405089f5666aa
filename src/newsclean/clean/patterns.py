"""Line patterns for web-page chrome, from the general vocabulary of news and blog templates.

Each pattern is matched against one whole (short) line; the slug it maps to is the removal reason.
Several languages are covered because the same templates appear in every language.
"""
from __future__ import annotations

import re


def _words(*alternatives: str) -> str:
    return "|".join(alternatives)


_I = re.IGNORECASE

# A line that only stands for an image that was not carried over.
IMAGE_PLACEHOLDER = re.compile(
    r"^\s*[\[(]?(?:图片|圖片|图像|圖像|画像|사진|image|img|photo|picture|bild|foto|imagen|immagine|изображение|фото)[\])]?\s*"
    r"(?:\d+\s*(?:/|of|von|de)\s*\d+)?\s*$",
    _I,
)
# A placeholder glued to a caption/credit ("图片Photo source: ...").
IMAGE_PREFIX = re.compile(r"^\s*(?:图片|圖片|图像|画像|사진)\s*(?=\S)")

# Photo/image credits and captions' sources.
PHOTO_CREDIT = re.compile(
    r"^\s*(?:file\s+)?(?:photo|photograph|image|picture|pic|credit|source\s+image|foto|bild|bildquelle|fotos?|crédit photo|"
    r"crédit|imagen|immagine|图片来源|图片|图源|圖片來源|配图|来源图|摄影|画像)"
    r"(?:\s*(?:source|credit|by|courtesy(?: of)?|via|von|de|par|:))*\s*[:：]\s*\S.*$",
    _I,
)
PHOTO_AGENCY = re.compile(
    r"(?:^|[\s/|(©])(?:getty images|shutterstock|istock(?:photo)?|afp(?: via getty images)?|reuters|ap photo|epa(?:-efe)?|dpa|"
    r"picture[- ]alliance|imago|alamy|xinhua|unsplash|pexels|wikimedia commons)\b[\s/).]*$",
    _I,
)

# A caption ending in its credit: "... in Hialeah, Fla. (AP Photo/Alan Diaz)", "(Photo: Jane Doe/Reuters)".
CAPTION_CREDIT = re.compile(
    r"\((?:[^()]{0,60}\b)?(?:photo|photograph|foto|image|picture|credit|getty images|reuters|afp|ap|epa|dpa)\b[^()]{0,80}\)\s*$", _I)

COPYRIGHT = re.compile(
    r"©|ⓒ|\(c\)\s*(?:19|20)\d\d|\bcopyright\b|all rights reserved|版权所有|版權所有|icp备|icp證|alle rechte vorbehalten|"
    r"tous droits réservés|todos los derechos reservados|tutti i diritti riservati|無断転載|저작권",
    _I,
)

# Cheap substring tests (on case-folded text) that must hold before the costly searches are tried.
COPYRIGHT_HINTS = ("©", "ⓒ", "(c)", "copyright", "rights reserved", "版权", "版權", "icp", "rechte", "droits", "derechos",
                   "diritti", "無断", "저작권")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+\.[\w.-]+")  # from the start of its run of name characters
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}")
URL = re.compile(r"(?:https?://|www\.)\S+", _I)

# Calls to action and interface text that are never article prose.
UI_CHROME = re.compile(
    r"^\W*(?:"
    + _words(
        r"(?:download|get) (?:the|our) app\b.*",
        r"get started(?: now)?\b.*",
        r"(?:app[- ]?store|google[- ]?play|play[- ]?store)(?:\W*(?:app[- ]?store|google[- ]?play|play[- ]?store))*",
        r"subscribe(?: now| today| for .*| to .*)?",
        r"sign (?:up|in|out)(?: for .*| to .*)?",
        r"log ?(?:in|out)",
        r"register(?: now)?",
        r"(?:share|teilen|partager|compartir|分享)(?: (?:this|on|via|article|story|the story).*)?",
        r"tweet|pin it|whatsapp|facebook|twitter|linkedin|telegram|reddit|e-?mail|print|drucken|imprimer|imprimir|wechat|weibo|"
        r"(?:facebook|twitter|linkedin|whatsapp|telegram|reddit|e-?mail|print|wechat|weibo)(?:\W+(?:facebook|twitter|linkedin|whatsapp|telegram|reddit|e-?mail|print|wechat|weibo|x))+",
        r"follow us(?: on .*)?",
        r"(?:newsletter|sign up for (?:our|the) newsletter).*",
        r"advertisement|advertising|sponsored(?: content)?|anzeige|publicité|publicidad|广告",
        r"loading(?: now)?(?:\.\.\.|…)?|please wait(?:\.\.\.|…)?|加载中(?:\.\.\.|…)?",
        r"(?:click|tap) here(?: .*)?",
        r".{0,60}\b(?:by )?(?:clicking|tapping) here",
        r"continue reading(?: below| the (?:main )?(?:story|article))?",
        r"(?:read|see|show|load|view) (?:more|all|full (?:story|article))(?: .{0,40})?",
        r"back to (?:top|gallery|(?:the )?(?:article|story|home(?:page)?))|skip to (?:main )?content|scroll to top|返回顶部",
        r"\d{1,3}\s*(?:/|of)\s*\d{1,3}",  # image counter of a gallery: "1 / 8"
        r"(?:accept|manage) cookies|cookie (?:settings|policy)|privacy policy|terms (?:of (?:use|service)|and conditions)|"
        r"impressum|datenschutz(?:erklärung)?|mentions légales|aviso legal|隐私政策",
        r"(?:try|explore) (?:our|what) .*",
        r"listen to (?:this|the) (?:article|story)|audio(?: version)?|watch(?: the)? video",
        r"(?:previous|next)(?: (?:article|post|story|page))?|上一篇.*|下一篇.*",
        r"logo|menu|search|home|close|toggle navigation|navigation",
        r"(?:orange|blue|red|white|black|grey|gray) background",
        r"friend(?:ly)? links?|友情链接",
        r"wechat official account|微信公众号|official account",
    )
    + r")\W*$",
    _I,
)

# Prompts and headings of comment sections.
COMMENTS = re.compile(
    r"^\W*(?:"
    + _words(
        r"(?:(?:top|most|best|latest|newest|recent|reader'?s'?|user|all|view|show|hide|read|see)\s+){0,2}(?:rated\s+)?comments?(?: \(\d+\))?",
        r"\d+ comments?",
        r"no comments(?: yet)?(?:\.\.\.|…)?",
        r"(?:leave|post|add|write|submit) (?:a |your )?(?:reply|comment|response)",
        r"be the first to comment.*",
        r"join the (?:conversation|discussion)",
        r"show comments|view comments|load (?:more )?comments",
        r"kommentare?|kommentieren|commentaires?|commenter|comentarios?|commenti|комментарии",
        r"评论|評論|留言|发表评论|发表评论：|コメント|댓글",
    )
    + r")\W*$",
    _I,
)

# Headings that open a section of other stories or page furniture after the article.
SECTION_HEADINGS = {
    "related_block": re.compile(
        r"^\W*(?:"
        + _words(
            r"related(?: articles?| stories| posts?| news| content| reading| coverage| topics)?",
            r"(?:you|we think you) (?:may|might) (?:also )?(?:like|enjoy|be interested in)",
            r"(?:more|other) (?:stories|articles|news|posts)(?: (?:from|by|in|on|about) .{0,40})?",
            r"(?:more|other) (?:from .*|on this topic|in .*)",
            r"(?:most|more) (?:read|popular|viewed|shared)(?: (?:in|on|from|at|this) .{0,30})?",
            r"recommended(?: for you| stories| articles| reading)?",
            r"read (?:next|also)",
            r"(?:trending|latest|top)(?: news| stories| now)?",
            r"(?:editor'?s )?picks?",
            r"what to read next",
            r"weitere (?:artikel|nachrichten|themen)|das könnte sie auch interessieren|mehr zum thema|auch interessant",
            r"(?:à lire aussi|lire aussi|articles similaires|sur le même sujet|dans la même rubrique)",
            r"(?:artículos relacionados|noticias relacionadas|te puede interesar|lee también)",
            r"(?:articoli correlati|leggi anche|potrebbe interessarti|ti potrebbe interessare)",
            r"(?:você (?:também )?pode gostar|veja também|leia também|(?:posts|artigos|notícias|matérias) relacionad[oa]s|mais lidas)",
            r"(?:читайте также|похожие (?:статьи|новости|записи)|по теме|другие новости)",
            r"(?:gerelateerde artikelen|lees ook|meer nieuws)",
            r"相关(?:文章|新闻|阅读|推荐)|相關(?:文章|新聞|閱讀)|推荐阅读|延伸阅读|热门(?:文章|新闻|推荐)?|猜你喜欢|関連記事|관련 기사",
        )
        + r")\W*$",
        _I,
    ),
    "comments": COMMENTS,
    "tags": re.compile(
        r"^\W*(?:tags?|tagged(?: with)?|topics?|filed under|categories|category|keywords|schlagwörter|themen|mots[- ]clés|"
        r"etiquetas|标签|標籤|关键词|タグ)\s*[:：]?\W*$",
        _I,
    ),
    "author_box": re.compile(r"^\W*(?:about the author|über den autor|à propos de l'auteur|sobre el autor|作者简介)\W*$", _I),
    "share_block": re.compile(r"^\W*(?:share this(?: article| story| post)?|share on|teilen sie diesen artikel)\W*$", _I),
}

# All section headings in one pattern: one match per line, the group name is the reason.
SECTION_HEADING = re.compile("|".join(f"(?P<{name}>{p.pattern})" for name, p in SECTION_HEADINGS.items()), _I)

# "Read: <another headline>" / "See also: ..." pointers to other articles.
READ_MORE = re.compile(
    r"^\W*(?:read|read more|read also|also read|see also|related|more|must read|watch|listen|lesen sie auch|auch lesen|"
    r"lire aussi|à lire|lee también|leggi anche|相关阅读|延伸阅读|推荐阅读|阅读更多)\s*[:：|»>]\s*\S",
    _I,
)

RELATIVE_TIME = re.compile(
    r"^\W*+(?:time|updated|posted|published)?\s*\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|months?|years?)\s+ago\W*$"
    r"|^\W*+(?:vor \d+ (?:minuten|stunden|tagen)|il y a \d+ (?:minutes?|heures?|jours?)|hace \d+ (?:minutos?|horas?|días?)|\d+\s*(?:分钟|小时|天)前)\W*$",
    _I,
)

SOURCE_LINE = re.compile(
    r"^\s*(?:original source|source|sources|quelle|source originale|fuente|fonte|来源|來源|出处|出典)\s*[:：]\s*(?P<source>[^\n]{2,80}?)\s*$",
    _I,
)
BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*\-–—]|\d{1,2}[.)])\s+")

# The byline of a reader comment: "Jane on May 2, 2019 at 4:47 pm said:", "3. joe says:".
COMMENT_BYLINE = re.compile(
    r"^\W*(?:\d{1,4}[.)]\s*)?\S.{0,80}?\s(?:says|said|wrote|writes|replied|replies|schreibt|sagt|schrieb|a écrit|dit|escribió|escribe|"
    r"dice|disse|scrive|ha scritto|zegt|schreef|пишет|написал|說|说)\s*[:：]\s*$",
    _I,
)
COMMENT_COUNT_HEADING = re.compile(
    r"^\W*\d+\s+(?:responses?|comments?|replies|thoughts?|reactions?|kommentare?|commentaires?|comentarios?|commenti|"
    r"reacties|комментари\w*)\b.{0,120}$",
    _I,
)

# Sentences that page templates carry whatever the article: cookie notices, newsletter prompts, legal lines.
BOILERPLATE_HINTS = ("cookie", "mail", "newsletter", "subscribe", "reproduc", "published", "broadcast", "redistribut",
                     "acceptance", "reserved", "privacy", "opt", "follow us", "like us", "sell my", "personal",
                     "by continuing", "by using", "rewritten", "terms", "save my name", "submitting",
                     "required fields")
BOILERPLATE_SENTENCE = re.compile(
    r"\b(?:"
    + _words(
        r"(?:this|our) (?:web)?site uses cookies",
        r"uses cookies to (?:improve|ensure|give|personali[sz]e)",
        r"by (?:continuing to use|using) (?:this|our) (?:web)?site",
        r"(?:enter|provide) your e-?mail(?: address)? to (?:subscribe|receive|get)",
        r"sign up (?:for|to) (?:our|the) (?:free )?(?:daily |weekly )?newsletters?",
        r"subscribe to (?:our|the) (?:free )?(?:daily |weekly )?newsletters?",
        r"may not be (?:reproduced|published|broadcast|rewritten|redistributed)",
        r"(?:constitutes|signifies) (?:your )?acceptance of (?:our|the) terms",
        r"all rights reserved",
        r"(?:your|of) personal (?:data|information)",
        r"save my name,? e-?mail",
        r"by submitting this form",
        r"your e-?mail address will not be published",
        r"required fields are marked",
        r"(?:processing|protection) of (?:your )?personal data",
        r"updated (?:our|its) privacy policy",
        r"(?:read|see|review) our (?:privacy policy|cookie policy|terms)",
        r"you can opt[- ]out",
        r"(?:follow|like) us on (?:facebook|twitter|instagram|linkedin)",
        r"do not sell my (?:personal )?(?:info|information)",
        r"wir verwenden cookies|diese (?:web)?seite (?:verwendet|nutzt) cookies",
        r"(?:ce site|nous) utilis(?:e|ons) des cookies",
        r"(?:este sitio|utilizamos) (?:web )?(?:utiliza )?cookies",
    )
    + r")\b",
    _I,
)

# A clock time, as in comment timestamps ("at 3:17 pm", "19:14 GMT").
CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|gmt|utc|uhr|h)?\b", _I)
ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


# --- Gates: which lines a pattern can match at all -------------------------------------------------------------
# Most lines of a page match none of the patterns above, and a regex alternation tries every alternative on every
# line. Every line pattern above is anchored at the line's start (after non-word characters), so the line's first
# word decides which patterns are worth trying: a set lookup instead of dozens of failed alternatives.
# tests/clean/test_patterns.py generates lines from each pattern and checks that its gate admits all of them.

_DOTLESS = str.maketrans({"ı": "i", "İ": "i"})  # the regex engine's IGNORECASE equates these with "i"; casefold does not
_LEAD = re.compile(r"\W*(\w*)")


def fold(text: str) -> str:
    """Case-folded as IGNORECASE compares: casefold, plus dotted and dotless i as i."""
    if "ı" in text or "İ" in text:
        text = text.translate(_DOTLESS)
    return text.casefold()


def head_word(line: str) -> str:
    """The first word of a line after any leading non-word characters, folded ('' if none)."""
    word = _LEAD.match(line).group(1)
    return word.lower() if word.isascii() else fold(word)


class Gate:
    """The first words a line pattern can start with: exact words, word prefixes (for CJK, where words run on, and
    for words a pattern may continue without a break) and, optionally, any digit."""

    __slots__ = ("words", "prefixes", "starts", "digits")

    def __init__(self, words: str = "", prefixes: str = "", digits: bool = False) -> None:
        self.words = frozenset(fold(w) for w in words.split())
        self.prefixes = tuple(fold(p) for p in prefixes.split())
        self.starts = frozenset(p[:2] for p in self.prefixes)  # every prefix has two characters or more
        self.digits = digits

    def admits(self, head: str) -> bool:
        return head in self.words or (head[:2] in self.starts and head.startswith(self.prefixes)) or (
            self.digits and head[:1].isdigit())


_COMMENT_WORDS = ("top most best latest newest recent reader readers user all view show hide read see rated comment comments "
                  "no leave post add write submit be join load kommentar kommentare kommentieren commentaire commentaires "
                  "commenter comentario comentarios commenti комментарии")
_COMMENT_PREFIXES = "评论 評論 留言 发表 コメ 댓글"

GATES = {
    "IMAGE_PLACEHOLDER": Gate(prefixes="image img photo picture bild foto imagen immagine изображение фото 图片 圖片 图像 圖像 画像 사진"),
    "IMAGE_PREFIX": Gate(prefixes="图片 圖片 图像 画像 사진"),
    "PHOTO_CREDIT": Gate(prefixes="file photo image pic credit source foto bild crédit imagen immagine "
                                  "图片 图源 圖片 配图 来源 摄影 画像"),
    "COMMENTS": Gate(_COMMENT_WORDS, _COMMENT_PREFIXES, digits=True),
    "UI_CHROME": Gate(
        "download get subscribe sign log login logout register share teilen partager compartir tweet pin whatsapp facebook "
        "twitter linkedin telegram reddit e email print drucken imprimer imprimir wechat weibo follow advertisement advertising sponsored anzeige "
        "publicité publicidad loading please click tap continue read see show load view back skip scroll accept manage "
        "cookie privacy terms impressum datenschutz datenschutzerklärung mentions aviso try explore listen audio watch "
        "previous next logo menu search home close toggle navigation orange blue red white black grey gray friend friendly "
        "official",
        "app google play newsletter 分享 广告 加载 返回 隐私 上一 下一 友情 微信",
        digits=True,
    ),  # plus "... clicking here", which may start with any word: see UI_CHROME_ANYWHERE
    "READ_MORE": Gate("read related more must watch listen lesen auch lire à lee leggi see also", "相关 延伸 推荐 阅读"),
    "RELATIVE_TIME": Gate("vor il hace", "time updated posted published", digits=True),
    "SECTION_HEADING": Gate(
        "related you we more other most recommended read trending latest top editor editors pick picks what weitere das "
        "mehr auch à lire articles sur dans artículos noticias te lee articoli leggi potrebbe ti você veja leia posts "
        "artigos notícias matérias mais читайте похожие по другие gerelateerde lees meer "
        "tag tags tagged topic topics filed categories category keywords schlagwörter themen mots etiquetas "
        "about über sobre share teilen " + _COMMENT_WORDS,
        "相关 相關 推荐 延伸 热门 猜你 関連 관련 标签 標籤 关键 タグ 作者 " + _COMMENT_PREFIXES,
        digits=True,
    ),
    "COMMENT_COUNT_HEADING": Gate(digits=True),
}


def _gate_tables() -> tuple[dict[str, int], dict[str, list[tuple[str, int]]], int]:
    """GATES merged into one lookup: exact word -> bit mask, first two characters -> (prefix, mask), digit mask."""
    words: dict[str, int] = {}
    prefixes: dict[str, list[tuple[str, int]]] = {}
    digits = 0
    for i, gate in enumerate(GATES.values()):
        for w in gate.words:
            words[w] = words.get(w, 0) | 1 << i
        for p in gate.prefixes:
            prefixes.setdefault(p[:2], []).append((p, 1 << i))
        digits |= (1 << i) if gate.digits else 0
    return words, prefixes, digits


_WORD_MASK, _PREFIX_MASK, _DIGIT_MASK = _gate_tables()
_MASK_GATES = [tuple(bool(mask >> i & 1) for i in range(len(GATES))) for mask in range(1 << len(GATES))]
NO_GATES = _MASK_GATES[0]  # the usual answer, and the same object each time (callers test it with `is`)
_HEAD_GATES: dict[str, tuple[bool, ...]] = {}


def gates_for(head: str) -> tuple[bool, ...]:
    """For each of GATES in order, whether it admits a line whose first word is `head` (what Gate.admits says,
    from the merged tables, cached: first words repeat a lot)."""
    gates = _HEAD_GATES.get(head)
    if gates is None:
        if len(_HEAD_GATES) > 100_000:
            _HEAD_GATES.clear()
        mask = _WORD_MASK.get(head, 0)
        for prefix, bits in _PREFIX_MASK.get(head[:2], ()):
            if head.startswith(prefix):
                mask |= bits
        if head[:1].isdigit():
            mask |= _DIGIT_MASK
        gates = _HEAD_GATES[head] = _MASK_GATES[mask]
    return gates


def clear_gate_cache() -> None:
    _HEAD_GATES.clear()


# The one UI_CHROME alternative not bound to the first word needs this (folded) text somewhere in the line.
UI_CHROME_ANYWHERE = "here"

# PHOTO_AGENCY is anchored at the line's end: the line, stripped of trailing spaces, slashes, brackets and dots, must
# end with an agency's name.
AGENCY_ENDINGS = ("getty images", "shutterstock", "istock", "istockphoto", "afp", "reuters", "ap photo", "epa", "epa-efe",
                  "dpa", "picture-alliance", "picture alliance", "imago", "alamy", "xinhua", "unsplash", "pexels",
                  "wikimedia commons")
# ...and the last word token of those names.
AGENCY_LAST_TOKENS = frozenset("images shutterstock istock istockphoto afp reuters photo epa efe dpa alliance imago alamy "
                               "xinhua unsplash pexels commons".split())

# Word tokens (text.TOKEN, folded) one of which every match of COPYRIGHT and BOILERPLATE_SENTENCE contains, as a
# whole token: a set test that spares the substring and regex searches on almost every line. COPYRIGHT's symbols
# and CJK forms are not tokens of their own: non-ASCII lines are also searched for these.
COPYRIGHT_TOKENS = frozenset("c copyright rights rechte droits derechos diritti".split())
COPYRIGHT_SYMBOLS = ("©", "ⓒ", "版权", "版權", "icp", "無断", "저작권")  # all but the first two need a CJK character
BOILERPLATE_TOKENS = frozenset(
    "cookies cookie site website mail email newsletter newsletters reproduced published broadcast rewritten "
    "redistributed acceptance reserved personal name submitting required privacy terms opt facebook twitter "
    "instagram linkedin sell".split())
TRIGGER_TOKENS = COPYRIGHT_TOKENS | BOILERPLATE_TOKENS
