"""Bytes -> text: BOMs, UTF-8, detected legacy encodings (cp1252, GBK, ...), mojibake repair, binary refusal."""
from __future__ import annotations

import codecs
import re
from itertools import groupby

import ftfy
from charset_normalizer import from_bytes

from newsclean.readers.errors import BadInput

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (docx/xlsx/epub?)",
    b"\x7fELF": "an executable",
    b"\x1f\x8b": "gzip data (name it .gz)",
}
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# BOM-less wide encodings by where NUL bytes fall: (encoding, unit width, offsets that are NUL for ASCII-range text).
_WIDE = [("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)), ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,))]


def wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 without a BOM, recognised by NUL bytes at the same offset of (nearly) every code unit."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 8:
        return None
    for name, width, offsets in _WIDE:
        units = len(sample) // width
        nul = [sum(1 for i in range(k, len(sample), width) if sample[i] == 0) / units for k in range(width)]
        if all(nul[k] > 0.6 for k in offsets) and all(nul[k] < 0.1 for k in range(width) if k not in offsets):
            return name
    return None


# Control characters other than whitespace, C1 controls and the replacement character: binary read as text.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / max(1, len(sample))


# Printable ASCII and the punctuation English text is typed with (no-break space, curly quotes, dashes, bullet,
# ellipsis, ©, ®, °, €, ™), no two of those next to each other. Mojibake is two characters or more side by side
# (one character's UTF-8 bytes read one by one), and none of a cp1252 or Latin-1 one starts with these (those start
# with Â..ô); ftfy 6.3 reads two of their pairs as mojibake of other encodings ("€•", "€©"). So ftfy as configured
# below returns such a text as it is (tests/readers/test_repair.py checks it against ftfy, and it gave ftfy's result
# on all 6,186 dumps of ../shared, as they are and mojibaked five ways); a text with any other character (accented
# letters, other scripts, controls, line separators) or two non-ASCII characters side by side goes through ftfy.
_TYPED = re.compile("[\t\n\x20-\x7e\u00a0\u00a9\u00ae\u00b0\u2013\u2014\u2018\u2019\u201c\u201d\u2022"
                    "\u2026\u20ac\u2122]*")
_SIDE_BY_SIDE = re.compile("[^\x00-\x7f]{2}")


def repair(text: str) -> str:
    """Fix mojibake (UTF-8 read as cp1252 and the like) without touching quotes, widths or ligatures.

    ftfy fixes text line by line; lines of printable ASCII and typed English punctuation (_TYPED: no controls,
    escapes or carriage returns) have nothing it would change, so only runs of the other lines go through it: the
    same result, several times faster.
    """
    if _left_alone(text):
        return text
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + lines[-1:]
    out = []
    for plain, group in groupby(lines, key=_left_alone):
        run = "".join(group)
        out.append(run if plain else _ftfy(run))
    return "".join(out)


def _left_alone(text: str) -> bool:
    """Text ftfy would return as it is."""
    return _TYPED.fullmatch(text) is not None and _SIDE_BY_SIDE.search(text) is None


def _ftfy(text: str) -> str:
    return ftfy.fix_text(
        text,
        unescape_html=False,
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        fix_line_breaks=True,
        normalization="NFC",
    )


# Among equally plausible detections, the encodings most web text was written in come first.
_COMMON = ["cp1252", "gb18030", "gbk", "big5", "shift_jis", "euc_jp", "euc_kr", "cp949", "cp1251", "koi8_r",
           "cp1250", "iso8859_2", "cp1256", "cp1253", "cp1254", "iso8859_15", "latin_1"]


def detect_encoding(data: bytes) -> str:
    """The most plausible legacy encoding of non-UTF-8 bytes; ties go to the most common web encodings."""
    results = list(from_bytes(data[:1_000_000]))
    if not results:
        raise BadInput("encoding", "the input is not text in any encoding that could be detected")
    top = results[0]
    tied = [r.encoding for r in results if r.chaos <= top.chaos + 1e-3 and r.coherence >= top.coherence - 1e-3]
    return min(tied, key=lambda e: _COMMON.index(e) if e in _COMMON else len(_COMMON))


def decode_bytes(data: bytes, declared: str | None = None, fix: bool = True) -> tuple[str, str]:
    """Decode raw bytes to text and name the encoding used; raise BadInput for empty or binary data. fix: repair
    mojibake (ftfy); HTML is left as it is and repaired after extraction, on the far shorter text."""
    if not data.strip():
        raise BadInput("empty", "the input is empty (no bytes or only whitespace)")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise BadInput("binary", f"the input is binary: it starts like {what}")
    encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding is None and b"\x00" in data[:4096]:
        encoding = wide_encoding(data)
        if encoding is None:
            raise BadInput("binary", "the input is binary: it contains NUL bytes")
    candidates = [encoding] if encoding else ["utf-8"]
    if declared and declared.lower() not in ("utf-8", "utf8"):
        candidates.append(declared)
    text = None
    for name in candidates:
        try:
            text = data.decode(name)
            encoding = name
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        encoding = detect_encoding(data)
        text = data.decode(encoding, errors="replace")
    if not text.strip():  # a byte-order mark, or UTF-16 spaces
        raise BadInput("empty", f"the input is empty: no text but whitespace once decoded as {encoding}")
    if _control_share(text) > 0.05:
        raise BadInput("binary", f"the input looks binary: too many control characters once decoded as {encoding}")
    return (repair(text) if fix else text), encoding
