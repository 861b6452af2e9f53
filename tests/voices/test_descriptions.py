"""Descriptions and what they stand for (propwatch.voices.descriptions), through the resolver."""

import pytest

from propwatch.voices.speakers import SpeakerResolver


def _resolve(text: str, source: str, occurrence: int = 1) -> str | None:
    """Resolve the ``occurrence``-th ``source`` of ``text``."""
    at = -1
    for _ in range(occurrence):
        at = text.index(source, at + 1)
    return SpeakerResolver(text).resolve((at, at + len(source)))


@pytest.mark.parametrize(
    "role", ["The former senator", "The former secretary of state", "The Democratic frontrunner", "The justice"]
)
def test_a_definite_role_is_the_person_the_story_names_most(role):
    text = f"Ada Moor toured the port with Tom Ruiz. Moor spoke first. Ada Moor left.\n\n{role} said more."
    assert _resolve(text, role) == "Ada Moor"  # a role of an office, or with a party, is as common


def test_a_place_or_a_name_before_a_role_leaves_it_a_description():
    text = "Ada Moor wants a new harbour. Moor spoke first. Ada Moor left.\n\nThe Harbour Times frontrunner wrote more."
    assert _resolve(text, "The Harbour Times frontrunner") == "Harbour Times frontrunner"


def test_a_description_is_never_named_from_a_headline():
    text = "Climate Group Runs Ads Demanding Action On Rivers\n\nThe ads say the rivers are dying."
    assert _resolve(text, "The ads") == "ads"


def test_a_headline_speaker_is_named_as_the_body_names_it():
    text = "Ada Moor Hammers Harbour Bank Chief\n\nAda Moor questioned the bank's chief on Tuesday. Moor said no."
    assert _resolve(text, "Ada Moor Hammers") == "Ada Moor"
    text = "Moor Wades In: Urges Harbour Bank To Stay\n\nAda Moor questioned the bank's chief on Tuesday."
    assert _resolve(text, "Moor Wades") == "Ada Moor"  # a surname the body gives a first name
    text = "Retired General Reveals Plan\n\nRetired Gen. Tom Ruiz said the plan was old. Ruiz served in the war."
    assert _resolve(text, "Retired General") == "Tom Ruiz"
    text = (
        "Former Moor Pollster Says Moor Trails\n\nFormer Ada Moor pollster Tom Ruiz spoke on the radio. "
        "Ruiz said Ada Moor trails."
    )
    assert _resolve(text, "Former Moor Pollster") == "Tom Ruiz"  # the pollster, not Moor
    text = "Liberal Oscar-Winner Moor Backs Ferry\n\nThe actress Ada Moor said on Tuesday the ferry must stay."
    assert _resolve(text, "Liberal Oscar-Winner Moor") == "Ada Moor"  # words before the surname qualify her


def test_the_company_is_the_organisation_that_has_spoken_most():
    text = "Harbour Air cut fares. Harbour Air blamed fuel; Valdora Bank disagreed.\n\nThe airline said more."
    resolver = SpeakerResolver(text)
    for name in ("Harbour Air", "Valdora Bank", "Harbour Air"):
        at = text.index(name)
        resolver.resolve((at, at + len(name)))
    at = text.index("The airline")
    assert resolver.resolve((at, at + len("The airline"))) == "Harbour Air"
    assert SpeakerResolver(text).resolve((at, at + len("The airline"))) == "airline"  # no one has spoken yet


def test_a_role_with_a_place_is_the_person_named_beside_that_place():
    text = (
        "Ferry Deal Signed After Long Talks\n\n"
        "Sen. Ruth Abbot of Vermont met the governor, Carl Mendes, on Monday.\n\n"
        '"We agreed on the ferry," Mendes said.\n\n'
        "The senator from Vermont said the deal was fair."
    )
    start = text.index("The senator from Vermont")
    assert SpeakerResolver(text).resolve((start, start + len("The senator from Vermont"))) == "Ruth Abbot"


def test_a_role_is_never_a_person_the_article_gives_another_office():
    text = (
        "Budget Passes\n\n"
        "President Dana Hollis spoke about the budget for an hour.\n\n"
        "Hollis said the cuts were over. Hollis added that more was to come.\n\n"
        "The Ohio senator said the budget was a fraud."
    )
    start = text.index("The Ohio senator")
    assert SpeakerResolver(text).resolve((start, start + len("The Ohio senator"))) != "Dana Hollis"


@pytest.mark.parametrize(
    ("said", "speaker"),
    [
        ("The Democratic nominee", "Ana Soto"),  # not the Republican named more
        ("The former secretary of state", "Ana Soto"),  # not the senator
        ("The lawmaker", "Tom Ruiz"),  # a senator is a lawmaker; the president is not
    ],
)
def test_a_role_is_the_most_named_person_the_article_leaves_it_to(said, speaker):
    text = (
        "Port Vote Nears\n\n"
        "On the harbour front, the president, Ilkka Varga, met with Sen. Tom Ruiz (R-Ohio) and with the Democratic "
        "presidential candidate Ana Soto on a long and windy morning. The Republican nominee Ilkka Varga spoke first "
        "and then left. Ilkka Varga and Tom Ruiz were gone by noon, and President Varga came back at night.\n\n"
        f"{said} said the vote was close."
    )
    assert _resolve(text, said) == speaker


