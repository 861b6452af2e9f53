"""People among an article's names: whether a name is a person's, and the gender "he" and "she"
need, from the article's titles and honorifics ("Sen. Lee", "Mrs. Clinton") and from common
English first names.

A pronoun resolved to the last speaker is wrong whenever the last speaker is of the other gender
("…," Jeff Merkley said. … she said → not Merkley); the lists only need to tell the usual names of
news apart, and a name they do not hold is of unknown gender, which blocks nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from propwatch.voices.text import alternation

_FEMALE = frozenset(
    """abigail ada adrienne aileen alice alicia alison allison amanda amber amy ana andrea angela angelina anita
    ann anna
    anne annie ashley barbara becky belinda beth betsy betty beverly bonnie brenda brittany camila candice
    carla carly carmen carol carolina caroline carolyn catherine cathy cecilia charlotte cheryl chelsea cheri chloe
    christina christine cindy claire claudia colleen connie crystal cynthia danielle dawn debbie deborah debra
    denise diana diane dianne donna doris dorothy edith elaine eleanor elena elise elizabeth ellen emily emma erica
    erin esther eva evelyn fatima felicia fiona florence frances gabriela gail gillian gina gisela gloria grace hala
    hannah harriet heather heidi helen hillary holly huma ileana irene iris isabel jackie jacqueline jane
    janet janice jeanne jennifer jessica jill joan joanna joanne jodi josephine joy joyce judith judy julia julie
    karen kate katherine kathleen kathryn kathy katie kay kayleigh kelly kellyanne kimberly kirsten kristen laura
    lauren leah leslie lila lily linda lisa loretta lorraine louise lucy lynn madeleine maggie mandy marcia margaret
    maria marianne marie marilyn marina marion marsha martha mary maxine megan meghan melania melanie melissa mia
    michele michelle mika mildred miriam molly monica nancy naomi natalie nicole nikki nina nora olivia paige pam
    pamela patricia patty paula pauline peggy penny phyllis priscilla rachel rebecca regina renee rita roberta robin
    rosa rosalind rose ruth sally samantha sandra sara sarah sharon sheila shelby shirley sonia sophia stacey
    stephanie sue susan suzanne sylvia tammy tanya teresa theresa tina tracy tulsi valerie vanessa veronica victoria
    virginia wanda wendy yvonne""".split()
)
_MALE = frozenset(
    """aaron abdul adam ahmed alan albert alex alexander alfred ali andrew andy anthony antonio arnold arthur ash
    barack barry ben benjamin bernard bernie bill billy bob bobby brad bradley brandon brian bruce bryan carl carlos
    chad charles charlie chris christopher chuck clarence colin craig dan daniel darrell dave david dean dennis derek
    dick don donald doug douglas duncan dwight earl eddie edward eric ernest eugene evan francis frank fred freddy
    gary gene george gerald gerard glenn gordon greg gregory harold harry hassan henry herman howard hugh ian
    isaac jack jacob jake james jared jason jay jeb jeff jeffrey jeremy jerry jesse jim jimmy joe joel john johnny
    jon jonathan jose joseph josh joshua juan justin keith ken kenneth kevin kyle larry lawrence leon leonard
    lou louis luis luke marco mark martin marty matt matthew max michael mike mitch mitt mohammed
    muhammad nathan neil newt nicholas nick norman omar oscar patrick paul pete peter phil philip rafael ralph
    rand randy ray raymond reince reza richard rick rob robert rod roger ron ronald ross roy rudy russell ryan sam
    samuel scott sean sergei seth sheldon sherrod stephen steve steven stuart ted thomas tim timothy todd tom
    tommy tony travis troy victor vincent vladimir walter warren wayne william willie xi""".split()
)


def _census_names() -> tuple[frozenset[str], frozenset[str]]:
    """Women's and men's first names of the U.S. Census lists (``first_names.tsv``; built by
    ``scripts/first_names.py``); a name both sexes often have is in both, so it tells no gender."""
    women, men = set(), set()
    for line in Path(__file__).with_name("first_names.tsv").read_text(encoding="utf-8").splitlines():
        name, genders = line.split("\t")
        if "f" in genders:
            women.add(name)
        if "m" in genders:
            men.add(name)
    return frozenset(women), frozenset(men)


_CENSUS_FEMALE, _CENSUS_MALE = _census_names()
FEMALE = _FEMALE | (_CENSUS_FEMALE - _MALE)
"""Women's first names: those of news above, and the Census's but for the men's above ("Bernie")."""
MALE = _MALE | (_CENSUS_MALE - _FEMALE)
"""Men's first names: those of news above, and the Census's but for the women's above."""
FIRST_NAMES = FEMALE | MALE
"""Every first name of either list, made once rather than at each question asked of a name."""
_HONORIFIC_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+((?:[A-Z][\w'’\-]+\s+)*?)([A-Z][\w'’\-]+)")
_HONORIFIC_GENDER = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female"}


def article_genders(text: str) -> dict[str, str]:
    """Surnames the article gives an honorific, and the gender it says; a surname given both
    ("Mr. Clinton" and "Mrs. Clinton") is left out: two people share it."""
    seen: dict[str, set[str]] = {}
    for match in _HONORIFIC_RE.finditer(text):
        seen.setdefault(match.group(3), set()).add(_HONORIFIC_GENDER[match.group(1).lower()])
    return {surname: genders.pop() for surname, genders in seen.items() if len(genders) == 1}


def honoured_surnames(text: str) -> frozenset[str]:
    """Surnames the article gives an honorific ("Mr. Lee", "Mrs. Ana Lee"), whatever the gender."""
    return frozenset(match.group(3) for match in _HONORIFIC_RE.finditer(text))


def name_gender(name: str, honorifics: dict[str, str]) -> str | None:
    """'female', 'male' or None (unknown) for a person's name as the article gives it."""
    words = name.split()
    if not words:
        return None
    first = words[0].lower()
    if len(words) > 1 and first in FEMALE and first not in MALE:
        return "female"
    if len(words) > 1 and first in MALE and first not in FEMALE:
        return "male"
    return honorifics.get(words[-1])


def agrees(pronoun: str, name: str | None, honorifics: dict[str, str]) -> bool:
    """Whether "he"/"she" (or "his"/"her") may stand for ``name``: not when its gender is known and
    the other one."""
    wanted = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}.get(pronoun.lower())
    if wanted is None or name is None:
        return True
    gender = name_gender(name, honorifics)
    return gender is None or gender == wanted


