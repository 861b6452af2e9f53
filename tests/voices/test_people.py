"""People among an article's names (propwatch.voices.people)."""

from propwatch.voices.people import agrees, article_genders, is_person, name_gender, name_like, people_of


def test_gender_comes_from_honorifics_then_first_names():
    text = "Mrs. Varga spoke. Mr. Ruiz listened. Mr. Lee and Mrs. Lee left."
    honorifics = article_genders(text)
    assert honorifics == {"Varga": "female", "Ruiz": "male"}  # two Lees: no gender
    assert name_gender("Varga", honorifics) == "female"
    assert name_gender("Linda Hale", honorifics) == "female"
    assert name_gender("Yin Lo May", honorifics) is None
    assert not agrees("she", "Tom Ruiz", honorifics)
    assert agrees("she", "Yin Lo May", honorifics)


def test_a_person_is_named_with_a_first_name_a_title_or_an_age():
    people = people_of("Sen. Okafor spoke. Yin Lo May, 60, a doctor, agreed. North Korea did not.")
    assert is_person("Okafor", people)
    assert is_person("Yin Lo May", people)
    assert is_person("Linda Hale", people)
    assert not is_person("North Korea", people)
    assert not is_person("Harbour Party", people)


def test_a_role_before_or_after_a_name_makes_a_person():
    people = people_of("Army spokesman Rami Nasser spoke. Abu Samir al-Haddad, the leader of the brigades, did not.")
    assert is_person("Rami Nasser", people)
    assert is_person("Abu Samir al-Haddad", people)


def test_a_name_ending_in_a_watchdog_word_is_no_one_he_may_be():
    assert name_like("Yin Lo May") and not name_like("Harbour Rights Watch") and not name_like("Valley Herald")


def test_a_name_that_says_he_or_she_of_its_plans_is_a_person():
    people = people_of("Harbour protests are set for Sunday, and Dutch MP Pim Varga has said he will join them.")
    assert is_person("Pim Varga", people)
    assert not is_person("Dutch", people)


def test_a_name_that_opens_a_sentence_doing_something_to_his_own_is_a_person():
    people = people_of("The talks stalled. Dalca defended his decision on Monday. Harbour Bank raised its rates.")
    assert "Dalca" in people
    assert "Bank" not in people  # a body's own is "its"
    assert is_person("Mirel Dalca", people)


def test_a_name_in_apposition_after_its_role_is_a_person():
    people = people_of("The harbour's new director, Erlan Dalca, plays down the fears. Harbour Bank agreed.")
    assert is_person("Erlan Dalca", people)


def test_a_title_or_role_never_makes_a_person_across_a_line_or_of_a_party():
    people = people_of(
        "Ferry Plan Wins Backing From President.\n\nDemocratic leaders agreed. Ada Moor's chief Labour rival spoke."
    )
    assert "Democratic" not in people
    assert "Labour" not in people


def test_a_day_with_a_role_in_apposition_is_no_person():
    people = people_of("On Sunday, the president said the ferry would run.")
    assert "Sunday" not in people


def test_a_role_an_owner_gives_or_many_words_qualify_makes_a_person():
    people = people_of(
        "The harbour is calm, said Nora Ilves Vance, Norhaven Daily's editor. "
        "Tomas Reyes, a retired Harbour Labour campaign consultant, disagreed. Valdora pollster Ines Mura agreed."
    )
    assert is_person("Nora Ilves Vance", people)
    assert is_person("Tomas Reyes", people)
    assert is_person("Ines Mura", people)


def test_the_census_first_names_tell_people_and_gender_apart():
    assert is_person("Marc Dalca", frozenset()) and name_gender("Marc Dalca", {}) == "male"
    assert name_gender("Angie Vance", {}) == "female"
    assert name_gender("Lindsey Park", {}) is None  # held by both sexes often enough
    assert name_gender("Bernie Ruiz", {}) == "male"  # the news list's gender stands
    assert not is_person("Virginia Republicans", frozenset())  # a place, left out of the first names
