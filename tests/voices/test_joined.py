"""Speakers joined by "and" (propwatch.voices.joined)."""

from propwatch.voices.joined import coordination


def test_coordination_joins_people_and_groups_never_the_words_of_one_name():
    assert coordination("Ben Ortiz (D-Ore.), Ada Moor and Tom Ruiz all") == [
        ("name", "Ben Ortiz"),
        ("name", "Ada Moor"),
        ("name", "Tom Ruiz"),
    ]
    assert coordination("World leaders and diplomats") == [
        ("description", "World leaders"),
        ("description", "diplomats"),
    ]
    assert coordination("Securities and Exchange Commission") is None
    assert coordination("eight states and the Harbour Authority") == [  # "the" before a body's name joins it
        ("description", "eight states"),
        ("name", "Harbour Authority"),
    ]
    assert coordination("Department of Health and Human Services") is None
    assert coordination("Jo Lee, an expert who wrote books, papers and editorials") is None
    assert coordination("Soto's personal lawyers, Ana Ruiz and Tom Park") == [
        ("name", "Ana Ruiz"),
        ("name", "Tom Park"),
    ]


def test_a_list_of_groups_is_one_coordination():
    assert coordination("A group of 67 artists, writers, actors and scientists this week") == [
        ("description", "artists"),
        ("description", "writers"),
        ("description", "actors"),
        ("description", "scientists"),
    ]
