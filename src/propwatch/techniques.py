"""The one table of propaganda techniques.

Every other module (labels, model heads, legends, reports) reads names, order, definitions
and colours from here, so adding or renaming a technique is a one-line change.
The names are the PTC v2 label strings exactly as they appear in the gold files.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    """One PTC technique: its label string, a short display name, a definition, a colour."""

    name: str
    short: str
    definition: str
    colour: str


TECHNIQUES: tuple[Technique, ...] = (
    Technique(
        "Appeal_to_Authority",
        "Appeal to authority",
        "States that a claim is true because an authority or expert supports it, without other evidence.",
        "#1f77b4",
    ),
    Technique(
        "Appeal_to_fear-prejudice",
        "Fear / prejudice",
        "Builds support for an idea by instilling anxiety or panic about an alternative, "
        "or by playing on preconceived judgements.",
        "#d62728",
    ),
    Technique(
        "Bandwagon,Reductio_ad_hitlerum",
        "Bandwagon / Hitler",
        "Urges joining a course because 'everyone' does, or rejects an idea because a despised group supports it.",
        "#8c564b",
    ),
    Technique(
        "Black-and-White_Fallacy",
        "Black-and-white",
        "Presents two options as the only possibilities when more exist; includes dictatorship "
        "(telling the audience exactly what to do).",
        "#7f7f7f",
    ),
    Technique(
        "Causal_Oversimplification",
        "Oversimplification",
        "Assumes a single cause or reason for an issue that has several.",
        "#bcbd22",
    ),
    Technique(
        "Doubt",
        "Doubt",
        "Questions the credibility of someone or something.",
        "#17becf",
    ),
    Technique(
        "Exaggeration,Minimisation",
        "Exaggeration / minimisation",
        "Represents something as much larger or better, or much smaller or less important, than it really is.",
        "#ff7f0e",
    ),
    Technique(
        "Flag-Waving",
        "Flag-waving",
        "Plays on strong national or group feeling to justify or promote an action or idea.",
        "#2ca02c",
    ),
    Technique(
        "Loaded_Language",
        "Loaded language",
        "Uses words or phrases with strong emotional implications to influence the audience.",
        "#e377c2",
    ),
    Technique(
        "Name_Calling,Labeling",
        "Name calling",
        "Labels the object of the campaign as something the audience fears, hates or "
        "finds undesirable, or loves and praises.",
        "#9467bd",
    ),
    Technique(
        "Repetition",
        "Repetition",
        "Repeats the same message over and over so that the audience accepts it.",
        "#aec7e8",
    ),
    Technique(
        "Slogans",
        "Slogan",
        "A brief, striking phrase that may include labelling and stereotyping.",
        "#ffbb78",
    ),
    Technique(
        "Thought-terminating_Cliches",
        "Thought-terminating cliché",
        "Words or phrases that discourage critical thought and useful discussion of a topic.",
        "#98df8a",
    ),
    Technique(
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism / straw man / red herring",
        "Discredits a position by charging hypocrisy, refutes a distorted version of it, or "
        "diverts attention with irrelevant material.",
        "#c5b0d5",
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
