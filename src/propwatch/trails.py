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
"""

from __future__ import annotations

import hashlib
import re
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from propwatch.document import said_excerpt
from propwatch.store import Store, StoreError
from propwatch.voices.text import reports

SHINGLE = 3
"""Words per shingle: short enough for a five-word excerpt, long enough to be rare."""
MIN_WORDS = 9
"""Shortest paraphrase (a content not in quotation marks) that can be told apart from the phrases
every article writes in its own words ("her record as secretary of state")."""
MIN_WORDS_QUOTED = 6
"""Shortest direct quote: six words in quotation marks are someone's own."""
CONTAINMENT = 0.8
"""Share of the shorter text's 3-grams found in the longer one for the two to carry one statement."""
WHOLE_BELOW = 10
"""A text of fewer 3-grams (under twelve words) joins only when the longer holds all of them: its one
3-gram missing is a different first or last word, the whole difference between "Lund should chair
the board of the harbor trust" and "Moor should chair the board of the harbor trust"."""
MIN_SHARED = 4
"""3-grams two texts must share to join (six words in a row): fewer make a phrase, not a statement."""
MAX_TEXTS_PER_SHINGLE = 100
"""A 3-gram in more distinct texts than this is a stock phrase ("one of the"): it is left out of the
join and of the texts' lengths. This bounds the join: no 3-gram yields more than 5,000 pairs."""
DUCKDB_MEMORY = "512MB"
"""DuckDB's memory during a build: the 3-gram join spills to disk beyond it (a million statements
build in 2.8 GB, Python's share included)."""
CUT_CHUNK = 200_000
"""Contents cut into words at a time: the words of only so many are held before the duplicates go."""
ECHO_WORDS = 2
"""Fewest words (function words at its ends trimmed) a loaded phrase needs to be echoed."""
ECHO_MAX_DOCUMENTS = 50
"""A loaded phrase in the narration of more articles than this is common language, not an echo."""

SCRATCH = """
CREATE OR REPLACE TEMP TABLE trail_echo_candidates (trail_id BIGINT, document_id TEXT, start INTEGER, "end" INTEGER);
CREATE OR REPLACE TEMP TABLE trail_speakers (id BIGINT, speaker TEXT);
"""

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’")
_P1, _P2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_MASK = (1 << 63) - 1
_TITLES = {"Mr", "Mrs", "Ms", "Dr", "Gov", "Sen", "Rep", "Gen", "Lt", "Col", "St", "Jr"}
_QUALIFIERS = {",", "with", "of", "from", "who", "in", "at", "for", "on", "close", "familiar", "to", "that", "which"}
_PRONOUNS = {"he", "she", "they", "it", "who", "i", "we", "you", "which", "that", "one", "this", "someone"}
_NOT_NAMES = {
    "I", "We", "He", "She", "They", "It", "You", "The", "A", "An", "This", "That", "Who", "But", "And", "So", "If",
    "When", "As", "On", "In", "At", "After", "Before", "While", "Then", "Now", "Asked", "Still", "Yet", "Also",
}  # fmt: skip
_STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or but as is are was were be been that this these those it its "
    "their his her our your my we they he she i you not no so than then there here about into over under up out "
    "all any some such very just also lot lots them us him me".split()
)
"""Function words trimmed from a loaded phrase's ends ("in the country" → "country")."""


def words(text: str) -> list[str]:
    """The words a statement is compared by: letters and digits, lower-cased, apostrophes dropped."""
    low = text.lower()
    if len(low) != len(text):  # see word_spans
        return [w.translate(_APOSTROPHES).lower() for w in _WORD.findall(text)]
    found = _WORD.findall(low)
    return [w.translate(_APOSTROPHES) for w in found] if "'" in text or "’" in text else found


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of ``text`` (as :func:`words` gives it) with its character offsets.

    Lower-casing the whole text once is faster than word by word; where it changes the text's
    length (a letter such as 'İ' lower-cases to two), each word is lower-cased alone instead.
    """
    low = text.lower()
    if len(low) != len(text):
        return [(m.group().translate(_APOSTROPHES).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    if "'" in text or "’" in text:
        return [(m.group().translate(_APOSTROPHES), m.start(), m.end()) for m in _WORD.finditer(low)]
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(low)]


def _hash64(value: str) -> int:
    """A stable signed 63-bit hash (Python's ``hash`` changes from run to run; stored keys must not)."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "little") & _MASK


class _Vocabulary:
    """Stable 64-bit hashes of words, computed once per distinct word."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def encode(self, tokens: list[str]) -> list[int]:
        codes = self.codes
        out = []
        for token in tokens:
            code = codes.get(token)
            if code is None:
                code = codes[token] = _hash64(token)
            out.append(code)
        return out


def shingle_table(texts: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, 3-gram hash) for every 3-gram of every text, distinct per text, in numpy.

    A 3-gram's hash mixes its three word hashes with multiply-add (wrapping uint64), so the cost
    is a few vector operations over all words at once, not a hash call per 3-gram.
    """
    vocabulary = _Vocabulary()
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    flat = np.fromiter((c for t in texts for c in vocabulary.encode(t)), dtype=np.uint64, count=int(lengths.sum()))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    starts = np.arange(max(len(flat) - SHINGLE + 1, 0))
    same = owner[starts] == owner[starts + SHINGLE - 1] if len(starts) else np.zeros(0, dtype=bool)
    starts = starts[same]
    with np.errstate(over="ignore"):
        mixed = flat[starts] * _P1 + flat[starts + 1] * _P2 + flat[starts + 2]
    shingles = (mixed >> np.uint64(1)).astype(np.int64)
    pairs = np.unique(np.stack([owner[starts], shingles], axis=1), axis=0) if len(starts) else np.zeros((0, 2))
    return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)


