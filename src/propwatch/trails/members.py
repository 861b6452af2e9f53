"""What a statement is: the attributed contents of newly stored documents that trails follow.

A build reads only the documents stored since the last one (the ``meta`` key ``trails_through``)
and their ``attributions`` rows, and keeps the contents that are someone's statement: named,
quoted or reported, long enough, and not an outlet's boilerplate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from propwatch.store import Store
from propwatch.trails.names import surname
from propwatch.trails.texts import _hash64, words
from propwatch.voices.phrases import counted
from propwatch.voices.pronouns import AUTHOR
from propwatch.voices.text import is_direct_quote, is_statement

MIN_WORDS = 9
"""Shortest paraphrase (a content not in quotation marks) that can be told apart from the phrases
every article writes in its own words ("her record as secretary of state")."""
MIN_WORDS_QUOTED = 6
"""Shortest direct quote: six words in quotation marks are someone's own."""
MAX_WORDS = 150
"""Longest statement: a content of more words is a transcript or a document the tagger took whole (a
6,800-character speech), which a one-sentence excerpt would join as if it were the same statement."""
CUT_CHUNK = 200_000
"""Contents cut into words at a time: the words of only so many are held before the duplicates go."""

_ORDER = "d.published NULLS LAST, d.ingested_at, m.document_id, m.start"
"""A trail's appearances in time order (SQL over ``trail_members m`` joined to ``documents d``): a
statement's first appearance is its earliest publication, and ties keep ingest order."""


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
    """The newest ``ingested_at`` a build has read (``meta`` key ``trails_through``); None before the first."""
    row = store.con.execute("SELECT value FROM meta WHERE key = 'trails_through'").fetchall()
    return row[0][0] if row else None


def _new_documents(store: Store, through: Any) -> tuple[list[tuple[str, str]], Any]:
    """Analysed documents stored after ``through`` (id, text), and the newest ``ingested_at`` among them."""
    where = "status = 'ok'" + (" AND ingested_at > ?::TIMESTAMP" if through else "")
    params = [through] if through else []
    rows = store.con.execute(f"SELECT id, text FROM documents WHERE {where} ORDER BY id", params).fetchall()
    newest = store.con.execute(f"SELECT max(ingested_at)::TEXT FROM documents WHERE {where}", params).fetchall()[0][0]
    return rows, newest


Content = tuple[int, int, str | None, list[str], tuple[int, int] | None, tuple[int, int] | None]
"""An attributed content as trails read it: start, end, speaker, via, cue and source ((start, end) or None)."""


def _attributions(store: Store, ids: list[str]) -> dict[str, list[Content]]:
    """Attributed contents of the documents ``ids``: (start, end, speaker, via, cue, source) per document."""
    found: dict[str, list[Content]] = defaultdict(list)
    store.con.execute("CREATE OR REPLACE TEMP TABLE trail_new_ids AS SELECT unnest(?::TEXT[]) AS id", [ids])
    rows = store.con.execute(
        "SELECT document_id, content_start, content_end, speaker, via, cue_start, cue_end, source_start, source_end "
        "FROM attributions "
        "WHERE document_id IN (SELECT id FROM trail_new_ids) ORDER BY document_id, content_start, content_end"
    ).fetchall()
    for doc_id, start, end, speaker, via, cue_start, cue_end, source_start, source_end in rows:
        cue = (cue_start, cue_end) if cue_start is not None else None
        source = (source_start, source_end) if source_start is not None else None
        found[doc_id].append((start, end, speaker, list(via or []), cue, source))
    return found


Cut = Callable[[list[str]], list[list[str]]]
"""Cuts texts into words, in bulk: :func:`~propwatch.trails.texts.words` of each, here or on Ray."""