def test_the_president_is_the_one_titled_so_alone_not_a_body_s_president():
    text = (
        "Climate Deal\n\n"
        "President Varga hailed the deal in a long speech on Monday. "
        "Harbour Bank President Tom Ruiz spoke after him about the loans for the ports.\n\n"
        "The president said the deal was a turning point."
    )
    assert _resolve(text, "The president") == "Varga"  # not the bank's Tom Ruiz, named last


def test_the_governor_is_the_one_titled_so_not_a_former_governor_named_more():
    text = (
        "Debate Night\n\n"
        "Former Norhaven Gov. Tom Ruiz sparred with Gov. Ana Berg on the stage for an hour on Monday. "
        "Tom Ruiz spoke of his record and Tom Ruiz spoke of taxes.\n\n"
        "The governor said the state had cut its crime rate."
    )
    assert _resolve(text, "The governor") == "Ana Berg"


def test_a_role_with_another_place_is_never_the_person_the_article_places_elsewhere():
    text = (
        "Port Vote Nears\n\n"
        "Sen. Tom Ruiz (R-Fla.) and Jo Lee spoke on Monday. Tom Ruiz left.\n\n"
        "The former senator from Ohio said the vote was close."
    )
    assert _resolve(text, "The former senator from Ohio") != "Tom Ruiz"


def test_a_day_is_never_the_name_of_a_description():
    text = (
        "Harbor Race Tightens Before The Vote\n\n"
        "Sunday debate drew a crowd. The debate revealed a stark contrast between the candidates."
    )
    assert _resolve(text, "The debate") == "debate"


def test_a_headline_role_a_name_qualifies_is_the_one_named_beside_that_name():
    body = "Blogger Sam Orr says the warning is a fraud. Orr writes every week. Orr says so again.\n\n"
    named = "Harbor Health Chief: Outbreak Imminent\n\n" + body + "Dr. Ana Lind, who heads Harbor Health, said so."
    unnamed = "Harbor Health Chief: Outbreak Imminent\n\n" + body + "A Harbor Health official said so."
    role = (0, len("Harbor Health Chief"))
    assert SpeakerResolver(named).resolve(role) == "Ana Lind"
    assert SpeakerResolver(unnamed).resolve(role) == "Harbor Health Chief"  # not the blogger named most


@pytest.mark.parametrize(
    ("text", "source", "speaker"),
    [
        ("A harbour news site called “The Ledger” said the levy was late.", "A harbour news site", "Ledger"),
        (
            "A harbour news site called “The Ledger” said the levy was late.",
            "A harbour news site called “The Ledger”",
            "Ledger",
        ),
        ("A man named Tom Park said the levy was late.", "A man named Tom Park", "Tom Park"),
    ],
)
def test_a_description_that_gives_its_name_is_that_name(text, source, speaker):
    assert _resolve(text, source) == speaker


def test_a_role_with_a_place_is_never_a_person_only_a_quote_mentions():
    text = (
        "Nominees Face A Fight\n\n"
        "Tom Ruiz praised the nominees.\n\n"
        "“Mike Vance is wrong. I will oppose Vance’s nomination and Vance’s deputy,” Ruiz said on Wednesday.\n"
        "The Ohio lawmaker is the first to say so."
    )
    assert _resolve(text, "The Ohio lawmaker") == "Tom Ruiz"


def test_a_sentence_opener_before_a_description_names_no_one():
    text = "However, a federal judge, in a suit by eight states, has blocked the plans.\nThe judge said no."
    assert _resolve(text, "The judge") == "judge"


def test_a_former_holder_named_by_a_role_is_not_the_role_now():
    text = (
        "Ada Moor toured the port. Former harbour candidate Tom Ruiz said the port was slow. Moor spoke next. "
        "Ada Moor left.\n\nThe candidate said more."
    )
    assert _resolve(text, "The candidate") == "Ada Moor"  # Ruiz ran once; the story's Moor runs now
    assert _resolve(text.replace("The candidate", "The former candidate"), "The former candidate") == "Tom Ruiz"


def test_a_former_holder_of_a_trade_still_plies_it():
    text = "Former Moor pollster Tom Ruiz said the port was slow. Ada Moor disagreed.\n\nThe pollster said more."
    assert _resolve(text, "The pollster") == "Tom Ruiz"


def test_a_role_in_a_live_blog_entry_is_the_person_the_entry_names_most():
    text = (
        "On Monday the mayor, Ada Moor, spoke. Then Ada Moor left, and later Ada Moor returned.\n\n"
        "At noon Tom Ruiz toured the docks, and Tom Ruiz said they were slow.\n\n"
        "The governor claimed the docks had improved."
    )
    assert _resolve(text, "The governor") == "Tom Ruiz"


def test_a_description_said_of_a_name_is_that_name():
    text = "The harbour was sold in May. Ana Soto is the harbour chief who signed the sale, and she kept quiet."
    assert _resolve(text, "the harbour chief who") == "Ana Soto"


