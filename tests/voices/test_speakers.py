"""Speaker phrases and their resolution within an article (propwatch.voices.speakers)."""

import pytest

from propwatch.voices.attribute import attributions_from_links
from propwatch.voices.links import Link
from propwatch.voices.phrases import speaker_phrase
from propwatch.voices.speakers import SpeakerResolver


def test_fullest_name_never_runs_across_a_sentence_end_or_from_a_headline():
    text = (
        "Mayor Backs Tunnel As Costs Rise\n\n"
        "The plan was printed in the Valley Herald. Tom Ruiz wrote to the council.\n\n"
        "Ruiz said the cost was too high."
    )
    resolver = SpeakerResolver(text)
    assert resolver.fullest("Ruiz") == "Tom Ruiz"
    assert resolver.fullest("Herald") == "Valley Herald"
    assert resolver.fullest("Tunnel") == "Tunnel"


def test_a_mostly_capitalised_line_that_ends_a_sentence_in_a_verb_names_people():
    text = (
        "The harbour plan was published on Friday.\n\n"
        "“Publish it all. Now,” Sen. Ana Soto of Norhaven tweeted.\n\n"
        "Soto and Sen. Tom Park have started petitions."
    )
    resolver = SpeakerResolver(text)
    assert resolver.fullest("Soto") == "Ana Soto"
    start = text.index("Soto and")
    assert resolver.resolve((start, start + len("Soto and Sen. Tom Park"))) == "Ana Soto and Tom Park"


def test_a_relative_pronoun_is_the_name_it_follows():
    text = "Ana Soto, who chairs the board, says the fund is empty."
    start = text.index("who")
    assert SpeakerResolver(text).resolve((start, start + 3)) == "Ana Soto"
    text = "Harbour Vote\n\nThe board met Ana Soto. It spoke with Tom Ruiz as well, who said the fund is empty."
    start = text.index("who")
    assert SpeakerResolver(text).resolve((start, start + 3)) == "Tom Ruiz"  # past "as well"


def test_it_is_a_body_named_before_it_in_its_sentence_unless_it_stands_for_no_one():
    text = "Voters met a firm called Harbour Data, which builds what it calls voter profiles."
    at = text.index("it calls")
    assert SpeakerResolver(text).resolve((at, at + 2)) == "Harbour Data"
    empty = "Both plans may fail, but it seems that voters are fine with them."
    at = empty.index("it seems")
    assert SpeakerResolver(empty).resolve((at, at + 2)) is None


def test_a_relative_pronoun_after_a_party_and_state_is_the_lawmaker():
    text = "“No,” declared Senator Jo Lee, Republican of Ohio, who echoed the mayor."
    start = text.index("who")
    assert SpeakerResolver(text).resolve((start, start + 3)) == "Jo Lee"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Police met a woman, armed with a camera phone, who said the port was closed.", "woman"),
        ("Tom Ruiz spoke to residents of the harbour district, who said they were afraid.", "residents"),
        ("The council suspended a warden who voiced support for the strike.", "warden"),  # the nearest noun
        ("Tom Ruiz met a friend of Jo Lee, who said so.", "Jo Lee"),  # a name stays itself
        ("Readers can write to Harbour staff members around the world, who review posts.", "Harbour staff members"),
    ],
)
def test_who_after_a_common_noun_a_preposition_hangs_on_is_the_noun_before(text, speaker):
    start = text.index("who")
    assert SpeakerResolver(text).resolve((start, start + 3)) == speaker


def test_fullest_name_skips_the_office_before_it():
    text = "On Monday the new secretary, Secretary of State Ada Moor, flew to the talks in the city of Rome."
    text += "\n\nMoor said the talks went well."
    assert SpeakerResolver(text).fullest("Moor") == "Ada Moor"


def test_a_relative_pronoun_after_a_plain_noun_phrase_is_its_noun():
    text = "The letter came from retired generals and admirals, who warn that the plan will fail."
    start = text.index("who")
    assert SpeakerResolver(text).resolve((start, start + 3)) == "admirals"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("46 percent", ("group", "46 percent")),
        ("only twelve percent", ("group", "twelve percent")),
        ("About 4 in 10", ("group", "4 in 10")),  # a share alone, as "46 percent"
        ("Most", ("group", "most")),
        ("a third of them", ("none", None)),
        ("38 percent of ferry riders", ("description", "ferry riders")),
        ("A majority of anglers", ("description", "anglers")),
        ("many economists", ("description", "economists")),
        ("Half of Valdora Greens", ("name", "Valdora Greens")),
        ("the majority leader", ("description", "leader")),
        ("the 46-year-old", ("description", "46-year-old")),
    ],
)
def test_a_share_of_a_group_is_the_group_and_a_share_alone_speaks_as_written(phrase, expected):
    assert speaker_phrase(phrase) == expected