def read_members(
    documents: list[tuple[str, str]],
    contents: dict[str, list[Content]],
    cut: Cut = lambda texts: [words(t) for t in texts],
) -> list[Member]:
    """The attributed contents that are statements, cut into words by ``cut``.

    A statement has a speaker that can be followed across outlets (:func:`_followable`), is at most
    :data:`MAX_WORDS` long, and is a direct quote of :data:`MIN_WORDS_QUOTED` words or more, or a
    paraphrase of :data:`MIN_WORDS` or more whose cue reports words ("said", "according to") and
    that is neither the thing a speaker wrote ("wrote an assessment of …") nor a dependent clause
    ("if the count went the other way"). A short paraphrase is mostly
    a noun phrase that many articles write in their own words ("her record as secretary of state"),
    and a stance ("defended his position of …") is no statement to follow. Words that
    :data:`BOILERPLATE_DOCUMENTS` articles or more carry exactly, with no
    named speaker, are an outlet's boilerplate (an editor's note), not a statement.

    ``cut`` is where the Ray engine plugs in (:func:`propwatch.scale.words_ray`): cutting is the
    only step whose cost grows with the text, the rest grows with the number of contents.
    """
    members, texts, quoted = [], [], []
    for doc_id, text in documents:
        for start, end, speaker, via, cue, source in outermost(contents.get(doc_id, [])):
            direct = is_direct_quote(text, start, end)
            if (
                not _followable(text, speaker, source)
                or not is_statement(text, (start, end), cue)
                or (not direct and (_written_thing(text, start, cue) or _dependent(text, start)))
            ):
                continue
            members.append(Member(doc_id, start, end, speaker, via))
            texts.append(text[start:end])
            quoted.append(direct)
    kept, seen = [], set()
    cuts = (tokens for at in range(0, len(texts), CUT_CHUNK) for tokens in cut(texts[at : at + CUT_CHUNK]))
    for member, tokens, direct in zip(members, cuts, quoted, strict=True):
        if (MIN_WORDS_QUOTED if direct else MIN_WORDS) <= len(tokens) <= MAX_WORDS:
            member.text_key = _hash64(" ".join(tokens) + "|" + (surname(member.speaker) or ""))
            if member.text_key not in seen:  # only a text's first member keeps its words (memory)
                seen.add(member.text_key)
                member.words = tokens
            kept.append(member)
    carried: dict[int, set[str]] = defaultdict(set)
    for member in kept:
        carried[member.text_key].add(member.document_id)
    return [m for m in kept if not _boilerplate(m, carried)]


def _followable(text: str, speaker: str | None, source: tuple[int, int] | None) -> bool:
    """Whether a speaker is someone a statement can be followed by across outlets: named or described
    ("Ana Berg", "a campaign spokesman"), not the writer, not one common noun that two outlets would
    use for different people ("group", "officials"), not a share of a group (a poll's result: "the
    proportion of harbor voters saying …"), and not a clause the tagger took for a source ("that
    Sanders can catch Clinton")."""
    if speaker in (None, AUTHOR) or (" " not in speaker and speaker.islower()):
        return False
    if source is None:
        return True
    phrase = text[source[0] : source[1]].strip(' ,;:"“”')
    return not counted(phrase) and not re.match(r"(?i:that|whether|if)\s", phrase)


_WRITING_RE = re.compile(r"(?:wrote|writes|write|written|published|publishes|released|releases|issued|issues)")


def _written_thing(text: str, start: int, cue: tuple[int, int] | None) -> bool:
    """Whether a paraphrase is the thing a speaker wrote rather than what they said ("wrote| an in-depth
    assessment of business cases"): an object that opens with "a" or "an" after a verb of writing."""
    if cue is None or not _WRITING_RE.fullmatch(text[cue[0] : cue[1]].lower()):
        return False
    return re.match(r"(?:a|an)\s", text[start : start + 3]) is not None


def _dependent(text: str, start: int) -> bool:
    """Whether a paraphrase opens with a subordinating conjunction ("if she didn't win by a margin larger
    than that"): a piece of someone's sentence that says nothing alone."""
    return re.match(r"(?i:if|when|unless|because|although|though|while|since|as|whether)\s", text[start:]) is not None


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
