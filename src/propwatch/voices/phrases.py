"""Source phrases, read without their article: what kind of speaker a phrase names and the words
that name it (a name, a role, a group, speakers joined by "and"), and the capitalised runs of a
phrase that may be names."""

from __future__ import annotations

import re
from functools import lru_cache

from propwatch.voices.naming import CALLED_RE
from propwatch.voices.people import FIRST_NAMES, NOT_PEOPLE, capitalised
from propwatch.voices.runs import _PARTIES, AUXILIARIES, MODIFIER_RE, PLACES, RELATIVES, name_runs
from propwatch.voices.text import _ARTICLES, _DETERMINERS, _OPENERS, PRONOUNS, TITLES

_CREDITS = frozenset("Reuters AP AFP Getty EPA".split())
"""Wire and photo agencies whose credit line runs into the name after it."""
_NAME_PARTICLES = frozenset("al Al el El ibn Ibn bin Bin abu Abu de De van Van von Von may will can".split())
"""Words that open or join a name and never make one alone; lower-case modals are never a name either."""
_QUESTION_WORDS = frozenset({"what", "what’s", "what's", "whatever", "whoever", "whichever"})
_CUT_WORDS = _OPENERS | RELATIVES
_LEADING = _DETERMINERS | {"these", "those", "my", "your", "some", "any", "latest", "recent"}
_PARTY_RE = re.compile(r"\(?[RDI](?:-[A-Z][\w. ]*)?\)?\.?")
"""A party label standing alone as a source ("R-Ky.", "(D)")."""
_QUANTITY_RE = re.compile(
    r"(?i:(?:only|about|nearly|roughly|almost|just|over|more\s+than|fewer\s+than|less\s+than)\s+)?"
    r"(?i:(?:a|the)\s+)?(?i:\d[\d,.]*(?:\s*%|\s+(?:percent|per\s+cent))?(?:\s+in\s+\d+)?"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety)(?:[\s\-]\w+)?\s+(?:percent|per\s+cent|in\s+\w+)"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten)(?:-(?:half|thirds?|quarters?|fourths?|fifths?|tenths?)"
    r"|-in-\w+|\s+(?:of|in)\s+(?:\d+|ten))"
    r"|majority|majorities|minority|minorities|plurality|most|many|half|third|thirds|quarter|quarters|handful|few)"
    r"(?=[\s,;:.]|$)(?:\s+(?i:of)(?:\s+(?i:the|them|all))?(?=\s|$))?"
)
"""A quantity or share opening a source ("46 percent of", "4 in 10", "a majority of", "most"): how many
of a group spoke; the group after it is the speaker, and a share alone speaks as written (:data:`_SHARE_RE`)."""
_PART_OF_RE = re.compile(
    r"(?i:(?:a|an|the)\s+)?(?i:(?:wide|broad|large|small|growing|diverse)\s+)?"
    r"(?i:group|number|couple|pair|one|all|some|none|each|both|several|dozens|hundreds|thousands"
    r"|millions|coalition|proportion|share|percentage|fraction|array|range|variety|slew)\s+of\s+"
    r"(?i:(?:the|them|those|our|their)\s+)?"
)
"""A part or a gathering of a group ("one of the doctors", "a group of 67 artists", "a wide array of
economists"): the group speaks."""
_SERVED_RE = re.compile(
    r"(?:(?i:the|a|an|some|many|several|two|three)\s+)?(\w+)\s+(?:for|of|at|on|to|with)\s+(?:the\s+)?(.+)"
)
_GROUP_HEADS = frozenset(
    "staff members officials spokesman spokeswoman spokesperson aides advisers advisors democrats republicans "
    "leaders lawyers attorneys researchers economists analysts experts scientists workers employees officers "
    "investigators prosecutors supporters critics sources representatives".split()
)
"""Groups and roles that serve an organisation, written organisation first ("Senate Rules Committee Democrats")."""
_THINGS = frozenset(
    "recording message statement video letter tweet post speech interview remarks remark comment comments "
    "response answer reply claim claims plan proposal decision argument view views position stance promise "
    "pledge vow threat warning call assertion suggestion refusal denial criticism attack attacks praise bid "
    "push effort attempt insistence admission account testimony words".split()
)
"""What a speaker's words, views and intentions come in: "Haddad's recording" and "the minister's plan"
speak for Haddad and the minister."""


_SHARE_RE = re.compile(
    r"(?i:(?:only|about|nearly|roughly|almost|just|some|over|more\s+than|fewer\s+than|less\s+than)\s+)?"
    r"((?:\d[\d,.]*|[A-Za-z]+(?:-[a-z]+)?)(?:\s*%|\s+(?:percent|per\s+cent))"
    r"|(?:\d+|[A-Za-z]+)(?:\s+in\s+|-in-|\s+of\s+)(?:\d+|[A-Za-z]+)"
    r"|(?i:a|one|two|three|four)[\s\-](?i:thirds?|quarters?|fourths?|fifths?|tenths?)|(?i:half))"
)
"""A share of those polled standing alone ("only 4 percent", "two in three", "less than a third"), which
speaks as written."""