def test_a_shared_surname_takes_the_person_named_last_before_it():
    text = (
        "The clinic was opened by Nora Vance on Monday, and her brother Elias Vance cut the ribbon.\n\n"
        "Vance said the doors would stay open late. The town thanked Nora Vance.\n\n"
        "Later Vance said the staff were ready."
    )
    resolver = SpeakerResolver(text)
    first, last = text.index("Vance said"), text.rindex("Vance said")
    assert resolver.resolve((first, first + 5)) == "Elias Vance"  # the last named, not the most frequent
    assert resolver.resolve((last, last + 5)) == "Nora Vance"
    unclear = "Vance said it was late. The staff met Nora Vance and Elias Vance."
    assert SpeakerResolver(unclear).resolve((0, 5)) == "Vance"


def test_a_shared_surname_named_only_paragraphs_before_stays_a_surname():
    text = "The staff met Nora Vance and Elias Vance.\n\nThe doors opened.\n\nIt rained.\n\nVance said it was late."
    start = text.rindex("Vance said")
    assert SpeakerResolver(text).resolve((start, start + 5)) == "Vance"


def test_an_honorific_before_a_shared_surname_keeps_the_surname():
    text = "Elias Vance spoke first. Later Nora Vance spoke.\n\nMrs. Vance said the fund was empty."
    start = text.index("Mrs. Vance")
    assert SpeakerResolver(text).resolve((start, start + 10)) == "Vance"


def test_a_surname_settled_before_a_relative_is_named_stays_that_person():
    text = (
        "The court heard on Monday that Marek Dalca, 44, stole the harbour payroll.\n\n"
        "Dalca admitted the thefts.\n\n"
        "“We need him home,” his wife, Ilinca Dalca, wrote to the court.\n\n"
        "Dalca said he had acted alone."
    )
    start = text.rindex("Dalca said")
    assert SpeakerResolver(text).resolve((start, start + 5)) == "Marek Dalca"  # not the wife named last


def test_a_full_name_opening_the_story_is_a_person_of_the_surname():
    text = (
        "Marek Lehel Dalca, 44, stole the harbour payroll, the court heard on Monday. Dalca admitted it.\n\n"
        "The payroll held the dock's wages.\n\nThe dock closed in May.\n\n"
        "“We need him home,” his wife, Maria Dalca, wrote to the court.\n\n"
        "A former clerk, Dalca had no training. He told the Beacon that he had acted alone."
    )
    start = text.index("He told")
    assert SpeakerResolver(text).resolve((start, start + 2)) == "Marek Lehel Dalca"  # not no one: the wife is a she


def test_a_sentence_opening_is_no_second_person_of_a_surname():
    text = (
        "Pia Okafor toured the bridge, and Pia N. Okafor signed the report.\n\n"
        "“What Okafor saw was alarming,” an engineer said. Okafor said the bridge was safe."
    )
    start = text.index("Okafor said")
    assert SpeakerResolver(text).resolve((start, start + 6)) == "Pia N. Okafor"


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.mark.parametrize(
    ("text", "relay", "expected"),
    [
        ("Ada Moor said the ships had left the United Provinces.", "United", ()),
        ("Asked about the ships, Ada Moor said they had left.", "Asked", ()),
        ("On Thursday, Ada Moor said the ships had left.", "Thursday", ()),
        ("Ada Moor said the ships had left, a dozen reported.", "dozen", ()),
        ("Ada Moor said the ships had left, the Harbor Times reported.", "Harbor Times", ("Harbor Times",)),
        ("Ada Moor said the ships had left, Jo Lund of Valley Wire wrote.", "Jo Lund", ("Jo Lund",)),
        ("Ada Moor said a clerk in the port of Dalca reported the ships had left.", "Dalca", ()),
    ],
)
def test_a_relay_is_a_whole_name_never_a_fragment_or_an_opener(text, relay, expected):
    content, source, cue = _at(text, "the ships"), _at(text, "Ada Moor"), _at(text, "said")
    found = attributions_from_links(text, [Link(content, source, cue, via_pairs=[(cue, _at(text, relay))])])
    assert found[0].speaker == "Ada Moor" and found[0].via == expected


def test_a_plural_title_is_no_part_of_the_name_after_it():
    text = "At the hearing, the two who spoke first, Senators Ida Fenn and Tom Ruiz, were brief.\n\nFenn said no."
    assert SpeakerResolver(text).fullest("Fenn") == "Ida Fenn"


def _resolve(text: str, source: str, occurrence: int = 1) -> str | None:
    """Resolve the ``occurrence``-th ``source`` of ``text``, alone."""
    at = -1
    for _ in range(occurrence):
        at = text.index(source, at + 1)
    return SpeakerResolver(text).resolve((at, at + len(source)))


def test_she_skips_a_last_speaker_of_the_other_gender_and_a_group():
    text = "Mayor Linda Hale opened the bridge. Tom Ruiz watched. The Harbour Party spoke too.\n\nShe said it was late."
    resolver = SpeakerResolver(text)
    resolver.last_person = "Tom Ruiz"
    at = text.index("She")
    assert resolver.resolve((at, at + 3)) == "Linda Hale"
    resolver.last_person = "Harbour Party"
    assert resolver.resolve((at, at + 3)) == "Linda Hale"