_FEMALE_ROLES = frozenset(
    "spokeswoman chairwoman businesswoman congresswoman councilwoman woman mother wife daughter sister widow "
    "actress girl grandmother lady".split()
)
_MALE_ROLES = frozenset(
    "spokesman chairman businessman congressman councilman man father husband son brother widower actor boy "
    "grandfather".split()
)


def agrees_described(pronoun: str, description: str) -> bool:
    """Whether "he"/"she" may stand for an unnamed person ("agency spokeswoman"): not when the role
    word says the other gender."""
    head = description.split()[-1].lower()
    gender = "female" if head in _FEMALE_ROLES else "male" if head in _MALE_ROLES else None
    wanted = {"he": "male", "she": "female"}.get(pronoun.lower())
    return gender is None or wanted is None or gender == wanted


NOT_PEOPLE = frozenset(
    "party department news times post committee center institute university association council campaign group "
    "foundation journal court agency service office bank company inc corp network union commission house senate "
    "congress administration coalition republicans democrats government ministry police army press program "
    "programme school college centre fund project initiative society institution organization organisation "
    "magazine tribune herald daily review report poll survey study agreement act law bill fc club watch "
    "llc ltd plc".split()
)


NAME_PARTICLES = frozenset({"de", "van", "von", "al", "el", "abu", "bin", "ibn", "da", "di", "del", "la", "le"})


def capitalised(word: str) -> bool:
    """A name's word: capitalised, or a particle and a capitalised name joined by a hyphen ("al-Haddad")."""
    head, _, rest = word.partition("-")
    return word[:1].isupper() or (head.lower() in NAME_PARTICLES and rest[:1].isupper())


def last_name(name: str) -> str:
    """A name's last word without a particle before a hyphen ("al-Haddad" → "Haddad") or a generation
    after it ("Luther Pate IV" → "Pate"): what the article's names of one person share."""
    words = name.split()
    if len(words) > 1 and words[-1].rstrip(".") in ("Jr", "Sr", "II", "III", "IV"):
        words = words[:-1]
    last = words[-1]
    head, _, rest = last.partition("-")
    return rest if head.lower() in NAME_PARTICLES and rest else last


def name_like(name: str) -> bool:
    """Whether a speaker may be one person's name: two to four capitalised words that end in no word
    of an organisation ("Jo Lee", not "Labour Party")."""
    words = name.split()
    return 1 < len(words) <= 4 and all(capitalised(w) for w in words) and words[-1].lower() not in NOT_PEOPLE