_LABEL_RE = re.compile(r"\s*\([^)]*\)?\s*$")
_DATELINE_OUTLET_RE = re.compile(r"^(?:\([^)]*|[A-Z][\w.]*)\)\s*")
_AT_LEAST_RE = re.compile(r"^(?i:at\s+)?least\s+")
_RUN_ON_RE = re.compile(r"^.*[a-z]\.(?=[A-Z][a-z])")
_BLOG_TIME_RE = re.compile(r"^.*\d[AaPp]\.?[Mm]\.?(?=[A-Z])")


def _clean_phrase(phrase: str) -> tuple[str, list[str]]:
    """A source phrase without a party label, opening prepositions, conjunctions or adverbs, trailing
    adverbs and participles, and trailing punctuation; and its words. ("But Mrs. Clinton" → "Mrs.
    Clinton"; "Ted Cruz (R-Tex)" → "Ted Cruz"; "Then DuPont" → "DuPont"; "Shelby later" → "Shelby";
    "the actors involved" → "the actors"; "the council on Monday" → "the council")"""
    phrase = _WHEN_RE.sub("", phrase.strip(" ,;:-–—"))  # "Rep. Jo Lee (D-Va.) at the time": the time, then the label
    phrase = _WHEN_RE.sub("", _LABEL_RE.sub("", phrase))
    phrase = _DATELINE_OUTLET_RE.sub("", phrase)  # a dateline's outlet: "(Newswire) A Harbour couple"
    phrase = _AT_LEAST_RE.sub("", phrase)  # "(at) least one candidate": the candidate
    phrase = _RUN_ON_RE.sub("", phrase)  # a stop with no space after it: "women.Loomer"
    phrase = _BLOG_TIME_RE.sub("", phrase)  # a live blog's time: "9:12PMTrump", "12PMCNN"
    words = phrase.split()
    while len(words) > 1 and (
        words[0].lower() in _OPENERS | _ADVERBS
        or words[0] in RELATIVES
        or words[0].lower() in AUXILIARIES
        or (words[0].lower() in _FORMER and words[1][:1].isupper())
        or (words[0].lower() == "both" and words[1][:1].isupper() and "and" in words)
    ):
        words.pop(0)  # "But Mrs. Clinton"; "who authorities (say)" → "authorities"; "Would Ted Cruz"; "Former Florida"
        # "Both Ana Soto and Tom Park", not "Both parents" nor "Both Cuban-Americans"
    if len(words) > 2 and words[-1] in RELATIVES and _trailing_modifier(words[-2]):
        words.pop()  # "two senators present who" → "two senators"
    while len(words) > 1 and _trailing_modifier(words[-1]) and words[-2].lower() != "those":
        words.pop()  # not "(of) those surveyed", a group
    return " ".join(words), words


_WHEN_RE = re.compile(
    r"\s+(?:(?:this|last|next|earlier|later)\s+(?:week|month|year|spring|summer|fall|autumn|winter|weekend)"
    r"|(?:on\s+|last\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|tonight"
    r"|in\s+\d{4}|at\s+the\s+time|last|next)[\s,;:.]*$"
)
"""When, at the end of a source the tagger cut too wide ("67 artists and scientists this week"), or cut
inside ("A Harbour Times poll last| week")."""
_FORMER = frozenset({"former", "onetime", "outgoing"})
"""What once was, before an office and a name ("Former Florida Gov. Ana Soto"): never a name's first word."""
_ADVERBS = frozenset(
    "then now still later also too again meanwhile previously earlier alone already once soon however moreover "
    "furthermore therefore thus instead much present".split()
)
"""Adverbs that open or close a source the tagger cut too wide ("Then DuPont", "Shelby later", "two
senators present")."""


def _trailing_modifier(word: str) -> bool:
    """A lower-case adverb or participle after a source's head ("successfully", "involved", "released")."""
    bare = word.strip(",;:.")
    if not bare.islower():
        return False
    return bare in _ADVERBS | _REFLEXIVES or (len(bare) > 4 and (bare.endswith("ly") or bare.endswith("ed")))


_REFLEXIVES = frozenset("himself herself themselves itself myself ourselves".split())
"""A reflexive after a source's head ("President Trump himself")."""


_TRAILING_NO_NOUN = frozenset("not never ahead doth hath overall nationwide statewide alike combined there".split())
"""Words a cut source may end in that belong to the clause after it ("numbers not", "The fool doth")."""
_SENTENCE_WORDS = frozenset(
    "another not perhaps new yes no just maybe indeed hence sometimes often never finally first second third last "
    "next other such any very sadly clearly luckily today".split()
)
"""Words a sentence opens with, capitalised there, that name no one alone ("Perhaps they …", "New
documents show …")."""
_ADVERB_RE = re.compile(r"[a-z]{3,}(?:ous|ical|al|ed|ing|ent|ant|ate|ive|ful|less|ic|ible|able|ish)ly\Z")
"""An adverb standing alone as a source ("unapologetically", "infamously")."""