def test_he_is_never_the_one_his_own_verb_names_next():
    text = "Tom Ruiz asked David Lund about the levy.\n\n“It will pass,” he told Ruiz, to cheers."
    resolver = SpeakerResolver(text)
    resolver.last_person = "Tom Ruiz"
    at = text.index("he told")
    assert resolver.resolve((at, at + 2)) == "David Lund"  # Ruiz spoke last, but he is the one told


def test_an_honorific_rules_out_a_namesake_of_the_other_gender():
    text = "Michelle Varga toured the port. Later, Mr. Varga spoke to the press."
    at = text.index("Mr. Varga")
    assert SpeakerResolver(text).resolve((at, at + 9)) == "Varga"


def test_a_possessive_description_is_written_owner_first_with_the_fullest_name():
    text = "Ada Moor is running again.\n\nMoor's campaign said the poll was wrong."
    assert _resolve(text, "Moor's campaign") == "Ada Moor campaign"
    plural = "Tom Haynes is running again.\n\nHaynes’ campaign said the poll was wrong."
    assert _resolve(plural, "Haynes’ campaign") == "Tom Haynes campaign"  # a surname in s takes a bare apostrophe


def test_speakers_joined_by_and_are_all_written_out():
    text = "Ben Ortiz, Ada Moor and Tom Ruiz all said no. Securities and Exchange Commission said yes."
    assert _resolve(text, "Ben Ortiz, Ada Moor and Tom Ruiz all") == "Ben Ortiz, Ada Moor and Tom Ruiz"
    assert _resolve(text, "Securities and Exchange Commission") == "Securities and Exchange Commission"
    text = "Craig Hale, head of the Centre for Rivers, and other scientists say the river is rising."
    assert _resolve(text, "Craig Hale, head of the Centre for Rivers, and other scientists") == (
        "Craig Hale and other scientists"
    )


def test_a_first_name_alone_is_the_full_name_it_opens():
    text = "Hillary Varga won the vote.\n\nHillary said the count was fair."
    assert _resolve(text, "Hillary", 2) == "Hillary Varga"


def test_a_date_or_an_opening_participle_is_no_speaker():
    text = "The vote fell on Wednesday. Appearing before reporters, the mayor said it was fair."
    assert _resolve(text, "Wednesday") is None
    assert _resolve(text, "Appearing") is None


def test_i_or_we_outside_every_quote_is_the_author():
    text = 'We asked the council twice. "We will answer," Ada Moor said.'
    assert _resolve(text, "We") == "author"
    resolver = SpeakerResolver(text)
    resolver.last_person = "Ada Moor"
    at = text.index("We", 5)
    assert resolver.resolve((at, at + 2)) == "Ada Moor"


def test_a_source_cut_inside_an_apposition_is_the_person_it_describes():
    text = "Yin Lo May, 60, a doctor, said she was glad. J.J. Hale, editor of the Harbour Post, said no."
    assert _resolve(text, "60, a doctor") == "Yin Lo May"
    assert _resolve(text, "the Harbour Post") == "J.J. Hale"


def test_a_role_never_reaches_past_its_sentence_end_for_a_name():
    text = "Ana Soto met a harbour spokesman on Monday. The ledgers were sent, according to a harbour spokesman. The "
    text += "Ledgers will stay sealed."
    assert _resolve(text, "a harbour spokesman", 2) == "harbour spokesman"


def test_an_apposition_is_never_sought_in_the_sentence_before():
    text = "The port was sold to a fund owned by Ana Soto, and another one. A source said the price was low."
    assert _resolve(text, "A source") == "source"


def test_a_source_cut_at_its_organisation_is_the_person_the_role_names():
    text = "Norhaven University political scientist Ana Soto said the vote was close."
    assert _resolve(text, "Norhaven University") == "Ana Soto"
    text = "Harbour Post bureau chief Tom Park said so too."
    assert _resolve(text, "Harbour Post") == "Tom Park"


def test_a_description_holding_a_name_in_an_apposition_is_the_person():
    text = "Ana Soto, an activist for the harbour group Tidewatch, said the water was foul."
    assert _resolve(text, "an activist for the harbour group Tidewatch") == "Ana Soto"


def test_people_joined_under_their_surnames_are_written_out_in_full():
    text = "Ana Soto and Tom Park met the harbour board. Both Soto and Park said the deal was sound. "
    text += "Soto and her lawyers said more."
    assert _resolve(text, "Both Soto and Park") == "Ana Soto and Tom Park"
    assert _resolve(text, "Soto and her lawyers") == "Ana Soto and lawyers"


def test_a_surname_that_ends_like_a_participle_is_the_person_named_before():
    text = "The club's director, Jo Boreing, wrote to members.\n\nBoreing said the club would meet again."
    assert _resolve(text, "Boreing", 2) == "Jo Boreing"
    text = "The club met.\n\nAppearing before members, the director said little."
    assert _resolve(text, "Appearing") is None


def test_a_titled_name_after_of_is_that_person_not_an_apposition_before_it():
    text = "Discussing an image of Ana Varga, money and a star, Speaker of the House Rep. Tom Park said no."
    assert _resolve(text, "the House Rep. Tom Park") == "Tom Park"