def test_a_description_in_the_opening_is_the_name_the_next_sentence_opens_with():
    text = (
        "Harbour Group Runs Ads\n\n"
        "A major harbour group is demanding that the council fund new cranes. Harbour Watch, founded by "
        "Ana Soto, will run the ads on Tuesday.\n\nPolice said the pier was closed. Yep, it was."
    )
    assert _resolve(text, "A major harbour group") == "Harbour Watch"
    plural = text.replace("A major harbour group is", "Harbour groups are")
    assert _resolve(plural, "Harbour groups") == "Harbour groups"  # many are no one name


@pytest.mark.parametrize(
    ("text", "source", "speaker"),
    [
        (
            "Protesters gathered outside the arena on Sunday.\n\nNora Ilves held up a sign reading "
            '"No Dalca Bridge." The 57-year-old scientist says she fears for the river.',
            "The 57-year-old scientist",
            "Nora Ilves",  # a sign's words in quote marks are no one the description takes up
        ),
        (
            "Ferry Lost\n\nRuth Abbot worked as a finance director at Norhaven Freight Services in Dalca. The company "
            "confirmed she was on the ferry.",
            "The company",
            "Norhaven Freight Services",  # the organisation just named, not the person the sentence is about
        ),
    ],
)
def test_a_definite_description_takes_up_the_one_just_named(text, source, speaker):
    assert _resolve(text, source) == speaker


def test_a_party_member_by_place_is_the_speaker_just_named(resolve_in_order):
    text = (
        "Port Vote Nears\n\nThe council met on Monday.\n\n“The port stays open,” said Tom Ruiz.\n\n"
        "The Norhaven Republican added that the vote was close."
    )
    speakers = resolve_in_order(text, "Tom Ruiz", "The Norhaven Republican")
    assert speakers[-1] == "Tom Ruiz"  # a description, not the name "Norhaven Republican"


def test_a_definite_description_reaches_back_no_more_than_two_sentences():
    text = (
        "Bridge Tour\n\nRuth Abbot toured Dalca. She met the mayor. The mayor showed her the bridge. It was late. "
        "The scientist said the river was rising."
    )
    assert _resolve(text, "The scientist") == "scientist"


def test_an_organisation_that_ends_in_its_kind_keeps_every_word():
    text = "Auction Condemned\n\nThe Trayvon Martin Foundation said it would not comment. The group said it was wrong."
    assert _resolve(text, "The Trayvon Martin Foundation") == "Trayvon Martin Foundation"
    assert _resolve(text, "The group") == "Trayvon Martin Foundation"


def test_the_newspaper_is_the_outlet_just_named_never_a_place(resolve_in_order):
    text = (
        "Records Released\n\nThe U.S. said the records were sealed. The FBI said the same.\n\n"
        "The records were given to the Valdora Review-Journal. The newspaper published the name online."
    )
    speakers = resolve_in_order(text, "The U.S.", "The FBI", "The newspaper")
    assert speakers[-1] == "Valdora Review-Journal"


def test_an_apposed_person_is_the_speaker_not_the_names_in_the_role_before():
    text = "Vote Nears\n\nThe Premier’s envoy to the U.N., Nikki Varga, said the vote was close."
    assert _resolve(text, "The Premier’s envoy to the U.N., Nikki Varga") == "Nikki Varga"


def test_a_description_owned_by_a_described_person_is_written_with_that_person_first():
    text = (
        "Varga Skips Summit\n\n"
        "Former Vice President Ilkka Varga will not attend the harbour summit this week, his aides said. "
        "The former vice president's spokeswoman said he had other plans."
    )
    assert _resolve(text, "The former vice president's spokeswoman") == "Ilkka Varga spokeswoman"


def test_an_owned_description_the_article_names_is_that_name():
    text = (
        "Port Inquiry\n\n"
        "Rep. Tom Ruiz fired the aide in June, said Ruiz spokesman Ben Park, who spoke to reporters on Monday. "
        "The congressman's spokesman also said the inquiry was over."
    )
    assert _resolve(text, "The congressman's spokesman") == "Ben Park"


def test_a_trade_takes_up_the_person_just_named_unless_a_name_qualifies_it():
    text = (
        "Ferry Star\n\n"
        "Tom Ruiz stars in a new film about the harbour. The actor said the ferry scenes were hard.\n\n"
        "One ad stars a Nora Varga impersonator who promises that Ana Soto will win. "
        "The Varga actor says the race is close."
    )
    assert _resolve(text, "The actor") == "Tom Ruiz"
    assert _resolve(text, "The Varga actor") == "Varga actor"  # plays Nora Varga; not Ana Soto, named last


def test_a_role_with_a_place_is_the_person_whose_party_label_gives_that_state():
    text = (
        "Debate Night\n\n"
        "Tom Ruiz (R-Tex.) and Ana Berg spoke for an hour on Monday. Ana Berg spoke first, Ana Berg spoke last.\n\n"
        "The Texas senator said the debate was unfair."
    )
    assert _resolve(text, "The Texas senator") == "Tom Ruiz"  # not Ana Berg, the most named