def is_person(name: str, people: frozenset[str]) -> bool:
    """Whether a speaker is a person by the article's evidence: a name with a known first name, or
    one whose surname the article gives a title, an honorific, an age or a role ("Sen. Lee", "Lee,
    60,", "spokesman Jo Lee");
    "North Korea" and "United States" are no one's name."""
    words = name.split()
    if len(words) == 1:
        return last_name(name) in people
    return name_like(name) and (words[0].lower() in FIRST_NAMES or last_name(name) in people)


_TITLED_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Rev|Del|Prof|Judge|President|Senator|Governor"
    r"|Representative|Secretary|Chancellor|Minister|Mayor)\.?[ \t]+(?:[A-Z][\w'’.\-]*[ \t]+){0,2}?([A-Z][\w'’\-]+)\b"
    r"(?![ \t]+[A-Z])"
    r"|\b([A-Z][\w'’\-]+),\s+\d{1,3},"
)


_ROLES = alternation(
    "spokesman spokeswoman spokesperson leader chairman chairwoman director minister commander adviser "
    "aide professor lawyer attorney founder chief head president ambassador mayor governor senator "
    "editor consultant pollster strategist analyst economist reporter correspondent columnist historian "
    "researcher scientist executive organizer activist author writer anchor pastor teacher student owner "
    "operative nominee candidate congressman congresswoman lawmaker judge justice sheriff detective doctor "
    "physician surgeon nurse".split()
)
_ROLE_NAMED_RE = re.compile(
    rf"\b(?:{_ROLES})\s+(?:[A-Z][\w'’.\-]*\s+){{0,2}}?([A-Z][\w'’\-]+)\b(?!\s+[A-Z])"
    rf"|\b([A-Z][\w'’\-]+),\s+(?:the|a|an|its|his|her|their|[A-Z][\w.&\-]*['’]s)\s+(?:[\w\-]+\s+){{0,4}}(?:{_ROLES})\b"
)
"""A name after a role word or with a role in apposition ("spokesman Rami Nasser", "Abu Samir al-Haddad,
the leader of …"): a person, however unfamiliar the first name."""


_SAID_HE_RE = re.compile(
    r"\b([A-Z][\w'’\-]+)\s+(?:has\s+|had\s+|also\s+)?(?:said|says|told\s+[a-z]+|added|insisted|wrote)\s+"
    r"(?:that\s+)?(?:he|she)\b"
)
"""A name that said "he" or "she" of its own plan ("Dutch MP Pim Varga has said he will join"): a person."""


_OWN_HIS_RE = re.compile(
    r"(?:^|[.!?;][\"”’']*\s+|\n)([A-Z][\w'’\-]+)\s+(?:[a-z]+ly\s+)?[a-z]+ed\s+(?:[a-z]+\s+){0,2}(?:his|her)\b"
)
"""A name that opens a sentence and does something to its own ("Nega defended his decision", "Soto put
her house up for sale"): a person; a body's is "its"."""


_ROLE_APPOSED_RE = re.compile(rf"\b(?:{_ROLES}),\s+(?:[A-Z][\w'’.\-]*\s+){{1,2}}?([A-Z][\w'’\-]+),")
"""A name in apposition after its role ("Kazakhstan's foreign minister, Erlan Idrissov,"): a person."""


WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

CALENDAR = WEEKDAYS | frozenset(
    "january february march april may june july august september october november december".split()
)
"""Days and months, which name no one ("On Sunday, the president said": no person called Sunday)."""

_DATES = CALENDAR - {"april", "may", "june", "august"}
"""Days and months that are no one's surname as well ("Theresa May, 60," is a person)."""


PARTY_WORDS = frozenset("democratic democrat republican gop independent conservative liberal labour labor".split())
"""Words a role may precede that name no one ("Clinton's chief Democratic rival")."""


_NO_PERSON = PARTY_WORDS | _DATES
"""Capitalised words the person patterns catch that name no one: parties, days and months."""


def people_of(text: str) -> frozenset[str]:
    """Surnames the article gives a title, an honorific, an age or a role, that say "he" or "she" of
    themselves, or that open a sentence doing something to "his" or "her" own: people, whatever
    their first names."""
    patterns = (_TITLED_RE, _ROLE_NAMED_RE, _ROLE_APPOSED_RE, _SAID_HE_RE, _OWN_HIS_RE)
    found = (m.group(1) or m.group(2) for pattern in patterns for m in pattern.finditer(text))
    return frozenset(last_name(name) for name in found if name.lower() not in _NO_PERSON)