def test_an_acronym_is_whole_whoever_ran_it_once():
    text = "Ana Soto will lead the CIA. She oversaw the Varga CIA's black sites.\n\nThe CIA said nothing."
    assert _resolve(text, "The CIA") == "CIA"


def test_a_body_named_short_is_its_full_name_with_what_it_is_for():
    text = "The Harbour Center for Justice filed a brief. The Harbour Center said the law was unfair."
    assert _resolve(text, "The Harbour Center", 2) == "Harbour Center for Justice"
    text = "Ana Soto of Tidewatch spoke first. Soto said the law was unfair."
    assert _resolve(text, "Soto", 2) == "Ana Soto"


def test_a_source_cut_short_is_made_whole():
    text = "At the hall, Rep. G.K. Dunn spoke first; then the party's Democratic nominee Ada Moor took questions "
    text += "from the floor, and many E.U. nations agreed with what she said about the port."
    at = text.index("Rep. G.K")
    assert SpeakerResolver(text).resolve((at, at + len("Rep. G.K"))) == "G.K. Dunn"
    at = text.index("Democratic")
    assert SpeakerResolver(text).resolve((at, at + len("Democratic"))) == "Ada Moor"
    at = text.index("U. nations")
    assert SpeakerResolver(text).resolve((at, at + len("U. nations"))) == "E.U. nations"


def test_two_names_run_together_are_not_one_fuller_name():
    text = "Donald Varga met the editors of the Harbour Post. At the Harbour Post Varga said no.\n\nVarga left."
    assert SpeakerResolver(text).fullest("Varga") == "Donald Varga"
    assert SpeakerResolver("The talks ran past World War II. Varga said so. Ana Varga agreed.").fullest("Varga") == (
        "Ana Varga"
    )


def test_they_is_the_last_group_never_one_person():
    text = "Ada Moor, Tom Ruiz and Ben Ortiz wrote to the board. Linda Hale said no.\n\nThey said the board was wrong."
    resolver = SpeakerResolver(text)
    at = text.index("Ada Moor, Tom Ruiz and Ben Ortiz")
    assert resolver.resolve((at, at + len("Ada Moor, Tom Ruiz and Ben Ortiz"))) == "Ada Moor, Tom Ruiz and Ben Ortiz"
    at = text.index("Linda Hale")
    assert resolver.resolve((at, at + len("Linda Hale"))) == "Linda Hale"
    at = text.index("They")
    assert resolver.resolve((at, at + 4)) == "Ada Moor, Tom Ruiz and Ben Ortiz"


def test_a_group_of_a_named_organisation_is_never_renamed_after_a_person():
    text = "Chief of staff Jo Baker left.\n\nStaff for the Harbour Works Committee said the plan was late."
    assert _resolve(text, "Staff for the Harbour Works Committee") == "Harbour Works Committee staff"


def test_a_surname_reaches_a_full_name_with_a_generation():
    text = "Luther Stan Pate IV gave the money.\n\nPate said he had no regrets."
    assert SpeakerResolver(text).fullest("Pate") == "Luther Stan Pate IV"


def test_an_organisation_is_not_renamed_after_a_longer_name_it_is_no_short_for():
    text = "Twitter closed the accounts. Twitter said so.\n\nOne account called itself Wilayat Twitter."
    assert SpeakerResolver(text).fullest("Twitter") == "Twitter"
    text = "The Harbour Post printed the letter. The Post said it stood by it."
    assert SpeakerResolver(text).fullest("Post") == "Harbour Post"


def test_he_is_the_last_speaker_whose_first_name_no_list_knows():
    text = 'Donald Varga\'s plan may be clever, said Jeffery Okonjo, a professor.\n\n"It works," he said.'
    resolver = SpeakerResolver(text)
    resolver.last_person = "Jeffery Okonjo"
    at = text.index("he said")
    assert resolver.resolve((at, at + 2)) == "Jeffery Okonjo"


def test_it_is_never_a_person():
    text = "Harbour Air cut fares. Tom Ruiz of the union said no.\n\nIt said the cut would stay."
    resolver = SpeakerResolver(text)
    for name in ("Harbour Air", "Tom Ruiz"):
        at = text.index(name)
        resolver.resolve((at, at + len(name)))
    at = text.index("It said")
    assert resolver.resolve((at, at + 2)) == "Harbour Air"


def test_the_author_of_a_document_speaks_through_it():
    text = "Ports are busier than ever, a report released by the Harbour Institute found."
    assert _resolve(text, "the Harbour Institute") == "Harbour Institute report"


def test_he_is_the_person_named_before_it_in_its_own_sentence():
    text = (
        "Ferry Deal Stalls\n\n"
        '"We cannot wait," Nora Vance said.\n\n'
        "The vote left Sen. Tom Reyes of Ohio alone on the stage, so much so that he blamed the moderators."
    )
    start = text.index(" he blamed") + 1
    assert SpeakerResolver(text).resolve((start, start + 2)) == "Tom Reyes"


