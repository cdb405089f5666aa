"""Site templates learned from a corpus: lines that different pages of one source share (CCNet-style).

Pages of one site carry the same menus, footers, cookie notices and sidebars. A line shared by two pages
is template when the two pages are different articles; copies of one article (a re-post, the same story
saved twice) share their prose too and must not erase each other, so a pair only counts when the pages
share less than `max_prose_overlap` of their prose lines.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from newsclean.clean.textdump import TextCleanConfig, key_and_prose


@dataclass(frozen=True, slots=True)
class TemplateConfig:
    """When a shared line counts as template."""

    max_prose_overlap: float = 0.5  # pages sharing more of their prose than this are copies, not siblings
    max_pairs_checked: int = 50  # per line: enough to find one pair of different pages, bounded work
    min_pages: int = 2


def _line_sets(text: str, config: TextCleanConfig) -> tuple[set[str], set[str]]:
    keys, prose = set(), set()
    for k, is_prose in key_and_prose(text.split("\n"), config):
        keys.add(k)
        if is_prose:
            prose.add(k)
    return keys, prose


def template_lines(texts: Iterable[str], config: TemplateConfig = TemplateConfig(), text_config: TextCleanConfig = TextCleanConfig()) -> frozenset[str]:
    """Normalised keys of lines shared by at least two different pages of one source."""
    sets = [_line_sets(t, text_config) for t in texts]
    pages_of: dict[str, list[int]] = defaultdict(list)
    for i, (keys, _) in enumerate(sets):
        for k in keys:
            pages_of[k].append(i)
    siblings: dict[tuple[int, int], bool] = {}

    def different(a: int, b: int) -> bool:
        if (a, b) not in siblings:
            pa, pb = sets[a][1], sets[b][1]
            small = min(len(pa), len(pb))
            siblings[(a, b)] = small == 0 or len(pa & pb) / small < config.max_prose_overlap
        return siblings[(a, b)]

    found = set()
    for key, pages in pages_of.items():
        if len(pages) < config.min_pages:
            continue
        checked = 0
        for x in range(len(pages)):
            for y in range(x + 1, len(pages)):
                checked += 1
                if different(pages[x], pages[y]):
                    found.add(key)
                    break
                if checked >= config.max_pairs_checked:
                    break
            if key in found or checked >= config.max_pairs_checked:
                break
    return frozenset(found)
