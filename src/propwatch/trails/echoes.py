"""Echoes: a trail's loaded words repeated in an article's own narration, unattributed.

A trail's loaded phrases are the technique spans inside its quotes; an echo is one of them found
outside every voiced extent (contents, sources and cues) of an article, where the quoted
propaganda has become the outlet's own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from propwatch.store import Store
from propwatch.trails.texts import word_spans, words

ECHO_WORDS = 3
"""Fewest words (function words at its ends trimmed) a loaded phrase needs to be echoed: two words
are mostly every article's own language ("American people", "razor-thin"); three are a phrase an
outlet took from someone ("traitors who serve")."""
MIN_SPAN_SCORE = 0.4
"""Lowest span score of a loaded phrase, and of the spans a trail counts as its techniques. The score
is the calibrated chance that a span is right end to end, and the shipped model shows spans from
0.393 by default: a trail's loaded words and techniques are those a reader is shown. Below it
most spans are plain words ("African-American", "will win", "millions of dollars"), and their
echoes would be every article's own language."""
ECHO_MAX_DOCUMENTS = 50
"""A loaded phrase in the narration of more articles than this is common language, not an echo."""
_STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or but as is are was were be been that this these those it its "
    "their his her our your my we they he she i you not no so than then there here about into over under up out "
    "all any some such very just also lot lots them us him me".split()
)
"""Function words trimmed from a loaded phrase's ends ("in the country" → "country")."""


def new_echoes(
    store: Store, documents: list[tuple[str, str]], before: dict[tuple[str, ...], set[int]]
) -> list[tuple[int, str, int, int]]:
    """The echoes a build's members make possible, once they are written to ``trail_members``.

    The new ``documents`` are scanned for every loaded phrase; the documents stored before are
    scanned again only for the phrases that are loaded now and were not ``before`` (a new quote
    can load words an older article already used in its own voice).
    """
    phrases = loaded_phrases(store)
    fresh = {p: t - before.get(p, set()) for p, t in phrases.items()}
    fresh = {p: t for p, t in fresh.items() if t}
    echoes = find_echoes(documents, _voiced(store, [d for d, _ in documents]), phrases)
    if fresh:
        echoes += find_echoes(_old_documents(store, {d for d, _ in documents}), _voiced_all(store), fresh)
    return echoes


def loaded_phrases(store: Store) -> dict[tuple[str, ...], set[int]]:
    """The loaded words of trails: the technique spans inside their quotes, cut into words.

    Only spans scored :data:`MIN_SPAN_SCORE` or more (or unscored) and phrases of at least
    :data:`ECHO_WORDS` words without a number count (a shorter one is too common to say that an
    outlet took it from a quote), and only those that stand in at least half of a trail's
    quotes: a span in the one long content that also carries someone else's words is not the
    trail's.
    """
    rows = store.con.execute(
        """SELECT m.trail_id, d.text[greatest(s.start, m.start) + 1 : least(s."end", m."end")]
        FROM trail_members m JOIN spans s ON s.document_id = m.document_id
            AND s.start < m."end" AND s."end" > m.start
        JOIN documents d ON d.id = m.document_id WHERE m.kind = 'quote' AND coalesce(s.score, 1.0) >= ?""",
        [MIN_SPAN_SCORE],
    ).fetchall()
    found: dict[int, set[tuple[str, ...]]] = defaultdict(set)
    for trail, text in rows:
        tokens = _trim(words(text or ""))
        if len(tokens) >= ECHO_WORDS and not any(t.isdigit() for t in tokens):  # "40-year-old" is a fact
            found[trail].add(tuple(tokens))
    quotes = _quotes_of(store, list(found))
    phrases: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for trail, candidates in found.items():
        texts = quotes.get(trail, [])
        for phrase in candidates:
            needle = " " + " ".join(phrase) + " "
            if len(texts) < 2 or 2 * sum(needle in t for t in texts) >= len(texts):
                phrases[phrase].add(trail)
    return phrases