def test_he_after_a_quote_is_not_a_name_inside_the_quote():
    text = (
        "Ferry Deal Stalls\n\n"
        "Pablo Ortiz spoke first at the hearing.\n\n"
        '"We still serve Dan Marsh and his crew, and we will go on," he said.'
    )
    start = text.index(" he said") + 1
    resolver = SpeakerResolver(text)
    resolver.last_person = "Pablo Ortiz"
    assert resolver.resolve((start, start + 2)) == "Pablo Ortiz"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Co-moderator Andrea Lind", ("name", "Andrea Lind")),
        ("Republican Marco Ruiz", ("name", "Marco Ruiz")),
        ("Republican National Committee", ("name", "Republican National Committee")),
        ("Channel 9’s Chuck Dale", ("name", "Chuck Dale")),
        ("multiple sources familiar with the talks", ("description", "multiple sources")),
        ("A federal official familiar with the case", ("description", "federal official")),
        ("The council's inspector general", ("description", "council inspector general")),
        ("Fact-checkers soon", ("name", "Fact-checkers")),
        ("the senator from Vermont", ("description", "senator from Vermont")),
        (
            "a prominent party committee member who supports Dana Reyes",
            ("description", "prominent party committee member"),
        ),
    ],
)
def test_titles_owners_and_what_follows_a_head_are_no_part_of_a_speaker(phrase, expected):
    assert speaker_phrase(phrase) == expected


def test_a_poll_is_the_named_poll_nearest_it():
    text = (
        "Harbor Race Tightens Before The Vote\n\n"
        "The debate took place as a new poll showed Reyes ahead of Park, 32%-25%. "
        "The Valley Herald/Channel 9 poll gave Reyes a lead in the north."
    )
    assert _resolve(text, "a new poll") == "Valley Herald/Channel 9 poll"


def test_a_study_by_several_authors_is_the_study():
    assert speaker_phrase("A study by Ann Lee and Tom Park of the University of Ohio and Professor Cole") == (
        "description",
        "study",
    )
    assert speaker_phrase("a study last year by economists at Duke University") == ("description", "study")


def test_a_source_cut_before_what_its_owner_has_takes_it_back():
    text = (
        "Harbor Race Tightens Before The Vote\n\n"
        "Dana Reyes spoke in Ohio on Monday. Reyes’s campaign says it has hired 40 organizers."
    )
    start = text.index("Reyes’s campaign")
    assert SpeakerResolver(text).resolve((start, start + len("Reyes’s"))) == "Dana Reyes campaign"


def test_a_source_cut_before_a_role_and_a_name_reaches_the_name():
    text = "Harbor Race Tightens Before The Vote\n\nThe firm's work goes on, L2 president Bo Lind said."
    start = text.index("L2")
    assert SpeakerResolver(text).resolve((start, start + 2)) == "Bo Lind"


def test_a_relay_is_never_the_one_the_statement_is_about():
    text = (
        "Harbor Race Tightens Before The Vote\n\n"
        "While not everything Reyes says is true, Jamieson said Reyes is telling his voters what they want."
    )
    content = (text.index("Reyes is telling"), len(text) - 1)
    cue = (text.index("Jamieson said") + 9, text.index("Jamieson said") + 13)
    source = (text.index("Jamieson said"), text.index("Jamieson said") + 8)
    says = (text.index("Reyes says") + 6, text.index("Reyes says") + 10)
    link = Link(content, source, cue, via_pairs=[(says, (text.index("Reyes says"), text.index("Reyes says") + 5))])
    (found,) = attributions_from_links(text, [link])
    assert found.speaker == "Jamieson" and found.via == ()


def test_the_writers_gloss_after_reported_words_is_no_part_of_them():
    text = (
        "Harbor Race Tightens Before The Vote\n\n"
        "Reyes told the crowd the heckler would not get hurt, a swipe at the scuffles at Park's rallies."
    )
    content = (text.index("the heckler"), len(text) - 1)
    cue = (text.index("told"), text.index("told") + 4)
    (found,) = attributions_from_links(text, [Link(content, (text.index("Reyes"), text.index("Reyes") + 5), cue)])
    assert text[found.content[0] : found.content[1]] == "the heckler would not get hurt"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("WHO", ("name", "WHO")), ("US", ("name", "US")), ("who authorities", ("description", "authorities"))],
)
def test_an_acronym_is_no_pronoun_and_a_leading_who_is_no_speaker(phrase, expected):
    assert speaker_phrase(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Charlie King", ("name", "Charlie King")),  # a surname that is a title, after a first name
        ("Tennis great Anna Lee King", ("name", "Anna Lee King")),  # ends a run of names
        ("Judge Ana Soto", ("name", "Ana Soto")),  # opens one
        ("Sen. King", ("name", "King")),
        ("the King", ("description", "King")),
        ("The pair of editorials", ("description", "editorials")),
    ],
)
def test_a_surname_may_be_a_title_and_a_pair_speaks_as_its_members(phrase, expected):
    assert speaker_phrase(phrase) == expected


