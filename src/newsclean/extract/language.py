"""Language identification of cleaned text (py3langid: small, offline, 97 languages)."""
from __future__ import annotations

from newsclean.text import word_count

_MIN_WORDS = 5


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    if word_count(text) < _MIN_WORDS:
        return None
    import py3langid

    code, _ = py3langid.classify(text[:5000])
    return code