# ---- reading the store ------------------------------------------------------------------------


@dataclass
class Member:
    """One attributed content (or echo) of the store, as trails need it."""

    document_id: str
    start: int
    end: int
    speaker: str | None
    via: list[str]
    text_key: int = 0
    words: list[str] = field(default_factory=list)


def _watermark(store: Store) -> Any:
    row = store.con.execute("SELECT value FROM meta WHERE key = 'trails_through'").fetchall()
    return row[0][0] if row else None


def _new_documents(store: Store, through: Any) -> tuple[list[tuple[str, str]], Any]:
    """Analysed documents stored after ``through`` (id, text), and the newest ``ingested_at`` among them."""
    where = "status = 'ok'" + (" AND ingested_at > ?::TIMESTAMP" if through else "")
    params = [through] if through else []
    rows = store.con.execute(f"SELECT id, text FROM documents WHERE {where} ORDER BY id", params).fetchall()
    newest = store.con.execute(f"SELECT max(ingested_at)::TEXT FROM documents WHERE {where}", params).fetchall()[0][0]
    return rows, newest


Content = tuple[int, int, str | None, list[str], tuple[int, int] | None]
"""An attributed content as trails read it: start, end, speaker, via, cue (start, end) or None."""


def _attributions(store: Store, ids: list[str]) -> dict[str, list[Content]]:
    """Attributed contents of the documents ``ids``: (start, end, speaker, via, cue) per document."""
    found: dict[str, list[Content]] = defaultdict(list)
    store.con.execute("CREATE OR REPLACE TEMP TABLE trail_new_ids AS SELECT unnest(?::TEXT[]) AS id", [ids])
    rows = store.con.execute(
        "SELECT document_id, content_start, content_end, speaker, via, cue_start, cue_end FROM attributions "
        "WHERE document_id IN (SELECT id FROM trail_new_ids) ORDER BY document_id, content_start, content_end"
    ).fetchall()
    for doc_id, start, end, speaker, via, cue_start, cue_end in rows:
        cue = (cue_start, cue_end) if cue_start is not None else None
        found[doc_id].append((start, end, speaker, list(via or []), cue))
    return found


def read_members(
    documents: list[tuple[str, str]],
    contents: dict[str, list[Content]],
    cut: Callable[[list[str]], list[list[str]]] = lambda texts: [words(t) for t in texts],
) -> list[Member]:
    """The attributed contents that are statements, cut into words by ``cut``.

    A statement has a speaker, and is a direct quote of :data:`MIN_WORDS_QUOTED` words or more, or
    a paraphrase of :data:`MIN_WORDS` or more whose cue reports words ("said", "according to"): a
    short paraphrase is mostly a noun phrase that many articles write in their own words ("her
    record as secretary of state"), and a stance ("defended his position of …") is no statement
    to follow. Words that :data:`BOILERPLATE_DOCUMENTS` articles or more carry exactly, with no
    named speaker, are an outlet's boilerplate (an editor's note), not a statement.

    ``cut`` is where the Ray engine plugs in (:func:`propwatch.scale.words_ray`): cutting is the
    only step whose cost grows with the text, the rest grows with the number of contents.
    """
    members, texts, quoted = [], [], []
    for doc_id, text in documents:
        for start, end, speaker, via, cue in outermost(contents.get(doc_id, [])):
            direct = is_direct_quote(text, start, end)
            if speaker is None or not (direct or (cue is not None and reports(text[cue[0] : cue[1]]))):
                continue
            members.append(Member(doc_id, start, end, speaker, via))
            texts.append(text[start:end])
            quoted.append(direct)
    kept, seen = [], set()
    cuts = (tokens for at in range(0, len(texts), CUT_CHUNK) for tokens in cut(texts[at : at + CUT_CHUNK]))
    for member, tokens, direct in zip(members, cuts, quoted, strict=True):
        if len(tokens) >= (MIN_WORDS_QUOTED if direct else MIN_WORDS):
            member.text_key = _hash64(" ".join(tokens) + "|" + (surname(member.speaker) or ""))
            if member.text_key not in seen:  # only a text's first member keeps its words (memory)
                seen.add(member.text_key)
                member.words = tokens
            kept.append(member)
    carried: dict[int, set[str]] = defaultdict(set)
    for member in kept:
        carried[member.text_key].add(member.document_id)
    return [m for m in kept if not _boilerplate(m, carried)]


BOILERPLATE_DOCUMENTS = 3
"""Articles that carry the same words, with no named speaker, for the words to be boilerplate."""


def _boilerplate(member: Member, carried: dict[int, set[str]]) -> bool:
    """Whether a member's exact words recur in many articles of one build without a named speaker (an
    editor's note tagged as someone's words: "… a serial liar, rampant xenophobe, racist, birther")."""
    named = bool(member.speaker) and member.speaker[:1].isupper()
    return not named and len(carried[member.text_key]) >= BOILERPLATE_DOCUMENTS