def _description(words: list[str]) -> str | None:
    """A role phrase without its article or possessive, cut before a preposition or relative pronoun
    ("the source" → "source"; "Experts on North Korea" → "Experts"; "his advisers" → "advisers")."""
    while words and (words[0].lower() in _LEADING or _new_document(words)):
        words = words[1:]  # "the source"; "a new Gallup poll": how recent a document is names no author
    cut = next(
        (
            i
            for i, w in enumerate(words)
            if i
            and (
                w.lower() in _CUT_WORDS | PRONOUNS | AUXILIARIES
                or _relative_without_that(words, i)
                or _participle_after_plural(words, i)
            )
            and not _role_of(words, i)
            and not _joined_nouns(words, i)
        ),
        len(words),
    )  # "all the experts I interviewed" → "all the experts"
    if 1 < cut < len(words) and _takes_object(words[cut - 1], words[cut]):
        cut -= 1  # "a federal judge handling| a lawsuit": the participle and its object qualify the judge
    kept_words = words[:cut]
    while len(kept_words) > 1 and (
        kept_words[-1].lower().strip(",;:.") in _POSTMODIFIERS | _TRAILING_NO_NOUN | _DETERMINERS_AFTER
        or _says_after_plural(kept_words)
    ):
        kept_words = kept_words[:-1]  # "sources familiar with the talks" → "sources"; "numbers not" → "numbers";
        # "officials this (week)" → "officials"; "the Valdorans state (in …)" → "Valdorans"
    if len(kept_words) == 1 and (
        kept_words[0].lower() in AUXILIARIES | _TRAILING_NO_NOUN
        or _ADVERB_RE.match(kept_words[0])
        or MODIFIER_RE.search(kept_words[0])
    ):
        return None  # "some have", "unapologetically", "a TV-ready": no one
    kept = re.sub(r"[’']s$", "", " ".join(kept_words).strip(" ,;:.\"“”'’"))
    if "(" not in kept and "[" not in kept:
        kept = kept.rstrip(")]").strip()  # "the neocons)": the bracket the source was cut inside
    kept = _OWNER_RE.sub(r"\1 ", kept)  # "Mr. Obama's climate advisers" → "Obama climate advisers"
    kept = re.sub(r"\b(?:Mr|Mrs|Ms|Dr)\.\s+(?=[A-Z])", "", kept)  # "Mr. Xi and other leaders"
    kept = re.sub(r"(?<=[a-z])[’']s\s+(?=[a-z])", " ", kept)  # "the community's inspector general"
    if not kept or kept.lower() in PRONOUNS | _CUT_WORDS | _NO_ONE or not re.search(r"[^\W\d_]{2}", kept):
        return None  # "say", "52-count"
    return kept


def _owner_of_thing(words: list[str], last: str) -> int | None:
    """Where the owner of the words said ends, the thing said closing the phrase ("Haddad's recording",
    "Ana Soto's first tweet", "the minister's latest plan"): one or two lowercase words may qualify it;
    None where the phrase is no such thing."""
    if last.lower() not in _THINGS:
        return None
    for owner in range(len(words) - 1, max(0, len(words) - 4), -1):
        if re.search(r"[’']s$|s[’']$", words[owner - 1]):
            return owner if all(w[:1].islower() for w in words[owner:-1]) else None
    return None


_DETERMINERS_AFTER = _DETERMINERS | {"these", "those"}
"""Words that open the phrase after a description the tagger ran on into ("officials this week"), or a
participle's object ("handling a lawsuit")."""

_PRESENT_SAYING = frozenset("say state claim argue contend insist warn write add believe".split())
"""Reporting verbs in the present a plural subject takes ("the Valdorans state"), never part of it."""


def _says_after_plural(words: list[str]) -> bool:
    """Whether a description ends in its own cue after a plural noun ("the Valdorans state", "officials say")."""
    return len(words) > 1 and words[-1].lower() in _PRESENT_SAYING and re.search(r"[a-z]s\Z", words[-2]) is not None


def _takes_object(word: str, after: str) -> bool:
    """Whether ``word`` is a participle whose object ``after`` opens ("handling| a lawsuit", "leading|
    the charge"), not a noun the phrase goes on from ("the hearing| on Monday")."""
    return word.endswith("ing") and (after.lower() in _DETERMINERS_AFTER or after[:1].isupper())


def _new_document(words: list[str]) -> bool:
    """Whether a description opens with how new its document is ("new Gallup poll", "fresh survey")."""
    return (
        len(words) > 1
        and words[0] in ("new", "fresh", "newest")
        and re.fullmatch(DOCUMENTS, words[-1].lower()) is not None
    )


