"""Dates written in page text (numeric, ISO, CJK and month-name forms in several languages) -> ISO dates."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

MONTHS = {
    # English, German, French, Spanish, Italian, Portuguese, Dutch (full names and common abbreviations)
    "january": 1, "jan": 1, "januar": 1, "janvier": 1, "enero": 1, "gennaio": 1, "janeiro": 1, "januari": 1, "jänner": 1,
    "february": 2, "feb": 2, "februar": 2, "février": 2, "fevrier": 2, "febrero": 2, "febbraio": 2, "fevereiro": 2, "februari": 2,
    "march": 3, "mar": 3, "märz": 3, "maerz": 3, "mars": 3, "marzo": 3, "março": 3, "maart": 3,
    "april": 4, "apr": 4, "avril": 4, "abril": 4, "aprile": 4,
    "may": 5, "mai": 5, "mayo": 5, "maggio": 5, "maio": 5, "mei": 5,
    "june": 6, "jun": 6, "juni": 6, "juin": 6, "junio": 6, "giugno": 6, "junho": 6,
    "july": 7, "jul": 7, "juli": 7, "juillet": 7, "julio": 7, "luglio": 7, "julho": 7,
    "august": 8, "aug": 8, "août": 8, "aout": 8, "agosto": 8, "augustus": 8,
    "september": 9, "sep": 9, "sept": 9, "septembre": 9, "septiembre": 9, "settembre": 9, "setembro": 9,
    "october": 10, "oct": 10, "oktober": 10, "octobre": 10, "octubre": 10, "ottobre": 10, "outubro": 10,
    "november": 11, "nov": 11, "novembre": 11, "noviembre": 11, "novembro": 11,
    "december": 12, "dec": 12, "dezember": 12, "décembre": 12, "decembre": 12, "diciembre": 12, "dicembre": 12, "dezembro": 12,
    # the same languages' abbreviations where they differ from the names above ("04-ago-2021", "3 janv. 2024")
    "ene": 1, "gen": 1, "janv": 1, "fev": 2, "fév": 2, "févr": 2, "fevr": 2, "mär": 3, "mrt": 3, "abr": 4, "avr": 4,
    "mag": 5, "giu": 6, "juil": 7, "lug": 7, "ago": 8, "set": 9, "okt": 10, "ott": 10, "out": 10, "dic": 12,
    "dez": 12, "déc": 12,
}
_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
# A month name starts a word, or is glued to a lower-case word before it ("ZeldmanNovember 20, 2007": a byline
# and its date flattened together); a year ends at a non-digit or runs into a time ("October 17, 20236:01 PM") or
# a reading time ("Mar 27, 20255 mins").
_GLUED = r"(?:(?<!\w)|(?-i:(?<=[a-z])(?=[A-Z])))"
_YEAR_END = r"(?:(?!\d)|(?=\d{1,2}:\d\d)|(?=\d{1,3}\s?min))"
# Words that introduce the publication date on a line that also shows when the page was updated.
_PUBLISHED = re.compile(r"publi|posted|veröffentlicht|erschienen|pubblicato", re.I)

_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-/.•·])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")),
    ("ymd", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    ("dmy", re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)")),
    ("name_dmy", re.compile(rf"(?<!\w)(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.)?(?:\s+|-)(?:de\s+)?(?P<mon>{_MONTH})\.?,?(?:\s+|-)(?:de\s+)?(?P<y>(?:19|20)\d\d){_YEAR_END}", re.I)),
    ("name_mdy", re.compile(rf"{_GLUED}(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[.,]?\s+(?P<y>(?:19|20)\d\d){_YEAR_END}", re.I)),
]

_YEAR = re.compile(r"(?:19|20)\d\d")
# Invisible characters pages put between words (zero-width space, word joiner, a stray byte-order mark: "Jan.\u200b
# 29, 2025") read as spaces, one for one, so that what is found keeps its place in the text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"), " ")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=65_536)  # pure; page lines (datelines, headers) are looked at more than once
def find_date(text: str) -> tuple[str, int, int] | None:
    """The date written in text as (ISO date, start, end), or None: the first one, unless a later one is introduced
    as the publication date ("Updated November 11, 2022 Originally published November 9, 2022")."""
    if not _YEAR.search(text):  # every form below has a four-digit year
        return None
    text = text.translate(_INVISIBLE)
    found = sorted(_all_dates(text), key=lambda d: d[1])
    if not found:
        return None
    for (_, _, end), later in zip(found, found[1:]):
        if _PUBLISHED.search(text, end, later[1]):
            return later
    return found[0]


def _all_dates(text: str):
    """Every valid date written in text as (ISO date, start, end), per form in text order."""
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            if kind == "ymd":
                iso = _valid(int(g["y"]), int(g["m"]), int(g["d"]))
            elif kind == "dmy":
                a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
                # Day first unless that is impossible, except US-style slashes where month first is the norm.
                month_first = b > 12 or (g["sep"] == "/" and a <= 12)
                iso = _valid(y, a, b) if month_first else _valid(y, b, a)
            else:
                iso = _valid(int(g["y"]), MONTHS[g["mon"].lower()], int(g["d"]))
            if iso:
                yield iso, m.start(), m.end()


def normalise_date(value: str | None) -> str | None:
    """Any date string we were given (ISO timestamp, written date) as YYYY-MM-DD, or None."""
    if not value:
        return None
    found = find_date(value)
    return found[0] if found else None
