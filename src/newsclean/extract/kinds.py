"""The kind of a web page (article, forum, product, collection, listing, documentation, service), recognised
from its parsed HTML: structured data, repeated item structures, URL and markup, scored by a small LightGBM
model learnt from the WCXB development pages (bench/train_page_kind.py)."""
from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

import numpy as np
from lxml import etree
from lxml import html as lxml_html

from newsclean.extract.meta import Declared, declared
from newsclean.extract.visible import visible_text

KINDS = ("article", "forum", "product", "collection", "listing", "documentation", "service")

# schema.org / og types, grouped by the kind they point to.
_TYPE_GROUPS = {
    "article": ("article", "newsarticle", "blogposting", "reportagenewsarticle", "opinionnewsarticle", "report"),
    "forum": ("discussionforumposting", "qapage", "question", "answer", "comment", "socialmediaposting"),
    "product": ("product", "offer", "aggregateoffer", "productgroup", "aggregaterating", "individualproduct"),
    "collection": ("collectionpage", "offercatalog", "searchresultspage"),
    "listing": ("itemlist", "listitem"),
    "documentation": ("techarticle", "apireference", "softwaresourcecode", "howto"),
    "service": ("service", "organization", "localbusiness", "faqpage", "professionalservice", "webpage", "aboutpage",
                "contactpage", "softwareapplication", "website"),
}
# Words of a URL's path (split on anything but letters) that point to a kind.
_URL_WORDS = {
    "u_forum": {"forum", "forums", "thread", "threads", "topic", "topics", "discussion", "discussions", "community",
                "question", "questions", "viewtopic", "showthread", "t", "comments", "r"},
    "u_product": {"product", "products", "p", "dp", "item", "items", "shop", "store", "buy", "sku", "gp"},
    "u_collection": {"collection", "collections", "category", "categories", "c", "catalog", "brand", "brands",
                     "department", "shop", "range"},
    "u_listing": {"list", "lists", "best", "top", "tag", "tags", "search", "archive", "archives", "page", "directory",
                  "results", "jobs", "events", "recipes", "reviews", "deals"},
    "u_docs": {"docs", "doc", "documentation", "api", "reference", "guide", "guides", "manual", "wiki", "tutorial",
               "tutorials", "learn", "readme", "howto", "kb", "support", "help", "en"},
    "u_article": {"blog", "news", "article", "articles", "story", "stories", "post", "posts", "opinion", "press"},
    "u_service": {"service", "services", "solution", "solutions", "pricing", "about", "contact", "features", "platform",
                  "enterprise", "plans", "company", "industries", "product"},
}
_PATH_WORDS = re.compile(r"[a-z]+")
# Beginnings of the words class and id names are made of (post-body -> post, body; productprice -> product...).
_CLASS_PARTS = {
    "c_post": ("post", "message", "reply", "replies", "thread", "topic", "comment", "quote", "bbcode", "author", "user",
               "avatar", "forum"),
    "c_product": ("product", "price", "cart", "basket", "checkout", "sku", "stock", "variant", "quantity", "rating",
                  "review", "buy"),
    "c_item": ("item", "card", "tile", "grid", "result", "listing", "teaser", "entry", "collection", "list"),
    "c_docs": ("doc", "sidebar", "toc", "highlight", "syntax", "language", "hljs", "prettyprint", "api", "markdown",
               "admonition", "code"),
    "c_article": ("article", "content", "byline", "headline", "story", "dateline", "published", "blog", "news"),
    "c_service": ("hero", "feature", "pricing", "testimonial", "cta", "banner", "section", "plan", "benefit", "service"),
}
# The words class and id names are made of: runs of a-z once lower-cased, every other byte (non-ASCII characters
# are "?" first) a space, then split: what re.findall("[a-z]+") gives, at a third of its CPU.
_NOT_A_TO_Z = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def _name_parts(names: list[str]) -> list[str]:
    return " ".join(names).lower().encode("ascii", "replace").translate(_NOT_A_TO_Z).decode().split()


