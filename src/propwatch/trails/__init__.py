"""Quote trails: one statement followed across the store, outlet by outlet, relay by relay.

A *trail* groups the attributed contents of the store (``attributions`` rows) that carry the same
statement: the same words, give or take quote marks, ellipses, capitals, punctuation and
truncation (a shorter excerpt contained in a longer quote joins its trail). Each appearance keeps
its outlet, date, speaker and relay chain (``via``), and an *echo* marks an article that repeats
a trail's loaded words (the technique spans inside its quotes) in its own narration, unattributed:
there the quoted propaganda has become the outlet's own.

The method (why it scales): a content is cut into words (letters and digits, lower-cased,
apostrophes dropped), so punctuation and quote marks never matter. Identical word sequences
collapse into one *text* first (most relays copy a quote exactly). Each text's word 3-grams are
hashed to 64 bits, and DuckDB joins texts that share a 3-gram: only pairs that share words are
ever compared, never all pairs, and a 3-gram found in more than :data:`MAX_TEXTS_PER_SHINGLE`
texts (a stock phrase) is left out of the join. For each pair the shared 3-grams give the
containment of the shorter text in the longer, which, unlike the Jaccard similarity a MinHash
sketch estimates, stays 1.0 for a short excerpt of a long quote. Pairs whose containment reaches
:data:`CONTAINMENT` join, strongest first, under two vetoes that keep two statements of one
speaker apart: every pair of texts in a trail must share at least one 3-gram (a quote that joins
two statements into one cannot bridge them), and the named speakers of the two sides must agree
by surname.

Incremental: documents stored after the last build (``meta`` key ``trails_through``, the newest
``ingested_at`` already read) are the only ones read again; their contents join existing trails
or start new ones, and existing trails are never merged, split or renumbered.

Tables (in :data:`propwatch.store.SCHEMA`; ``propwatch export`` writes the first two as Parquet):

``trails``: one row per trail. ``id``, ``statement`` (its most carried wording), ``speaker``
    (members' names reconciled: the fullest name of the most frequent surname), ``appearances``,
    ``outlets`` (outlets in order of first appearance), ``first_document``, ``first_published``,
    ``echoes``, ``techniques`` (a map: technique → spans inside its quotes).
``trail_members``: one row per appearance. ``trail_id``, ``document_id``, ``start``/``end``
    (character offsets into ``documents.text``: the content for a quote, the words for an
    echo), ``kind`` (``'quote'`` or ``'echo'``), ``speaker`` (``NULL`` for an echo: the outlet's
    own voice), ``via`` (relays, outermost last), ``text_key`` (hash of the content's words and speaker's surname).
``trail_shingles``: the join's index: ``text_key`` and ``shingle`` (a 3-gram's hash), one row per
    distinct text, so a later build joins new texts without cutting the old ones again.

The package reads as the pipeline: :mod:`~propwatch.trails.texts` (words and 3-grams) and
:mod:`~propwatch.trails.names` (speakers' surnames), :mod:`~propwatch.trails.members` (which
contents are statements), :mod:`~propwatch.trails.grouping` (texts joined into trails),
:mod:`~propwatch.trails.echoes`, :mod:`~propwatch.trails.build` (the tables written) and
:mod:`~propwatch.trails.query` (the most relayed statements read back).
"""

from propwatch.trails.build import DUCKDB_MEMORY, SCRATCH, TrailsReport, build, build_db, summarise
from propwatch.trails.echoes import (
    ECHO_MAX_DOCUMENTS,
    ECHO_WORDS,
    MIN_SPAN_SCORE,
    find_echoes,
    loaded_phrases,
    new_echoes,
)
from propwatch.trails.grouping import CONTAINMENT, MAX_TEXTS_PER_SHINGLE, MIN_SHARED, WHOLE_BELOW, group
from propwatch.trails.members import (
    BOILERPLATE_DOCUMENTS,
    CUT_CHUNK,
    MAX_WORDS,
    MIN_WORDS,
    MIN_WORDS_QUOTED,
    Content,
    Cut,
    Member,
    is_direct_quote,
    outermost,
    read_members,
)
from propwatch.trails.names import name_run, reconcile, surname
from propwatch.trails.query import TOP, format_trails, has_trails, most_relayed, most_relayed_in
from propwatch.trails.texts import SHINGLE, shingle_table, word_spans, words

__all__ = [
    "BOILERPLATE_DOCUMENTS",
    "CONTAINMENT",
    "CUT_CHUNK",
    "DUCKDB_MEMORY",
    "ECHO_MAX_DOCUMENTS",
    "ECHO_WORDS",
    "MAX_TEXTS_PER_SHINGLE",
    "MAX_WORDS",
    "MIN_SHARED",
    "MIN_SPAN_SCORE",
    "MIN_WORDS",
    "MIN_WORDS_QUOTED",
    "SCRATCH",
    "SHINGLE",
    "TOP",
    "WHOLE_BELOW",
    "Content",
    "Cut",
    "Member",
    "TrailsReport",
    "build",
    "build_db",
    "find_echoes",
    "format_trails",
    "group",
    "has_trails",
    "is_direct_quote",
    "loaded_phrases",
    "most_relayed",
    "most_relayed_in",
    "name_run",
    "new_echoes",
    "outermost",
    "read_members",
    "reconcile",
    "shingle_table",
    "summarise",
    "surname",
    "word_spans",
    "words",
]
