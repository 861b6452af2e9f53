"""Roles and documents an article names (propwatch.voices.roles)."""

from propwatch.voices.roles import PLACED_ROLE_RE, named_document, offices_of, parties, places_of, titled_otherwise
from propwatch.voices.text import paragraphs


def test_a_role_with_a_place_names_the_role_and_the_place():
    before = PLACED_ROLE_RE.fullmatch("Vermont independent senator")
    after = PLACED_ROLE_RE.fullmatch("senator from Vermont")
    assert (before["before"], before["role"]) == ("Vermont", "senator")
    assert (after["role"], after["place"]) == ("senator", "Vermont")


def test_a_person_given_only_another_office_is_titled_otherwise():
    text = "President Dana Hollis and Sen. Tom Reyes met. Hollis spoke first."
    assert titled_otherwise(text, "Dana Hollis", "senator")
    assert not titled_otherwise(text, "Tom Reyes", "senator")
    assert not titled_otherwise(text, "Ana Berg", "senator")  # no office given at all


def test_an_office_is_what_a_title_gives_now_not_one_held_once():
    text = "Pres. Dana Hollis met former Norhaven Gov. Tom Reyes and Gov. Ana Berg."
    assert offices_of(text, "Dana Hollis") == {"president"}
    assert offices_of(text, "Tom Reyes") == set() and offices_of(text, "Ana Berg") == {"governor"}


def test_a_lawmaker_is_a_senator_or_a_representative():
    text = "President Dana Hollis and Sen. Tom Reyes met."
    assert not titled_otherwise(text, "Tom Reyes", "lawmaker")
    assert titled_otherwise(text, "Dana Hollis", "lawmaker")


def test_a_person_s_party_and_state_are_what_the_article_gives_them():
    text = (
        "Democrat seeks new Reyes inquiry.\n\n"
        "Rep. Ana Berg (D-N.J.) wrote to Republican presidential candidate Tom Reyes. Jo Lee, a longtime Republican, "
        "and Florida Gov. Ada Moor spoke."
    )
    assert parties(text, "Tom Reyes") == {"R"}  # not "Democrat seeks new Reyes …"
    assert parties(text, "Ana Berg") == {"D"} and parties(text, "Jo Lee") == {"R"}
    assert places_of(text, "Ana Berg") == {"New Jersey"} and places_of(text, "Ada Moor") == {"Florida"}
    assert parties(text, "Ada Moor") == set() and places_of(text, "Tom Reyes") == set()


def test_a_poll_is_the_named_poll_nearest_it_within_a_paragraph_either_side():
    text = (
        "A new poll showed Reyes ahead.\n\nThe Valley Herald poll gave him a lead.\n\nFar away, the Coast Times poll."
    )
    position = text.index("A new poll")
    assert named_document(text, paragraphs(text), "new poll", position) == "Valley Herald poll"
    assert named_document(text, paragraphs(text), "new study", position) is None


def test_a_poll_far_from_any_naming_is_the_last_one_named_before_it():
    text = (
        "The Valley Herald poll gave Reyes a lead.\n\nHe toured the port.\n\nHe met the union.\n\n"
        "The mayor spoke.\n\nThe poll also found the bridge unpopular."
    )
    position = text.index("The poll also")
    assert named_document(text, paragraphs(text), "poll", position) == "Valley Herald poll"
