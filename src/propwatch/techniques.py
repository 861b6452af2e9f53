"""The one table of propaganda techniques.

Every other module (labels, model heads, legends, reports) reads names, order, definitions
and colours from here, so adding or renaming a technique is a one-line change.
The names are the PTC v2 label strings exactly as they appear in the gold files.

Colours are dark enough to read as text on white (WCAG 2.1 AA, 4.5:1; a mark needs 3:1) and
as far apart as fourteen such colours can be; since no fourteen colours are told apart by
everyone, every view also shows the short name (or its initials) next to a colour.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    """One PTC technique: its label string, a short display name, a definition, a colour, and
    a two-letter tag that goes beside a colour wherever a full name does not fit (a span's end)."""

    name: str
    short: str
    definition: str
    colour: str
    tag: str


TECHNIQUES: tuple[Technique, ...] = (
    Technique(
        "Appeal_to_Authority",
        "Appeal to authority",
        "States that a claim is true because an authority or expert supports it, without other evidence.",
        "#1565c0",
        "AA",
    ),
    Technique(
        "Appeal_to_fear-prejudice",
        "Fear / prejudice",
        "Builds support for an idea by instilling anxiety or panic about an alternative, "
        "or by playing on preconceived judgements.",
        "#c62828",
        "FP",
    ),
    Technique(
        "Bandwagon,Reductio_ad_hitlerum",
        "Bandwagon / Hitler",
        "Urges joining a course because 'everyone' does, or rejects an idea because a despised group supports it.",
        "#8c564b",
        "BH",
    ),
    Technique(
        "Black-and-White_Fallacy",
        "Black-and-white",
        "Presents two options as the only possibilities when more exist; includes dictatorship "
        "(telling the audience exactly what to do).",
        "#4d4d4d",
        "BW",
    ),
    Technique(
        "Causal_Oversimplification",
        "Oversimplification",
        "Assumes a single cause or reason for an issue that has several.",
        "#6b6b00",
        "CO",
    ),
    Technique(
        "Doubt",
        "Doubt",
        "Questions the credibility of someone or something.",
        "#00767f",
        "DO",
    ),
    Technique(
        "Exaggeration,Minimisation",
        "Exaggeration / minimisation",
        "Represents something as much larger or better, or much smaller or less important, than it really is.",
        "#b34700",
        "EM",
    ),
    Technique(
        "Flag-Waving",
        "Flag-waving",
        "Plays on strong national or group feeling to justify or promote an action or idea.",
        "#2e7d32",
        "FW",
    ),
    Technique(
        "Loaded_Language",
        "Loaded language",
        "Uses words or phrases with strong emotional implications to influence the audience.",
        "#c2185b",
        "LL",
    ),
    Technique(
        "Name_Calling,Labeling",
        "Name calling",
        "Labels the object of the campaign as something the audience fears, hates or "
        "finds undesirable, or loves and praises.",
        "#6a3d9a",
        "NC",
    ),
    Technique(
        "Repetition",
        "Repetition",
        "Repeats the same message over and over so that the audience accepts it.",
        "#1a237e",
        "RE",
    ),
    Technique(
        "Slogans",
        "Slogan",
        "A brief, striking phrase that may include labelling and stereotyping.",
        "#7b00e0",
        "SL",
    ),
    Technique(
        "Thought-terminating_Cliches",
        "Thought-terminating cliché",
        "Words or phrases that discourage critical thought and useful discussion of a topic.",
        "#5b7f00",
        "TC",
    ),
    Technique(
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism / straw man / red herring",
        "Discredits a position by charging hypocrisy, refutes a distorted version of it, or "
        "diverts attention with irrelevant material.",
        "#a0189b",
        "WS",
    ),
)

NAMES: tuple[str, ...] = tuple(t.name for t in TECHNIQUES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}
BY_NAME: dict[str, Technique] = {t.name: t for t in TECHNIQUES}


def technique_index(name: str) -> int:
    """Return the position of ``name`` in the table, with a clear error for unknown labels."""
    try:
        return INDEX[name]
    except KeyError:
        raise ValueError(f"unknown technique {name!r}; expected one of: {', '.join(NAMES)}") from None
