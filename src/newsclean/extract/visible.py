"""A parsed page's visible text, one block a line: what a browser shows without styling, the cheap stand-in for
a flattener (the page kind's features, the HTML path's record of what extraction left out); and the same text of
its main region only, without the page's navigation landmarks (the extraction of forums, listings, service pages
and documentation)."""
from __future__ import annotations

import re

from lxml import etree

# Elements that start a new line in a browser's rendering, and elements whose text is never shown.
_BLOCKS = frozenset("address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure "
                    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot "
                    "th thead tr ul caption legend option".split())
_HIDDEN = frozenset("script style noscript template svg head iframe object canvas math".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


# The landmarks that frame a page's content (ARIA's navigation, banner, contentinfo, complementary and search roles,
# and the HTML elements that carry them): menus, site headers and footers, sidebars. A header or footer inside an
# article, aside, main, nav or section element is that element's own (an entry's headline), not a landmark.
_SECTIONING = "ancestor::*[self::article or self::aside or self::main or self::nav or self::section or @role='main']"
_ROLES = " or ".join(f"@role='{r}'" for r in ("navigation", "banner", "contentinfo", "complementary", "search"))
# One walk with a condition, not a union of five: libxml2 merges a union's node sets by comparing each node with the
# other set's
_LANDMARKS = etree.XPath(f".//*[self::nav or self::aside or ((self::header or self::footer) and not({_SECTIONING}))"
                         f" or {_ROLES}]")


# The tree's text with a line break around each block element, the hidden elements, comments and processing
# instructions left out (libxslt walks the tree in C; the same as walking it in Python, at half the CPU). Match
# patterns are element names alone: libxslt tests a pattern with a condition ("*[@role='banner']") by counting the
# element's siblings, so a region of 50,000 sibling elements took ten minutes.
_VISIBLE = etree.XSLT(etree.XML(
    '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:output method="text" encoding="UTF-8"/>'
    f'<xsl:template match="{"|".join(sorted(_HIDDEN))}|comment()|processing-instruction()"/>'
    f'<xsl:template match="{"|".join(sorted(_BLOCKS))}">'
    '<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>'
    '</xsl:stylesheet>'))
_MAIN = etree.XPath("//*[self::main or @role='main']")


def visible_text(tree) -> str:
    """The text of a parsed page as a browser lays it out without styling: one block a line (the cheap stand-in for
    a flattener, read off the tree extraction uses)."""
    body = tree.find("body")
    return _lines(_VISIBLE(body if body is not None else tree))


def main_text(tree) -> str:
    """The visible text of a page's main region (its first <main> or role="main" element, else its body) without
    the navigation landmarks inside it (nav and aside elements, the site's header and footer, the landmark
    roles)."""
    mains = _MAIN(tree)
    root = mains[0] if mains else tree.find("body")
    root = root if root is not None else tree
    landmarks = [(element, element.tag) for element in _LANDMARKS(root)]
    try:
        for element, _ in landmarks:
            element.tag = "template"  # hidden from the stylesheet, for this walk only (its tail is shown)
        return _lines(_VISIBLE(root))
    finally:
        for element, tag in landmarks:
            element.tag = tag


def _lines(result) -> str:
    text = _SPACES.sub(" ", str(result))  # _SPACES holds no line break
    return "\n".join(filter(None, map(str.strip, text.split("\n"))))
