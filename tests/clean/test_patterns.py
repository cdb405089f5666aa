"""The cleaner's shortcuts only save time: they never change what a line is classified as.

The cleaner tries a pattern only on lines its gate admits (the first word, a word token, a hint); line features
have byte-level and cached fast paths. Here each gate is checked against lines generated from every alternative of
the pattern itself, and every line feature against a plain computation that tries every pattern on every line.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.clean import patterns as P
from newsclean.clean import textdump as T

GATED = ["IMAGE_PLACEHOLDER", "IMAGE_PREFIX", "PHOTO_CREDIT", "COMMENTS", "UI_CHROME", "READ_MORE", "RELATIVE_TIME",
         "SECTION_HEADING", "COMMENT_COUNT_HEADING"]
ASCII = st.characters(max_codepoint=127)
TERMINAL = re.compile(r"[.!?。！？…:;]['\"”’»)\]]*\s*$")  # what ends a sentence, as a plain regex


def _plain_line_reason(text: str) -> str | None:
    """Every pattern on every line, in the cleaner's order: what the gated version must agree with."""
    s = text.strip()
    n = T._words(s)
    if P.IMAGE_PLACEHOLDER.match(s):
        return "image_placeholder"
    if n <= 20 and (P.PHOTO_CREDIT.match(s) or P.PHOTO_CREDIT.match(P.IMAGE_PREFIX.sub("", s))):
        return "photo_credit"
    if P.IMAGE_PREFIX.match(s) and n <= 20:
        return "image_placeholder"
    if n <= 12 and P.PHOTO_AGENCY.search(s) and not TERMINAL.search(s.rstrip(")")):
        return "photo_credit"
    if n <= 60 and s.endswith(")") and P.CAPTION_CREDIT.search(s):
        return "photo_credit"
    low = s.casefold()
    if n <= 40 and any(h in low for h in P.COPYRIGHT_HINTS) and P.COPYRIGHT.search(s):
        return "footer"
    if n <= 12 and ((("@" in s) and P.EMAIL.search(s)) or (sum(map(str.isdigit, s)) >= 7 and P.PHONE.search(s))):
        return "contact"
    if n <= 8 and P.COMMENTS.match(s):
        return "comments"
    if n <= 12 and P.UI_CHROME.match(s):
        return "ui_chrome"
    if n <= 25 and P.READ_MORE.match(s):
        return "read_more"
    if n <= 6 and P.RELATIVE_TIME.match(s):
        return "timestamp"
    if n <= 80 and any(h in low for h in P.BOILERPLATE_HINTS) and P.BOILERPLATE_SENTENCE.search(s):
        return "boilerplate_sentence"
    return None


def _plain_heading(text: str) -> str | None:
    s = text.strip()
    n = T._words(s)
    if n > 30:
        return None
    if P.COMMENT_COUNT_HEADING.match(s):
        return "comments"
    if n > 8:
        return None
    m = P.SECTION_HEADING.match(s)
    return m.lastgroup if m else None


def _plain_features(t: str) -> tuple:
    """(words, prose, key, byline, bullet, texty) of an rstripped line, each computed the plain way."""
    from newsclean.extract.dates import find_date
    from newsclean.text import CJK

    config = T.TextCleanConfig()
    n = T._words(t)
    key = " ".join(t.casefold().split())
    cjk = len(CJK.findall(t))
    if cjk >= config.cjk_prose_chars and re.search(r"[、，。！？；：]", t):
        prose = True
    elif n >= config.prose_long_words:
        prose = bool(re.search(r"[.,;:!?。，、；：！？…]", t))
    else:
        prose = n >= config.prose_min_words and bool(TERMINAL.search(t))
    byline = n <= 16 and (":" in t or "：" in t) and bool(
        P.COMMENT_BYLINE.match(t) or (P.CLOCK.search(t) and (find_date(t) or " ago" in key) and not P.ISO_STAMP.search(t)))
    firsts = [w[0] for w in t.split()]
    cased = [c for c in firsts if c.isalpha() and c.lower() != c.upper()]
    texty = not prose and n >= 3 and len(cased) >= 3 and sum(c.islower() for c in cased) >= 0.4 * len(cased)
    return n, prose, key, byline, bool(P.BULLET.match(t)), texty