def outermost(contents: list[Content]) -> list[Content]:
    """One article's contents without those that overlap a longer one, in reading order.

    Two overlapping contents of one article are not one statement carried twice: a quote's
    content may run on past its cue into narration ("…," she said, adding that …) that is tagged
    again as a content of its own. Their shared words would make a trail of one article; the
    longer content holds the words of both.
    """
    kept: list[Content] = []
    for item in sorted(contents, key=lambda c: (c[0] - c[1], c[0])):
        if all(item[1] <= other[0] or other[1] <= item[0] for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda c: (c[0], c[1]))


_OPENING = "\"'“‘«"
_CLOSING = "\"'”’»"


def is_direct_quote(text: str, start: int, end: int) -> bool:
    """Whether a content is in quotation marks: one opens at (or just before) its start and one
    closes at (or just after) its end, a comma or stop between the words and the mark allowed."""
    opens = text[start : start + 1] in tuple(_OPENING) or text[start - 1 : start] in tuple(_OPENING)
    after = text[end - 1 : end + 2]
    closes = any(mark in after for mark in _CLOSING) or text[end - 2 : end] in ("''",)
    return opens and closes


# ---- grouping ---------------------------------------------------------------------------------


def _last_sentence(speaker: str) -> str:
    """What follows a sentence end inside a speaker as given ("United States. Trump" → "Trump")."""
    parts = re.split(r"(?<=[\w)])\.\s+(?=[A-Z])", speaker)
    keep = parts[-1]
    for part in reversed(parts[:-1]):
        last = part.split()[-1] if part.split() else ""
        if len(last) > 1 and last.strip("(") not in _TITLES:
            break
        keep = f"{part}. {keep}"
    return keep


@lru_cache(maxsize=1 << 16)
def name_run(speaker: str | None) -> list[str]:
    """The speaker's name as a run of capitalised words ("Sen. Bernie Sanders" → Sen, Bernie, Sanders)."""
    if not speaker:
        return []
    run: list[str] = []
    for word in re.findall(r"[\w'’-]+\.?|\S", _last_sentence(speaker)):
        bare = re.sub(r"['’]s$", "", word.rstrip("."))
        if bare[:1].isupper() and bare not in _NOT_NAMES:
            run.append(bare)
        elif run:
            break
    return run


@lru_cache(maxsize=1 << 16)
def surname(speaker: str | None) -> str | None:
    """Who a speaker is, for matching: a name's surname, else a description's head noun.

    A name is the first run of capitalised words, and its last word is kept: "Donald J. Trump",
    "Trump" and "Republican Donald Trump" all give "trump". Otherwise the description's last word
    before its qualifiers: "one senior administration official" and "officials familiar with the
    talks" give "official". A pronoun or nothing gives None: no veto, it matches anyone.
    """
    if not speaker:
        return None
    if run := name_run(speaker):
        return run[-1].lower()
    head = []
    for word in (w.rstrip(".").lower() for w in re.findall(r"[\w'’-]+\.?|,", speaker)):
        if word in _QUALIFIERS:
            break
        head.append(word)
    if not head or head[-1] in _PRONOUNS:
        return None
    return re.sub(r"['’]?s?$|['’]$", "", head[-1]) or None


class _Groups:
    """Union-find over texts, with the vetoes that keep two statements of one speaker apart.

    Two groups may not merge when (1) both hold a stored trail (``fixed``: stored trails are never
    merged), (2) their speakers' surnames differ, (3) one article quotes a text of each as two
    separate contents and neither contains the other (the article shows two statements), or (4)
    fewer than half of the pairs of their texts share a 3-gram, so that one long content joining
    two statements cannot bridge them; an excerpt still joins a trail whose other excerpts it
    shares nothing with, through the full quote. Pairs are kept as sorted codes
    (``low * n + high``) in numpy, not in Python objects: a million statements give millions.
    """

    def __init__(self, texts: _Texts, linked: np.ndarray, contains: np.ndarray) -> None:
        n = len(texts.keys)
        self.n = n
        self.parent = list(range(n))
        self.members: list[list[int]] = [[i] for i in range(n)]
        self.names = texts.names
        self.fixed = texts.trails
        self.docs: list[dict[str, list[int]]] = [{d: [i] for d in ds} for i, ds in enumerate(texts.docs)]
        self.linked = linked
        self.contains = contains

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def attach(self, a: int, b: int) -> None:
        """Put text b in text a's group unconditionally: both belong to one stored trail."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._merge(ra, rb)

    def union(self, a: int, b: int) -> bool:
        """Merge the groups of a and b unless a veto forbids it; whether they are one group now."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.fixed[ra] is not None and self.fixed[rb] is not None:
            return False
        if self.names[ra] and self.names[rb] and not self.names[ra] & self.names[rb]:
            return False
        if self._apart(ra, rb) or not self._linked(ra, rb):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self._merge(ra, rb)
        return True

    def _codes(self, left: list[int], right: list[int]) -> np.ndarray:
        x, y = np.asarray(left, dtype=np.int64)[:, None], np.asarray(right, dtype=np.int64)[None, :]
        return (np.minimum(x, y) * self.n + np.maximum(x, y)).ravel()

    @staticmethod
    def _found(codes: np.ndarray, table: np.ndarray) -> np.ndarray:
        at = np.minimum(np.searchsorted(table, codes), max(len(table) - 1, 0))
        return table[at] == codes if len(table) else np.zeros(len(codes), dtype=bool)

    def _linked(self, ra: int, rb: int) -> bool:
        """Whether at least half of the pairs of texts across the two groups share a 3-gram."""
        codes = self._codes(self.members[ra], self.members[rb])
        return 2 * int(self._found(codes, self.linked).sum()) >= len(codes)

    def _apart(self, ra: int, rb: int) -> bool:
        """Whether an article quotes a text of each group separately, neither containing the other."""
        small, large = sorted((self.docs[ra], self.docs[rb]), key=len)
        for doc, texts in small.items():
            if doc in large and not self._found(self._codes(texts, large[doc]), self.contains).all():
                return True
        return False

    def _merge(self, ra: int, rb: int) -> None:
        self.parent[rb] = ra
        self.members[ra].extend(self.members[rb])
        self.members[rb] = []
        self.names[ra] |= self.names[rb]
        self.fixed[ra] = self.fixed[ra] if self.fixed[ra] is not None else self.fixed[rb]
        for doc, texts in self.docs[rb].items():
            self.docs[ra].setdefault(doc, []).extend(texts)
        self.docs[rb] = {}