@pytest.mark.parametrize(
    ("text", "source", "speaker"),
    [
        (  # the person an apposition describes, not a place inside it
            "Asked about the levy, Charlie King, a former director of the Harbour Party, said it was late.",
            "Charlie King, a former director of the Harbour Party",
            "Charlie King",
        ),
        (  # a place and a day before the description are no one it describes
            "At the town hall in Dover, New Hampshire Monday, the Lee supporter said the levy was late.",
            "the Lee supporter",
            "Lee supporter",
        ),
        (  # the role before an owner goes
            "Presidential candidate Ana Soto’s campaign said the levy was late.",
            "Presidential candidate Ana Soto’s campaign",
            "Ana Soto campaign",
        ),
        (  # a name with its apposition is no role before an owner
            "Tom Park, an aide who worked on Ana Soto’s campaign, said the levy was late.",
            "Tom Park, an aide who worked on Ana Soto’s campaign",
            "Tom Park",
        ),
    ],
)
def test_appositions_and_owners_name_the_one_who_speaks(text, source, speaker):
    assert _resolve(text, source) == speaker


def test_an_acronym_is_spelled_out_where_the_article_spells_it_out():
    text = (
        "The Harbour Election Board (HEB) met on Monday. HEB filings show the levy was late, "
        "and NATO said nothing. The HEB report said so too."
    )
    assert _resolve(text, "HEB filings") == "Harbour Election Board filings"
    assert _resolve(text, "NATO") == "NATO"  # the article never spells it out


def test_two_letters_are_spelled_out_only_as_the_whole_speaker():
    text = "The Associated Press reported the vote. US officials said little, the AP said."
    assert _resolve(text, "the AP") == "Associated Press"
    assert _resolve(text, "US officials") == "US officials"  # a modifier stays as readers write it


def test_a_count_of_people_is_a_group_not_what_it_stands_for():
    resolver = SpeakerResolver("Two Americans were hurt. The Harbour Trust said so.")
    assert resolver._plural("Two Americans") and not resolver._plural("Harbour Trust")


def test_a_time_and_a_collective_are_no_person_named_elsewhere():
    text = (
        "Last week, it was reported that the harbour levy was late. Harbour police said their officer "
        "was hurt. Police Officer Ann Roe spoke later."
    )
    assert _resolve(text, "Last") is None  # "Last| week"
    assert _resolve(text, "Harbour police") == "Harbour police"  # not "Police Officer Ann Roe"


def test_his_team_is_the_last_persons_team_when_the_pronoun_fits():
    text = "Peter Brenner spoke at the pier on Monday. His team said the crowd was large. Her aides said nothing."
    resolver = SpeakerResolver(text)
    for phrase in ("Peter Brenner", "His team"):
        start = text.index(phrase)
        speaker = resolver.resolve((start, start + len(phrase)))
    assert speaker == "Peter Brenner team"
    start = text.index("Her aides")
    assert resolver.resolve((start, start + 9)) == "aides"  # "her" does not fit Peter


def test_a_contracted_pronoun_is_the_pronoun():
    text = "Ana Soto works nights at the port. “I need the raise,” she’s said often. I’m told the raise is coming."
    resolver = SpeakerResolver(text)
    speakers = []
    for phrase in ("Ana Soto", "she’s", "I’m"):
        start = text.index(phrase)
        speakers.append(resolver.resolve((start, start + len(phrase))))
    assert speakers == ["Ana Soto", "Ana Soto", "author"]


def test_it_that_reads_is_the_document_a_sentence_opened_with():
    text = (
        "Harbour officials kept the warning quiet for a year.\n\n"
        "The memo, released by the Harbour Trust on Friday, was sent by Tom Ruiz. Two cranes failed that week.\n\n"
        "“The cranes are unsafe,” it reads.\n\n"
        "“Close the east dock,” it adds."
    )
    resolver = SpeakerResolver(text)
    first, second = text.index("it reads"), text.index("it adds")
    assert resolver.resolve((first, first + 2)) == "memo"
    assert resolver.resolve((second, second + 2)) == "memo"
    spoken = text.replace("it reads", "it said").replace("“The cranes", "The Harbour Trust agreed. “The cranes")
    resolver = SpeakerResolver(spoken)
    body = spoken.index("Harbour Trust agreed")
    assert resolver.resolve((body, body + len("Harbour Trust"))) == "Harbour Trust"
    at = spoken.index("it said")
    assert resolver.resolve((at, at + 2)) == "Harbour Trust"  # a body that spoke comes first


def test_a_surname_that_is_also_a_title_is_the_persons():
    text = (
        "Mourners met at the chapel of King Harbour on Friday, and the tennis star Rosa King spoke first.\n\n"
        "King says the harbour will miss him."
    )
    assert _resolve(text, "King", 3) == "Rosa King"  # not "Harbour", whom "King Harbour" would name a king


def _read_in_order(text: str, *sources: str) -> list[str | None]:
    """The speakers of ``sources`` (each the first occurrence after the one before), resolved in reading order."""
    resolver, at, found = SpeakerResolver(text), 0, []
    for source in sources:
        at = text.index(source, at)
        found.append(resolver.resolve((at, at + len(source))))
        at += len(source)
    return found


