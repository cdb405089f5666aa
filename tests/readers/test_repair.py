"""Mojibake repair takes ftfy's slow path only where ftfy could change something: the same result as ftfy."""
from hypothesis import given, settings
from hypothesis import strategies as st

import ftfy

from newsclean.readers.encoding import repair

ENGLISH = "Don’t miss it — the “best” café… © 2025 • 20 °C, €5 ™\u00a0end"
# pieces text is made of: typed punctuation, accented letters, other scripts, controls, line breaks, and mojibake
# of every kind ftfy knows (UTF-8 read as cp1252, Latin-1, MacRoman, cp1251, cp437)
PIECES = ["word ", "Word. ", "\n", "\r\n", "\u2028", "\x1b[1m", "\u00ad", "\u00a0", "’", "“", "”", "—", "–", "…", "•",
          "©", "®", "°", "€", "™", "×", "é", "à ", "Â ", "ß", "Ñ", "über ", "Ελλάδα ", "Москва ", "東京 ", "\ufeff"]
for source in ("café", "naïve über", "don’t — “quoted”", "שלום", "Москва", "© 2025", "東京"):
    for wrong in ("cp1252", "latin-1", "mac_roman", "cp1251", "cp437"):
        PIECES.append(source.encode("utf-8").decode(wrong, errors="replace") + " ")


def ftfy_everywhere(text: str) -> str:
    return ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False, fix_character_width=False,
                         fix_latin_ligatures=False, fix_line_breaks=True, normalization="NFC")


def test_typed_english_punctuation_is_left_as_it_is():
    assert repair(ENGLISH) == ftfy_everywhere(ENGLISH)
    assert repair("Don’t — “this”\n") == "Don’t — “this”\n"


def test_typed_punctuation_side_by_side_is_what_ftfy_makes_of_it():
    for text in ("€•", "€©", "Price: €• 5", "“Wait…”"):  # the first three ftfy 6.3 reads as mojibake
        assert repair(text) == ftfy_everywhere(text)


def test_mojibake_next_to_typed_punctuation_is_repaired():
    broken = "The café’s menu".encode("utf-8").decode("cp1252")
    assert repair("Don’t — “this”\n" + broken + "\n") == "Don’t — “this”\nThe café’s menu\n"
    assert repair("Â© 2025 All rights reserved") == ftfy_everywhere("Â© 2025 All rights reserved")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_the_same_result_as_ftfy_on_the_whole_text(pieces):
    text = "".join(pieces)
    assert repair(text) == ftfy_everywhere(text)