def _pairs(
    store: Store, keys: np.ndarray, text_ids: np.ndarray, shingles: np.ndarray
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], list[int]]:
    """(new text key, other text key, shared 3-grams) for every pair sharing a 3-gram, joined in DuckDB.

    Also each new text's count of 3-grams that take part (its length for containment). Old texts
    come from ``trail_shingles``. The 3-grams in more than :data:`MAX_TEXTS_PER_SHINGLE` texts
    go to the temporary table ``trail_common`` and are left out of both.
    """
    import pyarrow as pa

    store.con.register("trail_incoming", pa.table({"text_key": keys[text_ids], "shingle": shingles}))
    try:
        store.con.execute("CREATE OR REPLACE TEMP TABLE trail_new_shingles AS SELECT * FROM trail_incoming")
    finally:
        store.con.unregister("trail_incoming")
    store.con.execute(
        f"""CREATE OR REPLACE TEMP TABLE trail_common AS SELECT shingle FROM
        (SELECT shingle FROM trail_new_shingles UNION ALL SELECT shingle FROM trail_shingles)
        GROUP BY shingle HAVING count(*) > {MAX_TEXTS_PER_SHINGLE}"""
    )
    rows = store.con.execute(
        """WITH new AS (SELECT * FROM trail_new_shingles ANTI JOIN trail_common USING (shingle)),
        old AS (SELECT * FROM trail_shingles ANTI JOIN trail_common USING (shingle))
        SELECT a.text_key, b.text_key, count(*) FROM new a JOIN new b USING (shingle)
            WHERE a.text_key < b.text_key GROUP BY ALL
        UNION ALL
        SELECT a.text_key, b.text_key, count(*) FROM new a JOIN old b USING (shingle) GROUP BY ALL"""
    ).fetchnumpy()
    kept = dict(
        store.con.execute(
            "SELECT text_key, count(*) FROM trail_new_shingles ANTI JOIN trail_common USING (shingle) GROUP BY 1"
        ).fetchall()
    )
    left, right, shared = (np.asarray(rows[n], dtype=np.int64) for n in list(rows))
    return (left, right, shared.astype(np.int32)), [kept.get(int(k), 0) for k in keys]


@dataclass
class _Texts:
    """Distinct texts in play: new ones first, then those of the stored trails the join reached."""

    keys: list[int] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    names: list[set[str]] = field(default_factory=list)
    trails: list[int | None] = field(default_factory=list)
    docs: list[set[str]] = field(default_factory=list)

    def add(self, key: int, length: int, names: set[str], trail: int | None, docs: set[str]) -> None:
        self.keys.append(key)
        self.lengths.append(length)
        self.names.append(names)
        self.trails.append(trail)
        self.docs.append(docs)


def _old_texts(store: Store, reached: list[int], texts: _Texts) -> None:
    """Add every stored text of the trails the join ``reached`` to ``texts``.

    A whole trail comes in, not only its texts the join reached, so the vetoes see all of it.
    """
    if not reached:
        return
    rows = store.con.execute(
        """WITH t AS (SELECT DISTINCT trail_id FROM trail_members WHERE text_key IN (SELECT unnest(?::BIGINT[]))),
        k AS (SELECT text_key, any_value(trail_id) AS trail_id, list(speaker) AS speakers,
                     list(DISTINCT document_id) AS docs FROM trail_members
              WHERE kind = 'quote' AND trail_id IN (SELECT trail_id FROM t) GROUP BY 1),
        n AS (SELECT text_key, count(*) AS n FROM trail_shingles ANTI JOIN trail_common USING (shingle)
              WHERE text_key IN (SELECT text_key FROM k) GROUP BY 1)
        SELECT k.text_key, coalesce(n.n, 0), k.trail_id, k.speakers, k.docs FROM k LEFT JOIN n USING (text_key)
        ORDER BY k.text_key""",
        [reached],
    ).fetchall()
    for key, length, trail, speakers, docs in rows:
        texts.add(key, length, {s for s in map(surname, speakers) if s}, trail, set(docs))