@lru_cache(maxsize=65_536)
def _class_groups(part: str) -> tuple[str, ...]:
    """The _CLASS_PARTS groups whose beginnings a word of a class or id name starts with."""
    return tuple(name for name, beginnings in _CLASS_PARTS.items() if part.startswith(beginnings))


_PRICE = re.compile(r"[$€£¥]\s?\d|\d\s?(?:€|zł|kr\b)")
# Phrases counted in the page's lower-cased text.
_PHRASES = {
    "w_cart": ("add to cart", "add to bag", "add to basket", "in stock", "out of stock", "free shipping", "sku"),
    "w_reply": (" reply", " replies", " quote", " joined", "posts:", " member", " thread", "report post"),
    "w_docs": ("parameter", "returns", "example", "syntax", "install", "edit this page", "on this page"),
    "w_service": ("contact us", "get started", "free trial", "request a demo", "our services", "book a", "learn more"),
    "w_article": ("min read", "minute read", "published", "updated", "share this", "by ", "comments"),
}
_DATE_URL = re.compile(r"/(?:19|20)\d\d/(?:[01]?\d/)?")


_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_QUOTED = re.compile(r'"([^"]+)"')


# Queries for strings answer plain str (lxml's default "smart" strings each keep a reference to their element).
_ITEMTYPES = etree.XPath("//@itemtype", smart_strings=False)
# Two queries, not their union: libxml2 merges a union's node sets by comparing each node with the other set's
# (a page of 20,000 classes took 0.85 s, 50,000 more than 5 s); the words are counted, their order is not needed
_CLASSES = etree.XPath("//body//@class", smart_strings=False)
_IDS = etree.XPath("//body//@id", smart_strings=False)
_LINK_TEXT = etree.XPath("//body//a//text()", smart_strings=False)
_PARAGRAPHS = etree.XPath("//body//p")
# Elements of these tags inside the body are counted (one walk of the body, which libxml2 filters by tag).
_COUNTED_TAGS = ("article", "time", "pre", "code", "form", "input", "button", "table", "li", "p", "h1", "h2", "h3",
                 "img", "a", "nav", "aside", "blockquote", "dl", "select", "iframe", "section")


def _structured_types(tree, scripts: list[str], og: list[str]) -> Counter:
    """schema.org types named by JSON-LD (`scripts`: their texts), microdata and og:type (`og`: the page's og:type
    values, lower-cased), lower-cased and without their namespace."""
    found: Counter = Counter()
    for script in scripts:
        for value in _LD_TYPE.findall(script):
            for name in _QUOTED.findall(value):
                found[name.rsplit("/", 1)[-1].lower()] += 1
    for itemtype in _ITEMTYPES(tree):
        for name in itemtype.split():
            found[name.rstrip("/").rsplit("/", 1)[-1].lower()] += 1
    for value in og:
        found[value.split(".")[0]] += 1
    return found


_CONTAINER_TAGS = ("div", "ul", "ol", "section", "main", "tbody", "article", "table")


def _repeats(body, text: str) -> tuple[int, int, float]:
    """Repeated sibling structures (items of a list, posts of a thread, cards of a grid): the largest run of
    siblings sharing tag and class, how many parents hold five or more such siblings, and the text share of
    the largest such group (`text`: the body's text)."""
    best, groups, best_text = 0, 0, 0
    if body is None:
        return 0, 0, 0.0
    total = max(1, len(text))
    for parent in body.iter(_CONTAINER_TAGS):
        if len(parent) < 5:  # fewer than five children of any sort: fewer than five elements
            continue
        children = [c for c in parent if isinstance(c.tag, str)]
        if len(children) < 5:
            continue
        counts = Counter((c.tag, c.get("class", "")) for c in children)
        key, n = counts.most_common(1)[0]
        if n >= 5:
            groups += 1
            if n > best:
                best = n
                best_text = sum(len(c.text_content()) for c in children if (c.tag, c.get("class", "")) == key)
    return best, groups, best_text / total


