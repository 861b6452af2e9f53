"""Joining texts into trails: a 3-gram join in DuckDB, then a union-find under vetoes.

Identical words (with the same speaker's surname) are one *text* already; here texts that share
3-grams are paired in DuckDB, never all pairs, and joined strongest pair first when the shorter is
contained in the longer, unless a veto keeps two statements of one speaker apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from propwatch.store import Store
from propwatch.trails.members import Member
from propwatch.trails.names import surname
from propwatch.trails.texts import shingle_table

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