def group(store: Store, members: list[Member], cut_shingles: Callable = shingle_table) -> dict[int, int | str]:
    """Each new member's text key → its trail: an existing trail id, or a new group's label.

    Pairs are tried strongest first (the share of the longer text covered, then the 3-grams
    shared), so near-copies join before excerpts, and an excerpt joins the trail of the quote
    that covers it best.
    """
    existing = dict(
        store.con.execute(
            "SELECT DISTINCT text_key, trail_id FROM trail_members WHERE text_key IN (SELECT unnest(?::BIGINT[]))",
            [sorted({m.text_key for m in members})],
        ).fetchall()
    )
    by_key: dict[int, Member] = {}
    names: dict[int, set[str]] = defaultdict(set)
    docs: dict[int, set[str]] = defaultdict(set)
    for m in members:
        if m.text_key not in existing:
            by_key.setdefault(m.text_key, m)
            docs[m.text_key].add(m.document_id)
            if (name := surname(m.speaker)) is not None:
                names[m.text_key].add(name)
    new_keys = list(by_key)
    text_ids, shingles = cut_shingles([by_key[k].words for k in new_keys])
    (left, right, shared), lengths = _pairs(store, np.asarray(new_keys, dtype=np.int64), text_ids, shingles)
    texts = _Texts()
    for key, length in zip(new_keys, lengths, strict=True):
        texts.add(key, length, names[key], None, docs[key])
    _old_texts(store, sorted(set(np.unique(right).tolist()) - set(new_keys)), texts)
    keys = np.asarray(texts.keys, dtype=np.int64)
    order = np.argsort(keys)
    a = order[np.searchsorted(keys[order], left)].astype(np.int32)
    del left
    b = order[np.searchsorted(keys[order], right)].astype(np.int32)
    del right
    sizes = np.asarray(texts.lengths, dtype=np.int32)
    shorter = np.minimum(sizes[a], sizes[b])
    joins = (shorter >= 2) & (shared >= np.minimum(MIN_SHARED, shorter)) & (shared >= CONTAINMENT * shorter)
    joins &= (shorter >= WHOLE_BELOW) | (shared >= shorter)
    del shorter
    codes = np.minimum(a, b).astype(np.int64) * len(keys) + np.maximum(a, b)
    codes.sort()  # every pair that shares a 3-gram; the joining ones again below
    a, b, shared = a[joins], b[joins], shared[joins]
    longer = np.maximum(sizes[a], sizes[b])
    joined = np.minimum(a, b).astype(np.int64) * len(keys) + np.maximum(a, b)
    joined.sort()
    groups = _Groups(texts, codes, joined)
    first_of: dict[int, int] = {}
    for i, trail in enumerate(texts.trails):
        if trail is not None:
            groups.attach(first_of.setdefault(trail, i), i)
    strongest = np.lexsort((b, a, -shared, -shared / np.maximum(longer, 1)))  # ties in a fixed order
    first, second = a[strongest], b[strongest]
    for at in range(0, len(first), 1 << 20):  # in chunks: a Python int per pair costs 28 bytes
        for x, y in zip(first[at : at + (1 << 20)].tolist(), second[at : at + (1 << 20)].tolist(), strict=True):
            groups.union(x, y)
    index = {k: i for i, k in enumerate(texts.keys)}
    result: dict[int, int | str] = dict(existing)
    for k in new_keys:
        root = groups.find(index[k])
        trail = groups.fixed[root]
        result[k] = trail if trail is not None else f"new-{root}"
    _remember(store, new_keys, text_ids, shingles)
    return result


def _remember(store: Store, keys: list[int], text_ids: np.ndarray, shingles: np.ndarray) -> None:
    """Add the new texts' 3-grams to ``trail_shingles`` for later builds."""
    if keys:
        store.insert_columns(
            "trail_shingles", {"text_key": np.asarray(keys, dtype=np.int64)[text_ids], "shingle": shingles}
        )


# ---- echoes -----------------------------------------------------------------------------------


def loaded_phrases(store: Store) -> dict[tuple[str, ...], set[int]]:
    """The loaded words of trails: the technique spans inside their quotes, cut into words.

    Only phrases of at least :data:`ECHO_WORDS` words count (one word alone is too common to say
    that an outlet took it from a quote), and only those that stand in at least half of a trail's
    quotes: a span in the one long content that also carries someone else's words is not the
    trail's.
    """
    rows = store.con.execute(
        """SELECT m.trail_id, d.text[greatest(s.start, m.start) + 1 : least(s."end", m."end")]
        FROM trail_members m JOIN spans s ON s.document_id = m.document_id
            AND s.start < m."end" AND s."end" > m.start
        JOIN documents d ON d.id = m.document_id WHERE m.kind = 'quote'"""
    ).fetchall()
    found: dict[int, set[tuple[str, ...]]] = defaultdict(set)
    for trail, text in rows:
        tokens = _trim(words(text or ""))
        if len(tokens) >= ECHO_WORDS:
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


# ---- building ---------------------------------------------------------------------------------


@dataclass
class TrailsReport:
    """What one build did."""

    documents: int = 0
    members: int = 0
    new_trails: int = 0
    extended: int = 0
    echoes: int = 0
    trails: int = 0
    relayed: int = 0
    seconds: float = 0.0


Cut = Callable[[list[str]], list[list[str]]]


def _count(store: Store, table: str, where: str = "true") -> int:
    """Rows of one of the trail tables (fetched whole: a half-read result blocks the connection)."""
    return store.con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchall()[0][0]


