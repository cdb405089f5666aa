"""HTML -> the page's visible text, one block a line (inscriptis, strict CSS profile): the text-dump form."""
from __future__ import annotations

import inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

_CONFIG = ParserConfig(css=CSS_PROFILES["strict"])


def flatten_html(html: str) -> str:
    """Visible text of a page laid out as lines, as a browser would show it without styling."""
    return inscriptis.get_text(html, _CONFIG) if html.strip() else ""