def test_he_or_she_opening_the_next_sentence_is_the_unnamed_person_who_spoke_just_before():
    text = (
        "“One ship, one season,” Karl Nyberg said. An agency spokeswoman said the data came from four ships. "
        "She said boats would get support."
    )
    assert _read_in_order(text, "Karl Nyberg", "An agency spokeswoman", "She") == [
        "Karl Nyberg",
        "agency spokeswoman",
        "agency spokeswoman",
    ]
    named_between = text.replace("four ships.", "four ships, as Tom Park had asked.")
    assert _read_in_order(named_between, "Karl Nyberg", "An agency spokeswoman", "She")[-1] != "agency spokeswoman"
    other_gender = text.replace("She said", "He said")
    assert _read_in_order(other_gender, "Karl Nyberg", "An agency spokeswoman", "He")[-1] == "Karl Nyberg"


def test_an_unnamed_person_inside_a_quote_is_not_whom_the_next_pronoun_means():
    text = (
        "Ana Soto wrote: “I told them about it. My therapist released records stating I was honest.” "
        "She added that four people knew."
    )
    assert _read_in_order(text, "Ana Soto", "My therapist", "She") == ["Ana Soto", "therapist", "Ana Soto"]


@pytest.mark.parametrize(
    ("short", "full"), [("NY Post", "New York Post"), ("HuffPost", "Huffington Post"), ("Dems", "Democrats")]
)
def test_an_outlet_written_short_is_spelled_out(short, full):
    text = f"Harbour Vote\n\nThe vote is close, {short} reported on Monday."
    at = text.index(short)
    assert SpeakerResolver(text).resolve((at, at + len(short))) == full


@pytest.mark.parametrize(
    "sentence",
    [
        'In what he called a "rant," President Tom Baker took a swipe at the plan.',
        "When Tom Baker took Ben Ruiz on, he did it sideways, warning that the plan would fail.",
    ],
)
def test_he_with_a_sentence_s_opening_is_the_person_the_sentence_is_about(resolve_in_order, sentence):
    text = f"Harbour Summit\n\nCarl Dunn spoke on Monday.\n\n{sentence}"
    speakers = resolve_in_order(text, "Carl Dunn", "he")
    assert speakers[-1] == "Tom Baker"  # not the last speaker, nor the opening's object


@pytest.mark.parametrize("body", ["Harbour Trust Office", "NHT"])
def test_he_never_stands_for_an_organisation(resolve_in_order, body):
    text = (
        f"Port Vote\n\n{body} said on Monday that the ferry would stop.\n\n"
        "By Wednesday, he was saying that the vote would fail."
    )
    assert resolve_in_order(text, body, "he") == [body, None]  # no person named: nobody, not the organisation


def test_a_pointing_word_that_opens_a_sentence_is_no_name_of_the_article():
    text = "Harbour Vote\n\nThese are odd statements from Ana Soto. Such claims are old. Both sides agree."
    names = SpeakerResolver(text).names
    assert not {"These", "Such", "Both"} & set(names) and "Soto" in names


def test_a_plural_without_an_s_is_what_they_stands_for(resolve_in_order):
    text = "Harbour Raid\n\nPolice searched the flat on Monday. They said they had found nothing."
    assert resolve_in_order(text, "Police", "They")[-1] == "Police"


def test_she_never_falls_back_on_a_speaker_that_is_no_name(resolve_in_order):
    text = (
        "Harbour Rumours\n\nRumours travel fast, said Ines Vance Mura.\n\n"
        "Ferry apps have added another link to the chain, she noted. Rumours pass from friend to friend, she said."
    )
    assert resolve_in_order(text, "Ines Vance Mura", "Ferry apps", "she")[-1] != "Ferry apps"


@pytest.mark.parametrize(
    ("sentence", "apposition", "speaker"),
    [
        (
            "“It was a good speech,” Representative Tom Park, Democrat of Norhaven, told the mayor.",
            "Democrat of Norhaven",
            "Tom Park",
        ),
        ("Ben Ruiz, a spokesman for Ana Soto, said the count was fair.", "a spokesman for Ana Soto", "Ben Ruiz"),
    ],
)
def test_a_source_in_apposition_is_the_name_it_describes(sentence, apposition, speaker):
    text = f"Harbour Count\n\n{sentence}"
    at = text.index(apposition)
    assert SpeakerResolver(text).resolve((at, at + len(apposition))) == speaker


def test_a_first_name_the_lists_lack_is_its_one_person_s_full_name():
    text = "Harbour Fair\n\nIlkka Varga, 13, of Dalca sold water on the quay. Ilkka said he sold 40 bottles."
    at = text.index("Ilkka said")
    assert SpeakerResolver(text).resolve((at, at + len("Ilkka"))) == "Ilkka Varga"


