"""Text helpers shared by extraction, cleaning and dedup: CJK-aware tokens, word counts, normalised hashes, page
titles without their site's name."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable

# One token per CJK character (those scripts do not separate words by spaces), else runs of letters/digits.
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W_]+", re.UNICODE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def read_json(text: str):
    """json.loads, JSON nested deeper than Python recurses ("[[[[…") raised as the ValueError any unreadable JSON
    raises, not as a RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; each CJK character is a token of its own."""
    return [t.lower() for t in TOKEN.findall(text or "")]


def word_count(text: str) -> int:
    """Number of words, counting CJK characters as words."""
    return len(TOKEN.findall(text or ""))


def normalise(text: str) -> str:
    """Text reduced to what matters for identity: NFKC, case-folded, punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(TOKEN.findall(text))


def content_hash(text: str) -> str:
    """sha256 of the normalised text: equal for copies that differ only in case, spacing or punctuation."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


# " | ", " - ", " – ", " — ", " · ", " • ", " » ", " :: " between a page's title and its site's name
_TITLE_PARTS = re.compile(r"(?<!\s)\s++(?:\||-|–|—|·|•|»|::)\s+")  # spaces read once, from the start of their run


def without_site_name(title: str, site: str) -> str:
    """A page title without the site's name written before or after it ("Storm closes the harbour | Example News"
    -> "Storm closes the harbour" for the site "Example News"): the parts, between separators such as " | " and
    " - ", whose words are all the site name's go, unless nothing would be left."""
    parts = _TITLE_PARTS.split(title)
    site_words = set(tokens(site))
    kept = [p for p in parts if not (site_words and set(tokens(p)) <= site_words)]
    return title if len(parts) < 2 or not kept or len(kept) == len(parts) else " - ".join(kept)


def headline(title: str | None, site: str | None, h1s: Iterable[str]) -> str | None:
    """The title as the page writes it over the article: without the site's name ("Water board approves plan |
    River Post"), and as the first of the page's <h1> texts `h1s` holding only words of the title's longest part
    where there is one (a meta title often adds to the headline: "Water board approves plan: what it means for
    you"; the longest part, since a site's name left in the title can be a logo's <h1> too)."""
    if not title:
        return title
    if site:
        title = without_site_name(title, site)
    words = max((set(tokens(part)) for part in _TITLE_PARTS.split(title)), key=len)
    return next((h1 for h1 in h1s if (own := set(tokens(h1))) and own <= words), title)
