from newsclean.extract.language import detect_language

GERMAN = ("Die Stadtverwaltung hat am Montag angekündigt, dass die neue Straßenbahnlinie im kommenden Frühjahr "
          "eröffnet wird und die Innenstadt mit den östlichen Vororten verbindet. ")
ENGLISH = ("The city council said on Monday that the new tram line will open next spring and connect the centre "
           "with the eastern suburbs. ")


def test_the_language_of_a_text():
    assert detect_language(ENGLISH * 3) == "en"
    assert detect_language(GERMAN * 3) == "de"


def test_too_few_words_to_tell():
    assert detect_language("Home | News") is None
    assert detect_language("") is None


def test_the_language_is_read_from_the_beginning_of_the_text():
    # a German article followed by a much longer English appendix: the first 2,000 characters decide
    text = GERMAN * 20 + ENGLISH * 200
    assert len(GERMAN * 20) > 2000
    assert detect_language(text) == "de"
    assert detect_language(" \n" * 2000 + ENGLISH * 5) == "en"  # leading space is not read