@pytest.mark.parametrize(
    ("opening", "taken", "speaker"),
    [
        ("The Valdorian skipper Ilkka Varga won the regatta on Sunday.", "Valdorian", None),
        ("Tom Baker spoke to the Dutch newspaper Harbour Blad: “Sail on.”", "Harbour Blad", "Tom Baker"),
    ],
)
def test_he_never_stands_for_a_people_s_adjective_or_an_organisation_named_by_its_kind(
    resolve_in_order, opening, taken, speaker
):
    text = f"Regatta\n\n{opening}\n\nHe says he fears returning home."
    assert resolve_in_order(text, taken, "He")[-1] == speaker  # a source the tagger took wrongly comes first


def test_he_never_stands_for_a_name_in_a_quoted_title(resolve_in_order):
    text = (
        "Two Campaigns\n\nTom Baker spoke on Monday.\n\n"
        'Her speeches are careful. His are the political equivalent of "The Carl Show." He says she is unfit.'
    )
    assert resolve_in_order(text, "Tom Baker", "He")[-1] == "Tom Baker"


def test_a_second_she_of_a_sentence_goes_on_from_the_first(resolve_in_order):
    text = (
        "Trade Plans\n\nAna Soto spoke in Dalca on Monday.\n\n"
        "Soto is wobbly on the pact, but she's Nora Park's equal on aid, and she vows to be tougher on trade."
    )
    assert resolve_in_order(text, "Ana Soto", "she", "she")[-1] == "Ana Soto"  # not Nora Park, whose equal she is


@pytest.mark.parametrize(
    ("sentence", "source", "speaker"),
    [
        ("Last May, a harbour judge ordered the port to publish its logs.", "a harbour judge", "harbour judge"),
        ("Ships crowd the Valdora Strait, with top port officials warning of delays.", "top port officials", None),
        ("Ana Soto, the old port director, doubted the logs, which an audit found “careless.”", "an audit", "audit"),
        ("Unless a ferry sails from Norhaven, strategists think the port will close.", "strategists", "strategists"),
        ("The trip was something of a Hail Mary, as polls show the mayor far behind.", "polls", "polls"),
    ],
)
def test_a_time_or_a_clause_after_a_name_s_comma_is_no_apposition(sentence, source, speaker):
    text = f"Port Logs\n\n{sentence}"
    at = text.index(source)
    found = SpeakerResolver(text).resolve((at, at + len(source)))
    assert found == (speaker or "top port officials")  # not "Last May", "Valdora Strait" nor "Ana Soto"


def test_a_party_s_members_are_all_of_them_not_a_narrower_group_named_elsewhere():
    text = "Ferry Fight\n\nNorhaven Democrats met on Monday about the ferry.\n\nDemocrats said the fares were too high."
    assert _resolve(text, "Democrats", 2) == "Democrats"  # not "Norhaven Democrats"


def test_the_subject_of_a_relative_clause_is_no_apposition_of_the_name_before_it():
    text = "Port Vote\n\nThe loss hurt Gov. Ana Soto, who many in the port union had backed for years."
    assert _resolve(text, "many in the port union") != "Ana Soto"


def test_named_people_and_others_of_their_kind_are_all_written_out():
    text = (
        "Port Fund\n\nAna Soto and Tom Park, who raise money for the port, met on Monday. "
        "Soto, Park and other harbour donors said the fund was short."
    )
    assert _resolve(text, "Soto, Park and other harbour donors") == "Ana Soto, Tom Park and other harbour donors"


def test_a_column_s_i_is_its_signed_writer_and_an_answer_s_i_the_one_interviewed(resolve_in_order):
    column = (
        "Ferries Need Help\n\nI have ridden the Norhaven ferry for years, and the fares keep rising.\n\n"
        "Ana Soto is a retired harbour pilot in Norhaven."
    )
    assert resolve_in_order(column, "I") == ["Ana Soto"]
    unsigned = "Ferries Need Help\n\nI have ridden the Norhaven ferry for years, and the fares keep rising."
    assert resolve_in_order(unsigned, "I") == ["author"]
    interview = (
        "Talking Ferries\n\nFormer harbour master Tom Baker sat down with us this week. Ana Soto joined later.\n\n"
        "Q: Why the ferry?\n\nA: Because I think the town needs it."
    )
    assert resolve_in_order(interview, "I") == ["Tom Baker"]  # the first person the lead names


def test_a_surname_is_never_the_father_or_son_a_suffix_names():
    text = (
        "Port Endorsement\n\nRep. Tom Baker endorsed Ana Soto on Monday. His father, former Rep. Tom Baker Sr., "
        "held the seat before him.\n\nBaker said the port needed her."
    )
    assert _resolve(text, "Baker", 3) == "Tom Baker"  # the third "Baker", who said it


def test_his_and_her_stand_for_whom_he_and_she_would(resolve_in_order):
    text = (
        "Port Deal\n\nAna Soto spoke at the pier on Monday. Her aide Tom Baker handed out the plans.\n\n"
        "“The deal is done,” her office said."
    )
    assert resolve_in_order(text, "Ana Soto", "Tom Baker", "her")[-1] == "Ana Soto"  # not the man named last