def _number(store: Store, members: list[Member], labels: dict[int, int | str]) -> dict[int | str, int]:
    """Ids for new groups, in order of first appearance (published, then ingest order)."""
    order = dict(
        store.con.execute(
            "SELECT id, row_number() OVER (ORDER BY published NULLS LAST, ingested_at, id) FROM documents "
            "WHERE id IN (SELECT unnest(?::TEXT[]))",
            [sorted({m.document_id for m in members})],
        ).fetchall()
    )
    first: dict[int | str, tuple[int, int]] = {}
    for m in members:
        label = labels[m.text_key]
        if isinstance(label, str):
            first[label] = min(first.get(label, (1 << 62, 0)), (order[m.document_id], m.start))
    top = store.con.execute("SELECT coalesce(max(trail_id), 0) FROM trail_members").fetchall()[0][0]
    return {label: top + n for n, label in enumerate(sorted(first, key=first.__getitem__), start=1)}


def _write_members(store: Store, members: list[Member], trail_of: Callable[[int], int]) -> None:
    store.insert_columns(
        "trail_members",
        {
            "trail_id": [trail_of(m.text_key) for m in members],
            "document_id": [m.document_id for m in members],
            "start": [m.start for m in members],
            "end": [m.end for m in members],
            "kind": ["quote"] * len(members),
            "speaker": [m.speaker for m in members],
            "via": [m.via for m in members],
            "text_key": [m.text_key for m in members],
        },
    )


def _write_echoes(store: Store, echoes: list[tuple[int, str, int, int]]) -> int:
    """Store echoes not stored yet, and only those published no earlier than the trail's first quote."""
    if not echoes:
        return 0
    trail, doc, start, end = (list(c) for c in zip(*sorted(set(echoes)), strict=True))
    before = _count(store, "trail_members", "kind = 'echo'")
    store.insert_columns("trail_echo_candidates", {"trail_id": trail, "document_id": doc, "start": start, "end": end})
    store.con.execute(
        """INSERT INTO trail_members (trail_id, document_id, start, "end", kind, via)
        SELECT c.trail_id, c.document_id, c.start, c."end", 'echo', []::TEXT[] FROM trail_echo_candidates c
        JOIN documents d ON d.id = c.document_id
        JOIN (SELECT m.trail_id, min(f.published) AS first FROM trail_members m JOIN documents f
              ON f.id = m.document_id WHERE m.kind = 'quote' GROUP BY 1) t ON t.trail_id = c.trail_id
        WHERE (d.published IS NULL OR t.first IS NULL OR d.published >= t.first)
        AND NOT EXISTS (SELECT 1 FROM trail_members o WHERE o.kind = 'echo' AND o.trail_id = c.trail_id
                        AND o.document_id = c.document_id AND o.start = c.start)"""
    )
    return _count(store, "trail_members", "kind = 'echo'") - before


def build(store: Store, *, cut: Cut | None = None) -> TrailsReport:
    """``propwatch trails``: extend the store's trails with the documents stored since the last build.

    ``cut`` cuts contents into words (default: here, one by one; the Ray engine passes its own).
    One transaction: a build killed half way leaves the trails as they were.
    """
    started = time.perf_counter()
    report = TrailsReport()
    store.con.execute(SCRATCH)
    store.con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")  # the join spills to disk beyond it
    with store._transaction():
        documents, newest = _new_documents(store, _watermark(store))
        report.documents = len(documents)
        contents = _attributions(store, [d for d, _ in documents])
        members = read_members(documents, contents, cut) if cut else read_members(documents, contents)
        labels = group(store, members)
        numbers = _number(store, members, labels)
        trail_of = lambda key: labels[key] if isinstance(labels[key], int) else numbers[labels[key]]  # noqa: E731
        old_phrases = loaded_phrases(store)
        _write_members(store, members, trail_of)
        touched = sorted({trail_of(m.text_key) for m in members})
        phrases = loaded_phrases(store)
        fresh = {p: t - old_phrases.get(p, set()) for p, t in phrases.items()}
        fresh = {p: t for p, t in fresh.items() if t}
        echoes = find_echoes(documents, _voiced(store, [d for d, _ in documents]), phrases)
        if fresh:
            echoes += find_echoes(_old_documents(store, {d for d, _ in documents}), _voiced_all(store), fresh)
        report.echoes = _write_echoes(store, echoes)
        touched = sorted(set(touched) | {t for t, *_ in echoes})
        summarise(store, touched)
        report.members = len(members)
        report.new_trails = len(numbers)
        fresh_ids = set(numbers.values())
        report.extended = len({t for t in touched if t not in fresh_ids})
        if newest is not None:
            store.con.execute(
                "INSERT INTO meta VALUES ('trails_through', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [newest],
            )
    report.trails = _count(store, "trails")
    report.relayed = _count(store, "trails", "len(outlets) >= 2")
    report.seconds = time.perf_counter() - started
    return report


def _old_documents(store: Store, new: set[str]) -> list[tuple[str, str]]:
    rows = store.con.execute("SELECT id, text FROM documents WHERE status = 'ok' ORDER BY id").fetchall()
    return [r for r in rows if r[0] not in new]


def _voiced_all(store: Store) -> dict[str, list[tuple[int, int]]]:
    return _voiced(store, [r[0] for r in store.con.execute("SELECT id FROM documents WHERE status = 'ok'").fetchall()])


