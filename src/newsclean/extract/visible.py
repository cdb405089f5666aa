"""A parsed page's visible text, one block a line: what a browser shows without styling, the cheap stand-in for
a flattener (the page kind's features, the HTML path's record of what extraction left out)."""
from __future__ import annotations

import re

from lxml import etree

# Elements that start a new line in a browser's rendering, and elements whose text is never shown.
_BLOCKS = frozenset("address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure "
                    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot "
                    "th thead tr ul caption legend option".split())
_HIDDEN = frozenset("script style noscript template svg head iframe object canvas math".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


# The tree's text with a line break around each block element, hidden elements, comments and processing
# instructions left out (libxslt walks the tree in C; the same as walking it in Python, at half the CPU).
_VISIBLE = etree.XSLT(etree.XML(
    '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:output method="text" encoding="UTF-8"/>'
    f'<xsl:template match="{"|".join(sorted(_HIDDEN))}|comment()|processing-instruction()"/>'
    f'<xsl:template match="{"|".join(sorted(_BLOCKS))}">'
    '<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>'
    '</xsl:stylesheet>'))


def visible_text(tree) -> str:
    """The text of a parsed page as a browser lays it out without styling: one block a line (the cheap stand-in for
    a flattener, read off the tree extraction uses)."""
    body = tree.find("body")
    text = _SPACES.sub(" ", str(_VISIBLE(body if body is not None else tree)))  # _SPACES holds no line break
    return "\n".join(filter(None, map(str.strip, text.split("\n"))))
