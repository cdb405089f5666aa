"""Dates in page text."""
import pytest

from newsclean.extract.dates import find_date, normalise_date


@pytest.mark.parametrize(
    "text,iso",
    [
        ("Asia Times17-02-2025", "2025-02-17"),
        ("#News ·2025-01-06", "2025-01-06"),
        ("Published le 14 juin 2025", "2025-06-14"),
        ("November 20, 2019", "2019-11-20"),
        ("Nov. 3, 2020 5:00 pm", "2020-11-03"),
        ("20. März 2021", "2021-03-20"),
        ("2024年3月5日 10:00", "2024-03-05"),
        ("03/04/2022", "2022-03-04"),
        ("25/04/2022", "2022-04-25"),
        ("12 de octubre de 2023", "2023-10-12"),
        ("By: FlowGuard EMEA on 04-ago-2021 5:11:10", "2021-08-04"),  # abbreviated months of other languages
        ("3 janv. 2024", "2024-01-03"),
        ("15 dic 2022", "2022-12-15"),
        ("7. Okt. 2020", "2020-10-07"),
        ("2 out 2019", "2019-10-02"),
        ("2025-03-12T07:45:00+01:00", "2025-03-12"),
        # flatteners glue a byline to its date, a year to the time, and keep odd separators
        ("by Jeffrey ZeldmanNovember 20, 2007", "2007-11-20"),
        ("ByKathryn GiuffridaMar 5, 2025 | 6 comments", "2025-03-05"),
        ("October 17, 20236:01 PM ET", "2023-10-17"),
        ("Jul. 11. 2025", "2025-07-11"),
        ("Updated on 19-Dec-2025", "2025-12-19"),
        ("2025•01•08", "2025-01-08"),
        ("by Harsh Vaibhav May 2nd 202511 mins", "2025-05-02"),
        ("Mar 27, 20255 mins", "2025-03-27"),
        # a line with two dates: the first, unless the later one is said to be the publication date
        ("Updated November 11, 20228:23 PM ET Originally published November 9, 202211:01 AM ET", "2022-11-09"),
        ("Posted 2024-01-02, updated 2024-03-04", "2024-01-02"),
        ("Jan 5, 2024 - Feb 6, 2024", "2024-01-05"),
        # invisible characters between words: a zero-width space, a word joiner, a stray byte-order mark
        ("Jan.\u200b 29,\u200b2025", "2025-01-29"),
        ("\ufeffPublished 12\u2060 March 2024", "2024-03-12"),
    ],
)
def test_find_date(text, iso):
    assert find_date(text)[0] == iso


@pytest.mark.parametrize("text", ["no date here", "31-02-2024", "version 1.2.3", "call 400-000-0000", "Remarch 3, 2024", "May 5, 20250",
                                  "3 days ago 2021", "Ago 2021", "setting 5 set"])
def test_no_false_dates(text):
    assert find_date(text) is None


def test_normalise_date():
    assert normalise_date(None) is None
    assert normalise_date("2019-11-19") == "2019-11-19"


def test_a_date_found_among_invisible_characters_keeps_its_place():
    text = "Asia Times\u200b17-02-2025 and more"
    iso, start, end = find_date(text)
    assert (iso, text[start:end]) == ("2025-02-17", "17-02-2025")