# ---- summaries --------------------------------------------------------------------------------


def _display(run: list[str]) -> str:
    """A name run written out, with the periods of initials and titles ("Donald J. Trump")."""
    return " ".join(f"{w}." if len(w) == 1 or w in _TITLES else w for w in run)


def reconcile(speakers: Iterable[str | None]) -> str | None:
    """One name for a trail's speakers: the most frequent surname's most frequent full name.

    ("Trump", "Donald Trump", "Donald Trump", "he") → "Donald Trump": a name of two words or more
    is preferred to a surname alone. Without any name, the most frequent speaker as written.
    """
    given = [s for s in speakers if s]
    by_name: dict[str, Counter[str]] = defaultdict(Counter)
    for speaker in given:
        if (name := surname(speaker)) is not None:
            run = name_run(speaker)
            by_name[name][_display(run) if run else speaker] += 1
    if not by_name:
        return Counter(given).most_common(1)[0][0] if given else None
    best = max(by_name.values(), key=lambda c: sum(c.values()))
    return max(best, key=lambda s: (len(s.split()) >= 2, best[s], len(s)))


_ORDER = "d.published NULLS LAST, d.ingested_at, m.document_id, m.start"


def summarise(store: Store, trail_ids: list[int]) -> None:
    """(Re)write the ``trails`` rows of ``trail_ids`` from their members."""
    if not trail_ids:
        return
    store.con.execute("CREATE OR REPLACE TEMP TABLE trail_touched AS SELECT unnest(?::BIGINT[]) AS id", [trail_ids])
    store.con.execute("DELETE FROM trails WHERE id IN (SELECT id FROM trail_touched)")
    store.con.execute(
        f"""INSERT INTO trails
        WITH m AS (SELECT m.*, d.outlet, d.published, d.text, row_number() OVER (PARTITION BY m.trail_id
                   ORDER BY {_ORDER}) AS n
                   FROM trail_members m JOIN documents d ON d.id = m.document_id
                   WHERE m.kind = 'quote' AND m.trail_id IN (SELECT id FROM trail_touched)),
        wording AS (SELECT trail_id, text_key, count(*) AS c, min(n) AS first,
                    arg_min(text[start + 1 : "end"], n) AS t FROM m GROUP BY ALL),
        o AS (SELECT trail_id, coalesce(outlet, '(no outlet)') AS outlet, min(n) AS n FROM m GROUP BY ALL),
        s AS (SELECT m.trail_id, sp.technique, count(*)::INTEGER AS c FROM m JOIN spans sp
              ON sp.document_id = m.document_id AND sp.start < m."end" AND sp."end" > m.start GROUP BY ALL),
        e AS (SELECT trail_id, count(*)::INTEGER AS c FROM trail_members WHERE kind = 'echo'
              AND trail_id IN (SELECT id FROM trail_touched) GROUP BY 1)
        SELECT m.trail_id,
            (SELECT arg_max(t, (c, -first)) FROM wording w WHERE w.trail_id = m.trail_id),
            NULL,
            count(*)::INTEGER,
            (SELECT list(outlet ORDER BY n) FROM o WHERE o.trail_id = m.trail_id),
            arg_min(m.document_id, m.n),
            arg_min(m.published, m.n),
            coalesce((SELECT c FROM e WHERE e.trail_id = m.trail_id), 0),
            coalesce((SELECT map(list(technique ORDER BY technique), list(c ORDER BY technique)) FROM s
                      WHERE s.trail_id = m.trail_id), map())
        FROM m GROUP BY m.trail_id"""
    )
    speakers: dict[int, list[str | None]] = defaultdict(list)
    for trail, speaker in store.con.execute(
        "SELECT trail_id, speaker FROM trail_members "
        "WHERE kind = 'quote' AND trail_id IN (SELECT id FROM trail_touched)"
    ).fetchall():
        speakers[trail].append(speaker)
    store.insert_columns("trail_speakers", {"id": list(speakers), "speaker": [reconcile(v) for v in speakers.values()]})
    store.con.execute("UPDATE trails SET speaker = s.speaker FROM trail_speakers s WHERE trails.id = s.id")
    store.con.execute("DELETE FROM trail_speakers")


# ---- reading trails ---------------------------------------------------------------------------

TOP = 10
"""Trails a report shows: the most relayed statements."""


def has_trails(con: Any, prefix: str = "") -> bool:
    """Whether the store (``prefix`` ``'src.'`` when attached, else the connection's own) has trails.

    A store written before trails existed has no such tables until it is next opened for writing.
    """
    catalog = prefix.rstrip(".")
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'trails' "
        "AND database_name = coalesce(nullif(?, ''), current_database())",
        [catalog],
    ).fetchall()
    return bool(found[0][0])


