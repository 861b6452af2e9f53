"""How an article names what speaks (propwatch.voices.naming)."""

from propwatch.voices.naming import naming, namings, spelled_acronyms

TEXT = (
    "The Harbour Election Board (HEB) met on Monday. Spokesman Anna Berg said the count was late. "
    + "The vote went on. " * 60
    + "Tom Park, the spokesman, said so too, and the Union of Harbour and Dock Workers agreed."
)


def test_acronyms_are_the_initials_of_a_run_of_capitalised_words():
    found = spelled_acronyms(TEXT)
    assert found["HEB"] == "Harbour Election Board"  # the leading "The" is no initial
    assert found["UHDW"] == "Union of Harbour and Dock Workers"
    owned = spelled_acronyms("The Harbour Trade Council's chair and HTC met at the Harbour Trade Council's hall.")
    assert owned["HTC"] == "Harbour Trade Council"  # a possessive ends no name


def test_namings_near_the_description_word_are_those_of_the_whole_text():
    for head in ("spokesman", "board", "vote"):
        assert [m.span() for m in namings(head, TEXT)] == [m.span() for m in naming(head).finditer(TEXT)]
    assert [m.group(1) or m.group(2) for m in namings("spokesman", TEXT)] == ["Anna Berg", "Tom Park"]


def test_an_abbreviated_title_names_the_role_it_stands_for():
    text = "Gov. Ana Soto toured the harbour. Senator Tom Park stayed away; Sen.Hale was ill."
    assert [m.group(1) or m.group(2) for m in namings("governor", text)] == ["Ana Soto"]
    assert [m.group(1) or m.group(2) for m in namings("senator", text)] == ["Tom Park"]


def test_a_sentence_s_opening_word_or_an_acronym_in_a_run_spells_out_nothing():
    text = (
        "Campus groups founded the so-called Valdora Harbour Students movement (VHS). But Valdora HS was "
        "anything but open. Harbour Trust members met on Monday."
    )
    found = spelled_acronyms(text)
    assert found["VHS"] == "Valdora Harbour Students"  # not "But Valdora HS"
    assert "BVH" not in found