def _from(*names: str, alphabet=None) -> st.SearchStrategy[str]:
    return st.one_of([st.from_regex(getattr(P, name), alphabet=alphabet) for name in names])


LINES = st.one_of(
    _from(*GATED, "PHOTO_AGENCY", "CAPTION_CREDIT", "COPYRIGHT", "BOILERPLATE_SENTENCE", "EMAIL", "PHONE",
          "COMMENT_BYLINE", "CLOCK", "BULLET", "URL"),
    _from(*[g for g in GATED if g != "IMAGE_PREFIX"], "PHOTO_AGENCY", "COPYRIGHT", "BOILERPLATE_SENTENCE", alphabet=ASCII),
    st.text(max_size=60),
    st.text(alphabet=ASCII, max_size=60),
).map(lambda s: s.replace("\n", " "))


@settings(max_examples=3000, deadline=None)
@given(LINES)
def test_gated_rules_agree_with_plain_rules(line):
    T.clear_feature_cache()
    assert T.line_reason(line) == _plain_line_reason(line)
    assert T._section_heading(line) == _plain_heading(line)
    # the features the page classifier uses (ASCII fast path included) agree too
    t = line.rstrip()
    if t:
        n, prose, key, rule, heading, byline, bullet, _, texty = T._features(t, T.TextCleanConfig())
        assert (n, prose, key, byline, bullet, texty) == _plain_features(t)
        assert (rule, heading) == (_plain_line_reason(t), _plain_heading(t))


# Regex sources read as text, to split a pattern into its alternatives (one test case each).

