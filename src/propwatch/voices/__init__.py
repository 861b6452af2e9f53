"""Voices: who says what in an article, through whom, and whose voice each technique span is.

The model's role tagger (trained on PolNeAR) marks content, source and cue spans; this module
links them into attributions, and rules carry what the data cannot: direct quotes the tagger
missed (curly or straight, spanning paragraphs, unbalanced), quote paragraphs that continue an
earlier speaker, the fullest name for "she" or "the spokesman", and relay chains
("…, the minister said, the Post reported"). A technique span inside attributed content takes
that attribution's speaker; anything else is the author's own voice (``speaker`` None).

Modules: :mod:`~propwatch.voices.text` (paragraphs, sentences, quotes, word lists),
:mod:`~propwatch.voices.cues` (reporting patterns found by rule), :mod:`~propwatch.voices.links`
(the attribution under construction), :mod:`~propwatch.voices.linking` (contents to cues and
sources, relays), :mod:`~propwatch.voices.statements` (statements in the shapes the tagger half
sees: interrupted sentences, impressions, passives, labelled lines),
:mod:`~propwatch.voices.ranker` (the learned source ranker and content filter),
:mod:`~propwatch.voices.phrases` (a source phrase, read alone, to a name, a role or a group),
:mod:`~propwatch.voices.people` (which names are people, and their gender for "he" and "she"),
:mod:`~propwatch.voices.roles` (which person a role with a place is, which poll "a new poll" is),
:mod:`~propwatch.voices.parse` (sentence subjects from spaCy's parser, where installed),
:mod:`~propwatch.voices.naming` (the names an article gives descriptions and acronyms),
:mod:`~propwatch.voices.speakers` (a source to the fullest name its article gives),
:mod:`~propwatch.voices.pronouns` (whom "he", "it" and "who" stand for),
:mod:`~propwatch.voices.descriptions` (what "the spokesman", "the company" or a headline's role stands for) and
:mod:`~propwatch.voices.attribute` (the pass that resolves an article's links in reading order).
"""

from __future__ import annotations

import numpy as np

from propwatch.document import Attribution, TechniqueSpan, overlap
from propwatch.model.decode import DecodeSettings
from propwatch.voices.attribute import attributions_from_links, clauses_to_parse, resolve_links
from propwatch.voices.cues import rule_pairs
from propwatch.voices.linking import link, role_spans
from propwatch.voices.links import Link
from propwatch.voices.parse import Pipeline, Subjects, load_pipeline, prefetch_together
from propwatch.voices.pronouns import AUTHOR
from propwatch.voices.ranker import (
    CONTENT_FEATURES,
    SOURCE_FEATURES,
    ContentFilter,
    SourceRanker,
    content_features,
    role_tokens,
    source_ranker_json,
    source_ranker_weights,
)
from propwatch.voices.speakers import SpeakerResolver
from propwatch.voices.text import (
    DEFAULT_ROLE_DECODING,
    ROLES,
    find_quotes,
    is_direct_quote,
    is_statement,
    paragraphs,
    sentences,
    stance,
)


def extract_attributions(
    text: str,
    offsets: np.ndarray | None = None,
    roles: np.ndarray | None = None,
    decoding: dict[str, DecodeSettings] | None = None,
    ranker_weights: np.ndarray | None = None,
    record: list | None = None,
    content_filter: ContentFilter | None = None,
    parser: Pipeline | None = None,
) -> list[Attribution]:
    """Attributions of one article, from role probabilities when the model has them, else rules.

    ``ranker_weights`` (from calibration) let a :class:`SourceRanker` choose sources; ``record``
    collects the ranker's features of every choice, for calibration; ``content_filter`` drops
    the attributions it finds unlikely; ``parser`` (:func:`~propwatch.voices.parse.load_pipeline`)
    lets pronouns look at the subjects of the sentences before them.
    """
    return extract_from_articles([(text, offsets, roles)], decoding, ranker_weights, record, content_filter, parser)[0]