def _quotes_of(store: Store, trail_ids: list[int]) -> dict[int, list[str]]:
    """The quotes of trails with two or more, each as its words joined by spaces (and padded)."""
    store.con.execute("CREATE OR REPLACE TEMP TABLE trail_loaded AS SELECT unnest(?::BIGINT[]) AS id", [trail_ids])
    rows = store.con.execute(
        """SELECT m.trail_id, d.text[m.start + 1 : m."end"] FROM trail_members m
        JOIN documents d ON d.id = m.document_id
        WHERE m.kind = 'quote' AND m.trail_id IN (SELECT trail_id FROM trail_members WHERE kind = 'quote'
            AND trail_id IN (SELECT id FROM trail_loaded) GROUP BY 1 HAVING count(*) >= 2)"""
    ).fetchall()
    quotes: dict[int, list[str]] = defaultdict(list)
    for trail, text in rows:
        quotes[trail].append(" " + " ".join(words(text)) + " ")
    return quotes


def _trim(tokens: list[str]) -> list[str]:
    """A phrase without the function words at its ends: "in the country" is only "country"."""
    start, end = 0, len(tokens)
    while start < end and tokens[start] in _STOPWORDS:
        start += 1
    while end > start and tokens[end - 1] in _STOPWORDS:
        end -= 1
    return tokens[start:end]


def _voiced(store: Store, ids: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Extents of each document that are someone else's voice: contents, sources and cues."""
    store.con.execute("CREATE OR REPLACE TEMP TABLE trail_scan_ids AS SELECT unnest(?::TEXT[]) AS id", [ids])
    extents: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, *ends in store.con.execute(
        "SELECT document_id, content_start, content_end, source_start, source_end, cue_start, cue_end "
        "FROM attributions WHERE document_id IN (SELECT id FROM trail_scan_ids)"
    ).fetchall():
        for start, end in zip(ends[::2], ends[1::2], strict=True):
            if start is not None:
                extents[doc_id].append((start, end))
    return extents


def find_echoes(
    documents: Iterable[tuple[str, str]],
    voiced: dict[str, list[tuple[int, int]]],
    phrases: dict[tuple[str, ...], set[int]],
) -> list[tuple[int, str, int, int]]:
    """(trail, document, start, end) wherever a loaded phrase stands in a document's own narration.

    One pass over each document's words, looking phrases up by their first two words, so the
    cost grows with the words scanned, not with words × phrases. A phrase found in more than
    :data:`ECHO_MAX_DOCUMENTS` of the scanned documents is dropped as common language.
    """
    lengths: dict[tuple[str, str], set[int]] = defaultdict(set)
    for phrase in phrases:
        lengths[phrase[:2]].add(len(phrase))
    found: dict[tuple[str, ...], list[tuple[str, int, int]]] = defaultdict(list)
    for doc_id, text in documents:
        spans = word_spans(text)
        outside = _outside(spans, voiced.get(doc_id, []))
        for first, last in _runs(outside):
            tokens = [w for w, _, _ in spans[first:last]]
            for i in range(len(tokens) - 1):
                for n in lengths.get((tokens[i], tokens[i + 1]), ()):
                    phrase = tuple(tokens[i : i + n])
                    if len(phrase) == n and phrase in phrases:
                        found[phrase].append((doc_id, spans[first + i][1], spans[first + i + n - 1][2]))
    hits: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for phrase, places in found.items():
        if len({doc for doc, _, _ in places}) <= ECHO_MAX_DOCUMENTS:
            for trail in phrases[phrase]:
                for doc, start, end in places:
                    hits[trail, doc].append((start, end))
    return [(trail, doc, start, end) for (trail, doc), spans in hits.items() for start, end in _merged(spans)]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping extents joined: two loaded phrases that overlap are one echo."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(first, last + 1) of each run of True in ``flags``: the stretches of narration."""
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _outside(spans: list[tuple[str, int, int]], extents: list[tuple[int, int]]) -> list[bool]:
    """For each word, whether it lies outside every voiced extent (in the outlet's narration)."""
    outside = [True] * len(spans)
    ends = [e for _, _, e in spans]
    for start, end in extents:
        i = bisect_left(ends, start + 1)
        while i < len(spans) and spans[i][1] < end:
            outside[i] = False
            i += 1
    return outside


def _old_documents(store: Store, new: set[str]) -> list[tuple[str, str]]:
    """The analysed documents stored before this build: those a fresh loaded phrase may echo in."""
    rows = store.con.execute("SELECT id, text FROM documents WHERE status = 'ok' ORDER BY id").fetchall()
    return [r for r in rows if r[0] not in new]


def _voiced_all(store: Store) -> dict[str, list[tuple[int, int]]]:
    """:func:`_voiced` of every analysed document."""
    return _voiced(store, [r[0] for r in store.con.execute("SELECT id FROM documents WHERE status = 'ok'").fetchall()])