def page_features(tree, url: str | None = None, visible: str | None = None,
                  page: Declared | None = None) -> dict[str, float]:
    """Numbers describing a parsed page, the recogniser's input (same names and order on every page). Its words,
    prices and phrases are counted in its visible text (`visible`: extract/visible.py's, read off the tree when not
    given), not in scripts and styles; `page`: what it declares of itself (meta.declared), read when not given."""
    f: dict[str, float] = {}
    page = page or declared(tree)
    og = [x.strip().lower() for x in page.og_types]
    types = _structured_types(tree, page.ld_json, og)
    for group, names in _TYPE_GROUPS.items():
        f[f"t_{group}"] = float(sum(types[n] for n in names))
    f["og_article"] = float(any(x == "article" for x in og))
    f["og_product"] = float(any(x.startswith("product") for x in og))
    f["og_website"] = float(any(x == "website" for x in og))
    address = (url or page.address).lower()
    path = urlsplit(address).path if address else ""
    words = set(_PATH_WORDS.findall(path))
    for name, vocabulary in _URL_WORDS.items():
        f[name] = float(len(words & vocabulary))
    f["u_depth"] = float(path.strip("/").count("/") + 1 if path.strip("/") else 0)
    f["u_date"] = float(bool(_DATE_URL.search(path)))
    f["u_known"] = float(bool(address))
    f["u_len"] = float(len(path))
    f["u_digits"] = float(sum(ch.isdigit() for ch in path))
    f.update(dict.fromkeys(_CLASS_PARTS, 0.0))
    for part, n in Counter(_name_parts(_CLASSES(tree) + _IDS(tree))).items():
        for name in _class_groups(part):
            f[name] += n
    body = tree.find("body")
    tags = Counter(el.tag for el in body.iterdescendants(*_COUNTED_TAGS)) if body is not None else Counter()
    for tag in _COUNTED_TAGS:
        f[f"n_{tag}"] = float(tags[tag])
    text = visible_text(tree) if visible is None else visible
    words = max(1, len(text.split()))
    f["words"] = float(words)
    link_text = len(" ".join(_LINK_TEXT(tree)).split())
    f["link_density"] = link_text / words
    p_words = [len(p.text_content().split()) for p in _PARAGRAPHS(tree)]
    f["p_share"] = sum(p_words) / words
    f["p_long"] = float(sum(1 for w in p_words if w >= 30))
    f["p_mean"] = float(np.mean(p_words)) if p_words else 0.0
    f["prices"] = float(len(_PRICE.findall(text)))
    lowered = text.lower()
    for name, phrases in _PHRASES.items():
        f[name] = float(sum(lowered.count(phrase) for phrase in phrases))
    f["rep_best"], f["rep_groups"], f["rep_text"] = (float(x) for x in _repeats(body, text))
    per_p = max(1.0, f["n_p"])
    f["li_per_p"] = f["n_li"] / per_p
    f["h_per_p"] = (f["n_h2"] + f["n_h3"]) / per_p
    f["img_per_word"] = f["n_img"] / words * 100
    f["a_per_word"] = f["n_a"] / words * 100
    return f


FEATURE_NAMES = tuple(page_features(lxml_html.fromstring("<html><body><p>x</p></body></html>")))


@cache
def _model():
    """The shipped recogniser, loaded once per process (None when absent: every page is then an article)."""
    import lightgbm as lgb

    path = resources.files("newsclean.extract") / "model" / "page_kind.txt"
    if not path.is_file():
        return None
    return lgb.Booster(model_str=path.read_text())


def kind_scores(features: dict[str, float]) -> dict[str, float]:
    """The recogniser's probability of each kind."""
    model = _model()
    if model is None:
        return {k: float(k == "article") for k in KINDS}
    row = np.array([[features[n] for n in FEATURE_NAMES]], dtype=np.float64)
    return dict(zip(KINDS, map(float, model.predict(row, num_threads=1)[0])))  # threads cost more than one row


def page_kind(tree, url: str | None = None, visible: str | None = None, page: Declared | None = None) -> str:
    """The most likely kind of a parsed page (`visible`: its visible text, `page`: what it declares of itself, when
    the caller has them)."""
    scores = kind_scores(page_features(tree, url, visible, page))
    return max(scores, key=scores.get)
