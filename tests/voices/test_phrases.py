"""Source phrases read without their article (propwatch.voices.phrases)."""

import pytest

from propwatch.voices.phrases import speaker_phrase


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("longtime Democratic pollster Pat Caddell", ("name", "Pat Caddell")),
        ("Harbour Fund CEO Jonas Mell", ("name", "Jonas Mell")),
        ("In Mujahir", ("name", "Mujahir")),
        ("But Mrs. Clinton", ("name", "Clinton")),
        ("Both Ana Soto and Mirel Dalca", ("name", "Ana Soto and Mirel Dalca")),  # two names, not "Both Ana"
        ("Both harbour pilots", ("description", "Both harbour pilots")),
        ("two pilots present who", ("description", "two pilots")),  # a modifier before "who" goes with it
        ("Sen. Ida Fenn (D-Ore.)", ("name", "Ida Fenn")),
        ("Mary Alvord.", ("name", "Mary Alvord")),
        ("Judge Rosa T. Lang Jr.", ("name", "Rosa T. Lang Jr.")),
        ("she", ("pronoun", None)),
        ("who", ("relative", None)),
        ("If", ("none", None)),
        ("the source", ("description", "source")),
        ("Experts on river ecology", ("description", "Experts")),
        ("his advisers", ("description", "advisers")),
        ("a spokesman for the port authority", ("group", "port authority spokesman")),  # as a named one is written
        ("Mr. King", ("name", "King")),
        ("Secretary of State Ada Moor", ("name", "Ada Moor")),
        ("at HTC, a group of pilots", ("description", "pilots")),  # where they were is no speaker
        ("The Valdora Secretary of State", ("description", "Valdora Secretary of State")),  # not "State"
        ("the Speaker of the House", ("description", "Speaker of the House")),
        ("the Minister of Finance, Ana Soto", ("name", "Ana Soto")),
        ("Bank of Valdora", ("name", "Bank of Valdora")),
        ("Neither Rosa Lang", ("name", "Rosa Lang")),
        ("Besides Harbour Fund", ("name", "Harbour Fund")),
        ("Gazette. And Tomas Reyes, founder of his own firm", ("name", "Tomas Reyes")),
        ("port authority spokesman Ana Ruiz -- as the union's lawyers", ("name", "Ana Ruiz")),
        ("what’s left of the old guard", ("none", None)),
        ("Should Ana Ruiz", ("name", "Ana Ruiz")),
        ("is Port Commissioner Ana Ruiz", ("name", "Ana Ruiz")),
        ("is now dead", ("none", None)),
        ("However", ("none", None)),
        ("Theresa May", ("name", "Theresa May")),
        ("(Newswire) A Harbour couple", ("description", "Harbour couple")),
        ("A Harbour lawmaker is", ("description", "Harbour lawmaker")),
        ("the Valdora House of Representatives", ("name", "Valdora House of Representatives")),
        ("Dutch MP Anneke Vos", ("name", "Anneke Vos")),
        ("Prosecutor Tomas Reyes", ("name", "Tomas Reyes")),
        ("Sen. Ida Fenn of New Jersey", ("name", "Ida Fenn")),
        ("Governor Lorca of Ohio", ("name", "Lorca")),
        ("Republic of Texas", ("name", "Republic of Texas")),
        ("there", ("none", None)),
        ("at least one harbour pilot", ("description", "one harbour pilot")),
        ("University of Ohio", ("name", "University of Ohio")),
        ("President Lorca himself", ("name", "Lorca")),
        ("Why Varga", ("name", "Varga")),
        ("9:12PMVarga", ("name", "Varga")),
        ("12PMHBN", ("name", "HBN")),  # a clock time run into a broadcaster's initials
        ("Former Norhaven", ("name", "Norhaven")),
        ("former aide", ("description", "former aide")),
        ("Harbour County Recorder Helen Soto", ("name", "Helen Soto")),
        ("Filmmaker Jack Varga", ("name", "Jack Varga")),
        ("The South Carolina Republican", ("description", "South Carolina Republican")),  # a member, not a name
        ("numbers not", ("description", "numbers")),
        ("The fool doth", ("description", "fool")),
        ("for the critics)", ("description", "critics")),
        ("some have", ("none", None)),
        ("unapologetically", ("none", None)),
        ("a TV-ready", ("none", None)),  # an adjective the source was cut after
        ("Rep. Jo Lee (D-Va.) at the time", ("name", "Jo Lee")),
        ("Sailing great Ana Jean King", ("name", "Ana Jean King")),  # a surname that is a title, whole
        ("Harbour chief Ana Soto's first tweet", ("name", "Ana Soto")),  # the words said, qualified
        ("Mr. Park and other leaders", ("description", "Park and other leaders")),
        ("The former secretary of State", ("description", "former secretary of State")),  # the office, not "State"
        ("Harbour Prince Ilkka Varga", ("name", "Ilkka Varga")),
        ("Ferry chief Tomas Prince", ("name", "Tomas Prince")),  # a title that is a surname where it ends
        ("Even Mr. Park of Harbour Bank", ("name", "Park")),  # the person, not the bank he is of
        ("the Valdorans state in the white paper", ("description", "Valdorans")),  # its own cue after it
        ("senior harbour officials this", ("description", "senior harbour officials")),  # "this (week)"
        ("an Associated Press report", ("description", "Associated Press report")),  # a report, no cue
        ("a harbour judge handling a Valdora lawsuit", ("description", "harbour judge")),  # a participle's object
        ("the hearing on Monday", ("description", "hearing")),
        ("Almost half of respondents", ("description", "respondents")),  # a share of a group: the group
        ("Thirty-one percent of those surveyed", ("group", "those surveyed")),
        ("Two in three", ("group", "Two in three")),  # a share alone speaks as written
        ("Less than a third", ("group", "a third")),
        ("58 percent of Norhaven voters overall", ("description", "Norhaven voters")),
        ("A new Harbour Times poll", ("description", "Harbour Times poll")),  # how new, no author
        ("the new administration", ("description", "new administration")),
        ("ferry executives there", ("description", "ferry executives")),
        ("recent years", ("none", None)),  # a time, no one
        ("multiple sources privy to the talks", ("description", "multiple sources")),
        ("an ally", ("description", "ally")),
        ("A spokesman for the transport ministry", ("group", "transport ministry spokesman")),
        ("officials at the agency", ("group", "agency officials")),
        ("Perhaps", ("none", None)),  # a sentence's opening word, capitalised there
        ("Unfortunately", ("none", None)),
        ("Today, harbour commentators", ("description", "harbour commentators")),
        ("year", ("none", None)),  # "Judge Lee last year| ruled": a time, no one
        ("let’s", ("none", None)),
        ("A health alert sent Wednesday", ("description", "health alert")),
        ("a letter signed by fifty lawmakers", ("description", "letter")),
        ("Martin Luther King Jr.", ("name", "Martin Luther King Jr.")),
        ("Mary Jane Varga", ("name", "Mary Jane Varga")),
        ("Justice Ada Moor", ("name", "Ada Moor")),
        ("the Justice Department", ("name", "Justice Department")),
        ("Harbour Center for Justice", ("name", "Harbour Center for Justice")),
        ("A Supreme Court Justice Who Once", ("name", "Supreme Court")),
        ("WHO", ("name", "WHO")),
        ("Every", ("none", None)),
        ("GOP Rep Varga", ("name", "Varga")),
        ("Mr Brenner", ("name", "Brenner")),
        ("the Special Counsel’s Office", ("name", "Special Counsel Office")),
    ],
)
def test_speaker_phrase_is_a_name_or_a_role_never_a_fragment(phrase, expected):
    assert speaker_phrase(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Then Harbour Fund", ("name", "Harbour Fund")),
        ("Tom Ruiz later", ("name", "Tom Ruiz")),
        ("the actors involved", ("description", "actors")),
        ("A group of doctors in 2019", ("description", "doctors")),
        ("a wide array of economists", ("description", "economists")),
        ("one of the engineers", ("description", "engineers")),
        ("Senator Ada Moor of Westmark", ("name", "Ada Moor")),
        ("Staff for the Harbour Works Committee", ("group", "Harbour Works Committee staff")),
        ("Democrats on the Senate Rules Committee", ("group", "Senate Rules Committee Democrats")),
        ("the latest poll", ("description", "poll")),
        ("A Harbour Times poll last", ("description", "Harbour Times poll")),  # cut inside "last week"
        ("two senators present", ("description", "two senators")),
        ("say", ("none", None)),
        ("- critics", ("description", "critics")),
        ("Mr. Varga's climate advisers", ("description", "Varga climate advisers")),
        ("all the experts I interviewed", ("description", "all the experts")),
        ("the Harbour's Daily newspaper", ("description", "Harbour's Daily newspaper")),
        ("a report released by the Harbour Institute last year", ("group", "Harbour Institute report")),
        ("a survey conducted by independent analyst Ana Soto", ("group", "Ana Soto survey")),
        ("the harbour council on Monday", ("description", "harbour council")),
        ("Many", ("group", "many")),
        ("some remained", ("group", "some")),
        ("those surveyed", ("group", "those surveyed")),
        ("Some dock workers", ("description", "dock workers")),
        ("The minister's plan", ("description", "minister")),
        ("The dock workers’ claims", ("description", "dock workers")),  # a plural possessor
        ("the Republican mayor of Norhaven", ("description", "Republican mayor of Norhaven")),  # not the place
        ("host of the Valley Herald’s “Morning Show,”", ("description", "host")),  # not the show
        ("Andrew J. Lund of the law firm Mayer Park", ("name", "Andrew J. Lund")),  # not the firm
        ("two members of Congress from Norhaven, Ana Soto and Tom Park", ("name", "Tom Park")),  # not Norhaven
        ("The leaders of the United States, Canada and Mexico", ("group", "United States leaders")),  # no people
        ("Norhaven officials, including Gov. Ana Soto", ("description", "Norhaven officials")),  # the group
        ("unofficial results tallied through Monday", ("description", "unofficial results")),  # a participle after
        ("Journalist Jorge Varga", ("name", "Jorge Varga")),  # a capitalised trade before an unfamiliar first name
        ("Norhaven City Public Advocate Tish Varga", ("name", "Tish Varga")),  # so is an office
        ("Harbour Pollster’s polling average", ("description", "Harbour Pollster polling average")),  # no plural
        ("the Harbour Polls polling average", ("description", "Harbour Polls polling average")),  # a name's "s"
        ("the average of recent polls compiled by Harbour Polls", ("group", "Harbour Polls average")),
        ("a poll of 400 dock workers released on Friday by Harbour Data", ("group", "Harbour Data poll")),
        ("a report Tuesday from WKHB, the radio station in Dalca", ("group", "WKHB report")),
        ("Two-thirds of harbour insiders", ("description", "harbour insiders")),  # a fraction of a group
        ("Three-in-five port insiders across the four towns", ("description", "port insiders")),
        ("More than nine of 10 voters in Norhaven and Dalca", ("description", "voters")),  # not the places
        ("Most dock workers in Norhaven, Dalca and Valdora", ("description", "dock workers")),
        ("three-fourths", ("group", "three-fourths")),  # a share alone speaks as written
        ("Nine of 10", ("group", "Nine of 10")),
        ("Vermont, Senator Ana Soto, the minority leader", ("name", "Ana Soto")),  # not the state before her
        ("Many speakers at the pier — including Varga, Park and Soto —", ("description", "speakers")),
        ("Varga's response", ("name", "Varga")),
        ("workers.Varga", ("name", "Varga")),
        ("The boy told agents that Ibn", ("none", None)),
        ("some may", ("none", None)),
        ("Reuters Varga", ("name", "Varga")),
        ("a document the union published on Monday", ("description", "document")),
        ("Newswire) A Harbour couple", ("description", "Harbour couple")),
        ("Theresa May", ("name", "Theresa May")),
        ("The Harbour Trust's office in Dalca", ("description", "Harbour Trust office")),  # not the place it sits in
        ("officials in Norhaven", ("description", "officials")),
        ("political scientist Ana Soto in Dalca", ("name", "Ana Soto")),
        ("Harbour and independent analysts", ("description", "Harbour and independent analysts")),  # one group
        ("some pilots and dockers", ("description", "pilots and dockers")),
        ("officials and the mayor", ("description", "officials")),  # a second speaker is coordination's
        ("Research conducted for the Harbour Trust", ("group", "Harbour Trust research")),
        ("Rep. Jo Lee of domestic abuse", ("name", "Jo Lee")),  # a name the tagger cut from its clause
        ("Varga's and Park's families", ("group", "Varga and Park families")),  # two names, one plural head
        ("the Varga and Park families", ("group", "Varga and Park families")),
        ("a Republican of the old school", ("description", "Republican")),
    ],
)
def test_speaker_phrase_drops_adverbs_quantities_and_places_and_puts_the_organisation_first(phrase, expected):
    assert speaker_phrase(phrase) == expected