def _scan(source: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth) of each character of a regex source outside escapes and character classes; depth
    counts the groups around it, a parenthesis counting its own group."""
    depth, in_class, i = 0, False, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            depth += c == "("
            yield i, c, depth
            depth -= c == ")"
        i += 1


def _group_end(source: str, start: int) -> int:
    """Index of the ")" closing the group opened at source[start]."""
    opened = None
    for i, c, depth in _scan(source):
        if i == start:
            opened = depth
        elif opened is not None and c == ")" and depth == opened:
            return i
    raise ValueError(f"unbalanced group in {source!r}")


def _top_level_alternatives(source: str) -> list[str]:
    """source split at the | that no group encloses."""
    cuts = [i for i, c, depth in _scan(source) if c == "|" and depth == 0]
    return [source[a + 1:b] for a, b in pairwise([-1, *cuts, len(source)])]


def _split_top(pattern: str) -> tuple[list[str], int, int] | None:
    """The alternatives of the whole pattern or else of its first-opened group that has some, with their span."""
    top = _top_level_alternatives(pattern)
    if len(top) > 1:
        return top, 0, len(pattern)
    for i, c, _ in _scan(pattern):
        if c == "(":
            end = _group_end(pattern, i)
            body_from = pattern.index(":", i) + 1 if pattern.startswith("(?", i) else i + 1
            alternatives = _top_level_alternatives(pattern[body_from:end])
            if len(alternatives) > 1:
                return alternatives, body_from, end
    return None


def _variants(pattern: str) -> list[str]:
    """The pattern once per alternative of its first alternation (recursively for the whole-pattern kind)."""
    split = _split_top(pattern)
    if split is None:
        return [pattern]
    alternatives, a, b = split
    if (a, b) == (0, len(pattern)):
        return [v for alt in alternatives for v in _variants(alt)]
    return [pattern[:a] + alt + pattern[b:] for alt in alternatives]


GATE_CASES = [
    (index, name, variant)
    for index, name in enumerate(GATED)
    for source in ([p.pattern for p in P.SECTION_HEADINGS.values()] if name == "SECTION_HEADING" else [getattr(P, name).pattern])
    for variant in _variants(source)
]


def test_every_alternative_is_covered():
    assert len(GATE_CASES) > 150  # one case per alternative of every gated pattern
    assert any("mentions légales" in v for _, _, v in GATE_CASES)


@pytest.mark.parametrize("index,name,variant", GATE_CASES)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_every_line_a_pattern_alternative_matches_passes_its_gate(index, name, variant, data):
    pattern = getattr(P, name)
    s = data.draw(st.from_regex(re.compile(variant, pattern.flags))).replace("\n", " ").strip()
    if pattern.match(s):
        admitted = P.gates_for(P.head_word(s))[index]
        if name == "UI_CHROME":
            admitted = admitted or P.UI_CHROME_ANYWHERE in s.casefold()
        assert admitted, (name, s)


@settings(max_examples=500, deadline=None)
@given(_from("COPYRIGHT", "BOILERPLATE_SENTENCE", "PHOTO_AGENCY", alphabet=ASCII))
def test_ascii_token_triggers_are_necessary(line):
    tokens = line.encode().translate(T._ASCII_LOWER_WORDS).decode().split()
    if P.COPYRIGHT.search(line):
        assert not P.COPYRIGHT_TOKENS.isdisjoint(tokens)
    if P.BOILERPLATE_SENTENCE.search(line):
        assert not P.BOILERPLATE_TOKENS.isdisjoint(tokens)
    if P.PHOTO_AGENCY.search(line):
        assert tokens[-1] in P.AGENCY_LAST_TOKENS
        assert T._agency_at_end(line)


def test_case_folding_matches_the_regex_engine():
    # IGNORECASE equates dotted/dotless i and long s with plain letters; the gates must too
    for line in ("İmage", "ımage 1 of 3", "ſhare", "COMMENTS", "Ｔags:"):
        head = P.head_word(line)
        assert P.gates_for(head) == tuple(P.GATES[name].admits(head) for name in GATED)
    assert T.line_reason("ıMAGE") == _plain_line_reason("ıMAGE") == "image_placeholder"
    assert re.match(P.UI_CHROME, "ſhare") and T.line_reason("ſhare") == "ui_chrome"


def test_shortcuts_rest_on_facts_about_unicode_and_the_tables():
    # a line key is the folded line itself when it is printable with single spaces: no other whitespace prints
    assert [c for c in range(0x110000) if chr(c).isspace() and chr(c).isprintable() and c != 32] == []
    # where casefold keeps a line's length, it maps character to character without moving word boundaries
    # (but for U+0345, which it turns into a letter) and without making or unmaking CJK characters
    cjk = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
    for c in map(chr, range(0x110000)):
        f = c.casefold()
        if len(f) == 1 and c != "\u0345":
            assert (c.isalnum(), c == "_", bool(cjk.match(c))) == (f.isalnum(), f == "_", bool(cjk.match(f))), hex(ord(c))
    # the gate tables look prefixes up by their first two characters
    assert all(len(p) >= 2 for gate in P.GATES.values() for p in gate.prefixes)
    for line in ("Ⓒ 2024 Example", "Copyright  2024\tExample", "ＳＨＡＲＥ", "Loading…"):
        T.clear_feature_cache()
        n, _, key, rule, *_ = T._features(line, T.TextCleanConfig())
        assert key == T.line_key(line) and rule == _plain_line_reason(line) and n == T._words(line)


@pytest.mark.parametrize("line", [
    "May 2, 2019 at 4:47 pm", "March 3, 2020 at 1:05 am:", "jane says:", "3. joe says:", "1:05 an hour ago",
    "Posted by Jane on May 2, 2019 at 4:47 pm", "2024-01-02T10:00 updated 2024-01-02", "• item one", "1) first",
    "- dash item", "Visit https://example.com now", "see WWW.example.com", "Call +1 415 555 0100",
    "Kontakt: 0800 123 4567", "Rédaction : Marie Dupont a écrit :", "Ⓒ Société Générale", "发表评论：",
])
def test_features_of_typical_chrome_lines_agree_with_plain_ones(line):
    T.clear_feature_cache()
    n, prose, key, rule, heading, byline, bullet, _, texty = T._features(line, T.TextCleanConfig())
    assert (n, prose, key, byline, bullet, texty) == _plain_features(line)
    assert (rule, heading) == (_plain_line_reason(line), _plain_heading(line))