def most_relayed(con: Any, top: int = TOP, prefix: str = "", documents: str = "documents") -> list[dict[str, Any]]:
    """The ``top`` trails carried by the most outlets, each with its appearances in time order.

    ``prefix`` names where the trail tables live (``'src.'`` in the dashboard, which attaches the
    store) and ``documents`` the documents whose trails to show, so a dashboard's filtered view
    of the documents keeps the trails with an appearance in the filtered articles (each shown
    whole). An appearance
    whose relay names an outlet that carried the trail before it gets ``relayed_from``, that
    appearance's document.
    """
    if not has_trails(con, prefix):
        return []
    cursor = con.execute(
        f"""WITH shown AS (SELECT DISTINCT m.trail_id FROM {prefix}trail_members m
                           JOIN {documents} d ON d.id = m.document_id AND m.kind = 'quote')
        SELECT t.id, t.statement, t.speaker, t.appearances, t.outlets, t.first_document, t.first_published,
               t.echoes, t.techniques FROM {prefix}trails t JOIN shown ON shown.trail_id = t.id
        WHERE len(t.outlets) >= 2 ORDER BY len(t.outlets) DESC, t.appearances DESC, t.first_published, t.id LIMIT ?""",
        [top],
    )
    names = [c[0] for c in cursor.description]
    trails = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    members = _appearances(con, [t["id"] for t in trails], prefix)
    for trail in trails:
        trail["techniques"] = dict(sorted(trail["techniques"].items(), key=lambda kv: (-kv[1], kv[0])))
        trail["members"] = _relays(members.get(trail["id"], []))
        shown = [m["text"] for m in trail["members"] if m.pop("statement") == trail["statement"]]
        trail["statement"] = shown[0] if shown else trail["statement"]
    return trails


def _appearances(con: Any, ids: list[int], prefix: str) -> dict[int, list[dict[str, Any]]]:
    """Each trail's members in time order; ``text`` is what a reader sees of it, without the
    attribution clause a statement in two quotes carries inside it (:func:`said_excerpt`)."""
    cursor = con.execute(
        f"""WITH a AS (SELECT document_id, content_start, content_end, any_value(source_start) AS s0,
                       any_value(source_end) AS s1, any_value(cue_start) AS c0, any_value(cue_end) AS c1
                       FROM {prefix}attributions GROUP BY ALL)
        SELECT m.trail_id, m.document_id, d.title, d.outlet, d.published, m.kind, m.start, m."end",
               d.text[m.start + 1 : m."end"] AS text, m.speaker, m.via, a.s0, a.s1, a.c0, a.c1
        FROM {prefix}trail_members m JOIN {prefix}documents d ON d.id = m.document_id
        LEFT JOIN a ON m.kind = 'quote' AND a.document_id = m.document_id AND a.content_start = m.start
                       AND a.content_end = m."end"
        WHERE m.trail_id IN (SELECT unnest(?::BIGINT[])) ORDER BY m.trail_id, {_ORDER}, m.kind DESC""",
        [ids],
    )
    names = [c[0] for c in cursor.description]
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in cursor.fetchall():
        item = dict(zip(names, row, strict=True))
        s0, s1, c0, c1 = (item.pop(k) for k in ("s0", "s1", "c0", "c1"))
        clause = [(lo - item["start"], hi - item["start"]) for lo, hi in ((s0, s1), (c0, c1)) if lo is not None]
        item["statement"] = item["text"]
        item["text"] = said_excerpt(item["text"], (0, len(item["text"])), clause, len(item["text"]) + 2)
        found[item.pop("trail_id")].append(item)
    return found


def _outlet_name(name: str | None) -> str:
    """An outlet's name as relays write it: lower-cased, without a leading 'the' or hyphens."""
    bare = re.sub(r"[-_]", " ", (name or "").lower()).strip()
    return re.sub(r"^the\s+", "", bare)


def _relays(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each appearance with ``relayed_from``: the earlier appearance of the outlet its relay names."""
    first: dict[str, str] = {}
    for member in members:
        member["relayed_from"] = None
        for relay in member["via"] or []:
            if (source := first.get(_outlet_name(relay))) is not None and source != member["document_id"]:
                member["relayed_from"] = source
                break
        if member["kind"] == "quote":
            first.setdefault(_outlet_name(member["outlet"]), member["document_id"])
    return members


def build_db(db: Path, *, engine: str = "local", ray_options: dict[str, Any] | None = None) -> TrailsReport:
    """``propwatch trails --db``: open the store and extend its trails (``engine``: local or ray)."""
    if not Path(db).exists():
        raise StoreError(f"{db}: no such store (create it with propwatch ingest)")
    with Store(db) as store:
        if engine == "ray":
            from propwatch.scale import words_ray

            return build(store, cut=lambda texts: words_ray(texts, **(ray_options or {})))
        return build(store)


def most_relayed_in(db: Path, top: int = TOP) -> list[dict[str, Any]]:
    """:func:`most_relayed` of the store at ``db``, as JSON-ready rows (the CLI and the API)."""
    with Store(db, read_only=True) as store:
        return most_relayed(store.con, top)


def format_trails(shown: list[dict[str, Any]]) -> str:
    """The most relayed statements as text: statement, speaker, then one line per appearance."""
    lines = []
    for n, trail in enumerate(shown, start=1):
        lines.append(f'{n}. {trail["speaker"] or "(unknown speaker)"}: "{_shorten(trail["statement"])}"')
        for m in trail["members"]:
            relay = f" via {' < '.join(m['via'])}" if m["via"] else ""
            what = "echoes it in its own voice" if m["kind"] == "echo" else f"quotes {m['speaker'] or 'someone'}"
            lines.append(
                f"   {m['published'] or '?':<10}  {m['outlet'] or '(no outlet)'}{relay}: {what} "
                f"[{m['document_id']} {m['start']}:{m['end']}]"
            )
    return "\n".join(lines) if lines else "no statement carried by two outlets or more"


def _shorten(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
