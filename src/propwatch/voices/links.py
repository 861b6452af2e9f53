"""The link: an attribution under construction, from the tagger's spans and the rules, before its
speaker is resolved."""

from __future__ import annotations

from dataclasses import dataclass, field

from propwatch.document import Extent


@dataclass
class Link:
    """An attribution under construction, before speaker resolution."""

    content: Extent
    source: Extent | None = None
    cue: Extent | None = None
    continues: bool = False
    joins: Link | None = None
    """The earlier quote of the same statement this one goes on from (its content is extended)."""
    via_pairs: list[tuple[Extent, Extent | None]] = field(default_factory=list)


def taken_extents(links: list[Link]) -> list[Extent]:
    """The contents and cues the links already use, which no further attribution may overlap."""
    return [item.content for item in links] + [item.cue for item in links if item.cue]