Article = tuple[str, np.ndarray | None, np.ndarray | None]
"""An article's text, token offsets and role probabilities (None, None: the rules alone)."""


def extract_from_articles(
    articles: list[Article],
    decoding: dict[str, DecodeSettings] | None = None,
    ranker_weights: np.ndarray | None = None,
    record: list | None = None,
    content_filter: ContentFilter | None = None,
    parser: Pipeline | None = None,
) -> list[list[Attribution]]:
    """:func:`extract_attributions` of several articles, each as it would be alone: every article is
    linked first, then the clauses whose subjects the speakers will ask for are parsed as one batch
    across the articles (spaCy parses a batch in a fraction of the time of sentence after sentence),
    then each article's speakers are resolved."""
    linked, subjects, asked = [], [], []
    for text, offsets, roles in articles:
        linked.append(_linked(text, offsets, roles, decoding, ranker_weights, record))
        subjects.append(Subjects(text, parser) if parser is not None else None)
        if subjects[-1] is not None:
            asked.append((subjects[-1], clauses_to_parse(text, linked[-1])))
    prefetch_together(asked)
    return [
        _resolved(article, links, parsed, content_filter)
        for article, links, parsed in zip(articles, linked, subjects, strict=True)
    ]


def _linked(
    text: str,
    offsets: np.ndarray | None,
    roles: np.ndarray | None,
    decoding: dict[str, DecodeSettings] | None,
    ranker_weights: np.ndarray | None,
    record: list | None,
) -> list[Link]:
    """An article's links: of the role tagger's spans where the model has one, else of the rules alone."""
    if roles is None or offsets is None:
        return link(text, {role: [] for role in ROLES})
    spans = role_spans(text, offsets, roles, decoding or DEFAULT_ROLE_DECODING)
    ranker = None
    if ranker_weights is not None or record is not None:
        ranker = SourceRanker(np.asarray(offsets), roles[:, 1, :], ranker_weights, record)
    return link(text, spans, ranker)


def _resolved(
    article: Article, links: list[Link], subjects: Subjects | None, content_filter: ContentFilter | None
) -> list[Attribution]:
    """An article's attributions from its links, speakers resolved, those the content filter finds
    unlikely dropped."""
    text, offsets, roles = article
    found, seen = resolve_links(text, links, subjects)
    if roles is None or offsets is None or content_filter is None or not found:
        return found
    # the filter sees the relays it was fitted on; the reader gets only those that are whole names
    tokens = role_tokens(offsets, roles)
    rows = np.stack([content_features(text, a, tokens) for a in seen])
    return [a for a, p in zip(found, content_filter.probabilities(rows), strict=True) if p >= content_filter.threshold]


def voice_of(span: TechniqueSpan, attributions: list[Attribution]) -> str | None:
    """The speaker of the innermost attribution whose content holds most of the span; None, the outlet's
    own voice, for narration and for the writer's own first person (:data:`AUTHOR`)."""
    best: Attribution | None = None
    for attribution in attributions:
        if overlap((span.start, span.end), attribution.content) * 2 > span.end - span.start and (
            best is None or attribution.content[1] - attribution.content[0] < best.content[1] - best.content[0]
        ):
            best = attribution
    return best.speaker if best and best.speaker != AUTHOR else None


__all__ = [
    "AUTHOR",
    "CONTENT_FEATURES",
    "DEFAULT_ROLE_DECODING",
    "ROLES",
    "SOURCE_FEATURES",
    "ContentFilter",
    "Link",
    "SourceRanker",
    "SpeakerResolver",
    "attributions_from_links",
    "content_features",
    "extract_attributions",
    "extract_from_articles",
    "find_quotes",
    "is_direct_quote",
    "is_statement",
    "link",
    "load_pipeline",
    "paragraphs",
    "role_spans",
    "role_tokens",
    "rule_pairs",
    "sentences",
    "source_ranker_json",
    "source_ranker_weights",
    "stance",
    "voice_of",
]