def _joined_nouns(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is an "and" that joins two lowercase words of one description ("Democratic
    and independent analysts", "lawmakers and technologists"): the whole is who speaks."""
    rest = words[i + 1 :]
    return (
        words[i].lower() == "and"
        and 0 < len(rest) <= 2
        and all(w[:1].islower() and w.isalpha() and w.lower() not in _CUT_WORDS | _LEADING | PRONOUNS for w in rest)
    )


_ROLE_FROM_RE = re.compile(
    r"(?:(?i:the|a|an)\s+)?(?:(?:[a-z][\w\-]*|Republican|Democratic|GOP|Independent)\s+)*(?:senator|governor"
    r"|congressman|congresswoman|mayor|lawmaker|representative|host|anchor|editor|founder|chairman|chairwoman)"
    r"\s+(?:from|of)\s+(?:the\s+)?[A-Z][\w\-’']*(?:\s+[A-Z“”\w\-’'\"]*)*[,;:]?"
)
"""A lower-case role and the place or body it serves ("the former senator from Pennsylvania", "the
Republican mayor of Norhaven", "host of the Valley Herald’s “Morning Show”"): a role, not the place."""
_POSTMODIFIERS = frozenset("familiar close knowledgeable aware briefed involved speaking privy".split())
"""Adjectives that open what follows a description's head ("sources familiar with the talks",
"an official speaking on condition of anonymity"): the head is the speaker."""
_OWNER_RE = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr)\.\s+)?([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)*)['’]s\s+(?=[a-z])")
_NO_ONE = frozenset(
    "say says said believe believes think thinks close long ones let year week month day night morning "
    "evening today yesterday tonight decade years weeks months days decades hours minutes".split()
)
"""Words the tagger takes for a source that name no one."""


def _relative_without_that(words: list[str], i: int) -> bool:
    """Whether words[i] opens a relative clause without its "that" ("a document| the woman published"):
    an article right after a noun, not after a quantifier ("all the experts")."""
    return words[i].lower() in ("the", "a", "an") and words[i - 1].lower() not in _QUANTIFIERS | _OPENERS


_QUANTIFIERS = _ARTICLES | {"half", "none", "one", "any"}


_SENT_PARTICIPLES = frozenset("sent released published posted issued signed obtained filed".split())
"""Participles that open what follows a document, whatever its number ("A health alert| sent Wednesday")."""


def _participle_after_plural(words: list[str], i: int) -> bool:
    """Whether words[i] is a participle opening what follows a plural head ("results| tallied through
    Wednesday", "reports| emerging in the press"), which is no part of the speaker's name."""
    word, head = words[i], words[i - 1].lower()
    plural = words[i - 1][:1].islower() and head.endswith("s") and not re.search(r"['’]s\Z", head)
    # not "Pollster’s polling average", nor a name's "Harbour Polls polling average"
    if word in _SENT_PARTICIPLES or (re.fullmatch(r"[a-z]{3,}ly", word) and words[i + 1 : i + 2] == ["updated"]):
        return True  # "A health alert| sent Wednesday", "the timeline| recently updated by": a document's
    return word.islower() and re.fullmatch(r"[a-z]{3,}(?:ed|ing)", word) is not None and plural


def _role_of(words: list[str], i: int) -> bool:
    """Whether words[i] ties a role to whom it serves ("spokesman for the ministry", "director of the
    agency"), which stays part of the description."""
    return words[i].lower() in ("for", "of", "at", "from") and words[i - 1].lower() in TITLES


_COUNTED_RE = re.compile(
    r"((?i:many|most|some|several|few|others|those\s+(?:surveyed|polled|questioned|interviewed)))(?:\s+[a-z]+ed)?\s*\Z"
)
"""A group that the story counts but does not name ("Many agreed", "those surveyed"): it speaks as
itself, lower-cased, as a share alone does (:data:`_SHARE_RE`)."""


@lru_cache(maxsize=16384)
def speaker_phrase(phrase: str) -> tuple[str, str | None]:
    """What kind of speaker a source phrase names, and the words that name it.

    ("name", "Pat Caddell") for "longtime Democratic pollster Pat Caddell": a phrase that ends in a
    name is that name, titles and role words before it dropped; ("pronoun", None) for "she";
    ("relative", None) for "who"; ("description", "campaign spokesman") for "a campaign spokesman";
    ("group", "Senate Rules Committee Democrats") for a group of a named organisation;
    ("none", None) for what names no one ("If", "Once", a name's piece such as "Ibn" alone).
    """
    kind, words = _read_phrase(phrase)
    if words is not None and words.strip(".") in _NAME_PARTICLES:
        return "none", None
    return kind, _past_capitalised_role(words) if kind == "name" and words else words


def _person_before_affiliation(phrase: str, runs: list[str]) -> str | None:
    """A person's name before the body or place they belong to ("Andrew J. Lund of the law firm Mayer
    Park", "Ana Soto from the Harbour Trust"): the person speaks, not the body named last. A person's
    name here opens with a known first name or holds an initial."""
    for run in runs[:-1]:
        words = run.split()
        person = len(words) > 1 and (words[0].lower() in FIRST_NAMES or any(re.fullmatch(r"[A-Z]\.", w) for w in words))
        if person and re.search(rf"{re.escape(run)}\s+(?:of|from|at|with)\s", phrase):
            return run
    return None


_TRADES = frozenset(
    "journalist activist author filmmaker actor actress singer rapper comedian economist analyst attorney "
    "lawyer pastor commentator columnist blogger businessman businesswoman billionaire strategist pollster "
    "historian novelist photographer producer entrepreneur physician scientist researcher".split()
)
"""Trades a headline or a caption capitalises before a name ("Journalist Ana Soto")."""


_OFFICES_WRITTEN_BEFORE = frozenset(
    "advocate commissioner comptroller treasurer auditor superintendent administrator ombudsman".split()
)
"""Offices a capitalised run writes before its holder's name ("Public Advocate Tish Varga"), which no name
holds."""


def _past_capitalised_role(name: str) -> str:
    """A name without the capitalised office or trade before it, which only a known first name tells
    apart from the name ("County Recorder Ana Soto", "Filmmaker Tom Park" → the person)."""
    words = name.split()
    if len(words) > 2 and words[0].lower() in _TRADES and all(capitalised(w) for w in words[1:]):
        return " ".join(words[1:])  # "Journalist Ana Soto", whatever her first name
    office = [i for i, w in enumerate(words[:-2]) if w.lower() in _OFFICES_WRITTEN_BEFORE]
    if office and len(words) - office[-1] - 1 in (2, 3):
        return " ".join(words[office[-1] + 1 :])  # "City Public Advocate Tish Varga", whatever her first name
    for i in range(1, len(words) - 1):
        first, before = words[i].lower(), words[i - 1]
        known = first in FIRST_NAMES and before.lower() not in FIRST_NAMES and before[-1:].isalpha()
        if (
            known
            and len(words) - i <= 3
            and all(capitalised(w) for w in words[i:])
            and words[-1].lower() not in _PARTIES | NOT_PEOPLE  # "Trayvon Martin Foundation" keeps its word
        ):
            return " ".join(words[i:])
    return name


def _read_phrase(phrase: str) -> tuple[str, str | None]:
    """:func:`speaker_phrase` before the check that its words can name anyone."""
    counted = _COUNTED_RE.match(phrase.strip())
    if counted:
        return "group", counted.group(1).lower()
    shared = _SHARED_HEAD_RE.fullmatch(phrase.strip(" ,;:"))
    if shared:  # "Varga's and Park's families": both names' families
        return "group", f"{shared.group(1)} and {shared.group(2)} {shared.group(3)}"
    called = _called(phrase.strip())
    if called and speaker_phrase(called)[0] == "name":  # "a news site called “The Local”"
        return speaker_phrase(called)
    first = phrase.split()[:1]
    if first and first[0] in AUXILIARIES | {"may", "can", "will"} and not name_runs(phrase):
        return "none", None  # "is now dead", "may": a verb the tagger took for a source ("is Sen. Jo Lee" is Jo Lee)
    phrase, words = _clean_phrase(_RELATIVE_CLAUSE_RE.sub("", _named_part(phrase)))
    if not words:
        return "none", None
    lowered = phrase.lower()
    acronym = len(phrase) > 1 and phrase.isupper()  # "WHO", "US": an organisation or a country
    if not acronym and (lowered in PRONOUNS or lowered in {"me", "us", "them", "you"}):
        return "pronoun", None
    if (lowered in RELATIVES and not acronym) or _PARTY_RE.fullmatch(phrase):  # "who"; "R-Ky." after a name
        return "relative", None
    if (
        lowered in _OPENERS | _ADVERBS | AUXILIARIES | _SENTENCE_WORDS | {"there", "here", "every", "each"}
        or (len(words) == 1 and _ADVERB_RE.match(lowered) is not None)
        or words[0].lower() in _QUESTION_WORDS
    ):
        return "none", None  # "what’s left of …", "is now dead", "However" name no one
    if _QUANTITY_RE.match(phrase):  # "46 percent of voters" speaks for the voters
        group = _QUANTITY_RE.sub("", phrase, count=1)
        if group.strip(" ,;:."):
            return speaker_phrase(group)
        share = _SHARE_RE.fullmatch(phrase.strip(" ,;:."))  # "46 percent", "Twelve percent": the share speaks
        return ("group", share.group(1)) if share else ("none", None)
    part_of = _PART_OF_RE.match(phrase)  # "A group of doctors" speaks for the doctors
    if part_of:
        return speaker_phrase(phrase[part_of.end() :]) if phrase[part_of.end() :].strip() else ("none", None)
    last = words[-1].strip("\"“”‘’'(),;:.")
    owner = _owner_of_thing(words, last)
    if owner is not None:
        return speaker_phrase(" ".join(words[:owner]))  # "Haddad's recording" -> "Haddad"; "the officials' view"
    served = _served(phrase) or authored(phrase)  # "staff for the House Rules Committee" → "House Rules
    if served:  # Committee staff"; "a report from the Brookings Institution" → "Brookings Institution report"
        return "group", served
    document = _DOCUMENT_RE.fullmatch(phrase)
    if document:  # "A study by Ann Lee and Tom Park of the University of Chicago": the study speaks
        return "description", document.group(1).lower()
    group = re.fullmatch(r"[A-Z][a-z]+[^s]s", words[0])
    if len(words) > 2 and words[1].lower() in ("of", "in", "from", "at", "on", "near") and group:
        return "description", words[0]  # "Residents of Qalat Teral": a group, not the place
    placed = _PLACED_RE.fullmatch(phrase)
    sitting = speaker_phrase(placed.group(1)) if placed else ("none", None)
    if sitting[0] in ("name", "description", "group"):
        return sitting  # "the Harbour Trust's office in Dalca" speaks, not Dalca
    if _ROLE_FROM_RE.fullmatch(phrase):  # "the senator from Vermont" is a senator, not Vermont
        described = _description(words)
        return ("description", described) if described else ("none", None)
    member = _PARTY_MEMBER_RE.fullmatch(phrase.strip(" ,;:."))
    if member:  # "the Arizona Republican": a member of a party, not a name
        return "description", member.group(1)
    office = _OFFICE_OF_RE.fullmatch(phrase.strip(" ,;:."))
    if office and not any(w.lower() in FIRST_NAMES for w in office.group(2).split()):
        return "description", office.group(1)  # "the Secretary of State": the office, not "State"
    if len(words) > 1 and last.lower() in TITLES and capitalised(last):  # a surname that is a title:
        if words[-2].lower() in FIRST_NAMES:  # "Charlie King", "Ann Judge", "Billie Jean King"
            whole = name_runs(phrase)
            return "name", whole[-1] if whole and whole[-1].endswith(f"{words[-2]} {last}") else f"{words[-2]} {last}"
        if words[-2].endswith(".") and words[-2].lower() in TITLES:  # "Sen. King"
            return "name", last
    runs = name_runs(phrase)
    if capitalised(last) and runs and (last.lower() not in TITLES or runs[-1].endswith(last)):
        name = _person_before_affiliation(phrase, runs) or runs[-1]
        if name.split()[0] in _CREDITS and " " in name:  # a photo credit run into a name: "Reuters Clinton"
            name = name.split(" ", 1)[1]
        honoured = re.search(rf"\b(?:Mr|Mrs|Ms|Dr)\.\s+{re.escape(name)}", phrase) is not None
        if " of " in name and (name.split()[0].lower() in FIRST_NAMES or honoured):
            name = name.split(" of ")[0]  # "Bernie Sanders of Vermont", "Mr. Park of Harbour Bank"
        return "name", name
    described = _description(words)
    if described and 1 < len(described.split()) < len(words) and all(capitalised(w) for w in described.split()):
        named = _read_phrase(described)  # "Rep. Jo Lee of domestic abuse", cut from "accused Rep. Jo Lee of …"
        if named[0] == "name":
            return named
    return ("description", described) if described else ("none", None)


_PARTY_MEMBER_RE = re.compile(r"[Tt]he\s+((?:[A-Z][\w.'’\-]*\s+){0,3}(?:[a-z]+\s+)?(?:Republican|Democrat))")
"""A party's member described by place or standing ("the Arizona Republican", "the Texas Democrat")."""

_OFFICE_OF_RE = re.compile(
    r"(?:[Tt]he\s+)?((?:[A-Z][\w.'’\-]*\s+|former\s+|then-){0,3}(?i:Secretary|Speaker|Minister|Chairman|Chairwoman"
    r"|Director|Commissioner|Chancellor|Governor|President|Ambassador)\s+of\s+(?:the\s+)?((?:[A-Z][\w.'’\-]*\s*){1,3}))"
)
"""An office held over a body, with no name after it ("the United States Secretary of State", "the former
secretary of State"): the office speaks."""


_PLACE_WORDS = r"(?:the\s+)?[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*)*"
_PLACED_RE = re.compile(rf"(.*?[a-z].*?)\s+in\s+{_PLACE_WORDS}(?:(?:,\s+|,?\s+and\s+){_PLACE_WORDS})*\s*[,.]?")
"""A speaker and the place it sits in ("the Attorney's Office in Dalca", "voters in Norhaven and Valdora"): the
places name where it speaks from, not who speaks."""


_NAME_WORDS = r"[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*?"
_SHARED_HEAD_RE = re.compile(
    rf"(?:(?i:the)\s+)?({_NAME_WORDS})(?:['’]s)?\s+and\s+({_NAME_WORDS})(?:['’]s)?\s+([a-z]+[^\Ws]s)"
)
"""Two names sharing one plural head ("Varga's and Park's families", "the Varga and Park families")."""


def _called(phrase: str) -> str | None:
    """The name that ends a description giving it ("a man named Jo Lee" → "Jo Lee")."""
    found = list(CALLED_RE.finditer(phrase))
    opens = re.match(r"(?i:an?|the)\s", phrase)
    return found[-1].group(1) if opens and found and found[-1].end() == len(phrase) else None


def counted(phrase: str) -> bool:
    """Whether a source is a share or a count of a group ("46 percent of voters", "The proportion of
    harbor voters", "a majority of"): a poll's or a tally's result, not one speaker's words."""
    bare = re.sub(r"^(?i:the|a|an)\s+", "", phrase.strip())
    part = _PART_OF_RE.match(bare)
    shares = part is not None and part.group().split()[0].lower() in _SHARES
    return shares or _QUANTITY_RE.match(bare) is not None


_SHARES = frozenset("proportion share percentage fraction number".split())


_RELATIVE_CLAUSE_RE = re.compile(r"(?<=\w)\s*,?\s+(?:who|whom|whose|which)\s.*\Z", re.DOTALL)
"""A relative clause after a source's head ("a board member who backs the mayor"): it says what the
speaker is, and a name inside it is someone else."""


DOCUMENTS = "report|survey|poll|study|analysis|research|memo|letter|audit|review|estimate|statement|average"
"""What speaks for its author: a document's head nouns ("the polling average" of a poll aggregator too)."""
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
AUTHORED_BY = (
    r"(?:(?:released|published|issued|conducted|commissioned|written|prepared|compiled)"
    rf"(?:\s+(?:on\s+)?{_WEEKDAY})?\s+(?:by|for)|from|by)"
)
"""How a document names its author ("released by", "released on Friday by", "from")."""
_AUTHORED_RE = re.compile(
    rf"(?:(?i:the|a|an)\s+)?(?:[\w\-]+\s+){{0,2}}?((?i:{DOCUMENTS}))"
    rf"(?:\s+of\s+(?:[\w\-]+\s+){{0,4}}?[a-z][\w\-]*|\s+{_WEEKDAY})?\s+{AUTHORED_BY}\s+(?:the\s+)?"
    r"(?:[a-z][a-z\-]*\s+){0,3}?((?:[A-Z][\w'’.\-/]*\s+)*?[A-Z][\w'’.\-/]*)(?:\s+(?:last|this)\s+\w+)?"
    r"(?:,\s+(?i:the|an?)\s+.*)?",
    re.DOTALL,
)
"""A document by its named author ("a report released by the Brookings Institution last year", "the average
of recent polls compiled by Harbour Polls", "a report Tuesday from WKHB, the station in Dalca")."""


_DOCUMENT_RE = re.compile(
    rf"(?:(?i:the|a|an)\s+)?(?:[a-z][\w\-]*\s+){{0,2}}?({DOCUMENTS})\s+(?:(?:last|this)\s+\w+\s+)?"
    rf"{AUTHORED_BY}\s+.+",
    re.IGNORECASE,
)
"""A document whose authors :func:`authored` cannot name as one ("a study last year by economists at …")."""


def authored(phrase: str) -> str | None:
    """A document as its author's ("a survey conducted by analyst Elena Sadovskaya" → "Elena Sadovskaya
    survey"), the noun-modifier form of the guidelines."""
    match = _AUTHORED_RE.fullmatch(phrase)
    if not match:
        return None
    kind, name = speaker_phrase(match.group(2))
    return f"{name} {match.group(1).lower()}" if kind == "name" and name else None


_UNNAMED_BODY_RE = re.compile(
    r"(?:[a-z][a-z\-]*\s+){0,2}(?:ministry|department|agency|union|council|board|authority|company|commission"
    r"|committee|office|firm|government|campaign|party|embassy|administration|police)"
)
"""An organisation the article names by its kind ("the transport ministry"), written before those who
serve it as a named one is ("transport ministry spokesman", as "Rail Users Council spokesman")."""


def _served(phrase: str) -> str | None:
    """A group or role of an organisation or a named person, organisation first ("Democrats on the Senate
    Rules Committee" → "Senate Rules Committee Democrats"; "advisers to Mr. Obama" → "Obama advisers";
    "a spokesman for the transport ministry" → "transport ministry spokesman")."""
    match = _SERVED_RE.fullmatch(phrase)
    if not match or match.group(1).lower() not in _GROUP_HEADS:
        return None
    owner = match.group(2).strip(" ,;:.")
    if _UNNAMED_BODY_RE.fullmatch(owner):  # "a spokesman for the transport ministry" → "transport ministry spokesman"
        return f"{owner} {match.group(1).lower()}"
    if not all(capitalised(w) or w in ("of", "for", "on", "and", "the") for w in owner.split()):
        return None
    kind, name = speaker_phrase(owner)
    if kind != "name" or not name:
        return None
    head = match.group(1)
    return f"{name} {head if head.lower() in ('democrats', 'republicans') else head.lower()}"


_COUNT_WORDS = frozenset("two three four five six seven eight nine ten both several many".split())
_EXAMPLES_RE = re.compile(r"(?i:including|such as|like|among them|for instance|for example|notably)\b")
"""What opens examples of a group in an aside ("Ohio officials, including Gov. Ana Soto,"): the group speaks."""
_AFFILIATION_RE = re.compile(r"\s(?:of|from|in|at)\s+(?:the\s+)?[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*)*\Z")
"""The end of a part that says where someone is from or serves ("… of Congress from Ohio")."""

_ASIDE_RE = re.compile(r",|\s+-{1,2}\s+|\s*[—–]\s*")
"""What sets an aside apart inside a source: a comma or a dash ("Ana Ruiz -- as the union's lawyers")."""


def _named_part(phrase: str) -> str:
    """The part of a source, between commas or dashes, that names someone ("Peter Lind, who voted
    against" → "Peter Lind"; "a spokeswoman, Anna Berg," → "Anna Berg"), else the first part."""
    placed = _PLACED_RE.fullmatch(phrase.strip(" ,;:"))
    if placed and not _ASIDE_RE.search(placed.group(1)):
        return phrase.strip()  # "voters in Norhaven, Dalca and Valdora": the places' commas part no names
    parts = [p.strip() for p in _ASIDE_RE.split(phrase.strip(" ,;:")) if p.strip()]
    if not parts:
        return phrase.strip()
    parts = [p for p in parts if p.lower() not in _SENTENCE_WORDS] or parts  # "Today, neo-Catholic commentators"
    said = [p for p in parts if not _CIRCUMSTANCE_RE.match(p)]
    parts = said or parts  # "at AIPAC, a group of rabbis": where they were is no speaker
    bare = [re.sub(r"\s*\([^)]*\)", "", p) for p in parts]  # "Sen. Jo Lee (R-Ga.)" ends in a name
    examples = next((i for i, p in enumerate(parts) if i and _EXAMPLES_RE.match(p)), len(parts))
    kept = list(zip(parts, bare, strict=True))[:examples]  # "Ohio officials, including Gov. Ana Soto, Tom Park"
    naming = [
        (p, b)
        for p, b in kept
        if b and name_runs(b) and capitalised(b.split()[-1]) and b.lower() not in _SENTENCE_WORDS
    ]  # not "Today, neo-Catholic commentators"
    naming = [(p, b) for p, b in naming if b.strip(" ,;:.") not in PLACES] or naming  # "Nevada, Senator Jo Lee,"
    held = [(p, b) for p, b in naming if not _OFFICE_OF_RE.fullmatch(b.strip(" ,;:."))]
    naming = held or naming  # "the Minister of Finance, Ana Soto": the office's holder, not the office
    apposed = [p for p, b in naming[1:] if _person_name(b)]
    if apposed and any(w[:1].islower() for w in naming[0][1].split()):
        return apposed[0]  # "the Premier's envoy to the U.N., Nikki Varga": the person, not the names in the role
    people = [p for p, b in naming if not _placed_group(b)]  # not "two members of Congress from Ohio"
    if people and people[0] != naming[0][0] and not any(w.lower() in FIRST_NAMES for w in people[0].split()):
        people = []  # "The leaders of Canada, Mexico and Peru": places listed on, no people
    return (people or [p for p, _ in naming] or [kept[0][0]])[0]


def _person_name(part: str) -> bool:
    """Whether a part is a person's name and nothing else: capitalised words opening with a known
    first name ("Nikki Varga")."""
    words = part.strip(" ,;:.").split()
    return len(words) > 1 and words[0].lower() in FIRST_NAMES and all(capitalised(w) for w in words)


_CIRCUMSTANCE_RE = re.compile(r"(?:at|in|on|during|after|before|outside|inside)\s")
"""A lowercase preposition opening a part of a source: where or when, not who."""


def _placed_group(part: str) -> bool:
    """Whether a part is a description that ends in where its people are from or serve ("two Republican
    members of Congress from Ohio"), not a name that does ("Representative Jo Lee of Ohio"): a common
    noun among its first words."""
    place = _AFFILIATION_RE.search(part)
    head = part[: place.start()].split() if place else []
    return any(w[:1].islower() and w.lower() not in _LEADING | _COUNT_WORDS for w in head[:3])
