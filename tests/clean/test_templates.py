"""Site templates learned across pages of one source."""
from newsclean.clean.templates import template_lines
from tests.conftest import OTHER_STORY, STORY

CHROME = ["Home", "News", "Sport", "Subscribe to our newsletter for the latest news every morning."]


def test_lines_shared_by_different_pages_are_template():
    a = "\n".join(CHROME + STORY.split("\n"))
    b = "\n".join(CHROME + OTHER_STORY.split("\n"))
    found = template_lines([a, b])
    assert {"home", "news", "sport", "subscribe to our newsletter for the latest news every morning."} <= found
    assert not any(line.casefold() in found for line in STORY.split("\n") + OTHER_STORY.split("\n"))


def test_copies_of_one_article_do_not_erase_each_other():
    a = "\n".join(CHROME + STORY.split("\n"))
    b = "\n".join(["Menu"] + STORY.split("\n") + ["Comments"])
    assert template_lines([a, b]) == frozenset()


def test_a_single_page_has_no_template():
    assert template_lines(["\n".join(CHROME + STORY.split("\n"))]) == frozenset()
