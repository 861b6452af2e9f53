"""The small learned parts of the voices: the source ranker and the content filter, both fitted on the
held-out PolNeAR fold at calibration."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import numpy as np

from propwatch.document import Attribution, Extent, overlap
from propwatch.voices.cues import _plausible_sources, _possessive, _rule_source
from propwatch.voices.text import PRONOUNS, _gap, _inside, _is_quote

SOURCE_FEATURES = (
    "none",
    "across",
    "log_gap",
    "nearest_across",
    "nearest",
    "before_cue",
    "in_sentence",
    "possessive",
    "pronoun",
    "capitalised",
    "log_words",
    "overlaps_content",
    "content_before_cue",
    "source_cue_content",
    "content_cue_source",
    "touches_cue",
    "log_sources_between",
    "comma_between",
    "relative_pronoun",
    "mean_probability",
    "begin_probability",
    "min_probability",
    "rule_choice",
)


"""What the source ranker sees of each candidate (and of choosing none), in weight order."""


@dataclass
class SourceRanker:
    """Chooses a cue's source among the tagged sources near it, or none, by a learned score.

    The weights are a conditional logit fitted on the held-out PolNeAR fold at calibration
    (:mod:`propwatch.train.calibrate`); besides where a candidate sits (across the cue from the
    content, how far, what lies between), it sees how sure the tagger was of it, which the
    nearest-source rule ignores. With ``weights`` None it chooses as the rule does and only
    records each choice's features (in ``record``), which is how calibration gathers them.
    """

    offsets: np.ndarray
    probs: np.ndarray
    """Source BIO probabilities per token, (tokens, 3)."""
    weights: np.ndarray | None = None
    record: list | None = None
    _confidence: dict[Extent, tuple[float, float, float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._tokens = RoleTokens(self.offsets, self.probs)

    def choose(
        self, text: str, content: Extent, cue: Extent, window: Extent, candidates: list[Extent]
    ) -> Extent | None:
        """The chosen source (None: no tagged source) for a content and its cue, among candidates
        within reach of the cue."""
        plausible, across = _plausible_sources(text, content, cue, window, candidates)
        rule = _rule_source(content, cue, plausible, across)
        nearest = {
            "nearest_across": min(across, key=lambda c: _gap(c, cue), default=None),
            "nearest": min(plausible, key=lambda c: _gap(c, cue), default=None),
            "rule_choice": rule,
        }
        options: list[Extent | None] = [None, *candidates]
        features = np.array([self.features(text, content, cue, window, c, plausible, across, nearest) for c in options])
        if self.record is not None:
            self.record.append((content, cue, options, features))
        if self.weights is None:
            return rule
        return options[int(np.argmax(features @ self.weights))]

    def features(
        self,
        text: str,
        content: Extent,
        cue: Extent,
        window: Extent,
        candidate: Extent | None,
        plausible: list[Extent],
        across: list[Extent],
        nearest: dict[str, Extent | None],
    ) -> list[float]:
        """One row of :data:`SOURCE_FEATURES`; ``nearest`` names the candidates the rules would pick."""
        row = dict.fromkeys(SOURCE_FEATURES, 0.0)
        if candidate is None:
            row["none"] = 1.0
            return list(row.values())
        phrase = text[candidate[0] : candidate[1]].strip()
        before = candidate[1] <= cue[0]
        between = (candidate[1], cue[0]) if before else (cue[1], candidate[0])
        gap = _gap(candidate, cue)
        row.update({name: candidate == chosen for name, chosen in nearest.items()})
        row.update(
            across=candidate in across,
            log_gap=np.log1p(gap),
            before_cue=before,
            in_sentence=_inside(candidate, window),
            possessive=_possessive(text, candidate),
            pronoun=phrase.lower() in PRONOUNS,
            capitalised=phrase[:1].isupper(),
            log_words=np.log1p(len(phrase.split())),
            overlaps_content=overlap(candidate, content) > 0,
            content_before_cue=content[1] <= cue[0],
            source_cue_content=before and content[0] >= cue[1],
            content_cue_source=not before and content[1] <= cue[0],
            touches_cue=gap <= 2,
            log_sources_between=np.log1p(sum(1 for c in plausible if c != candidate and _inside(c, between))),
            comma_between="," in text[between[0] : between[1]],
            relative_pronoun=phrase.lower() in ("who", "which", "that"),
        )
        if candidate not in self._confidence:  # a source is a candidate for every cue near it
            self._confidence[candidate] = self._tokens.confidence(candidate)
        confidence = self._confidence[candidate]
        row.update(zip(("mean_probability", "begin_probability", "min_probability"), confidence, strict=True))
        return [float(v) for v in row.values()]


def source_ranker_json(weights: np.ndarray) -> dict:
    """The ranker's weights for model.json, with the feature names they belong to."""
    return {"features": list(SOURCE_FEATURES), "weights": [round(float(w), 5) for w in weights]}


def source_ranker_weights(data: dict) -> np.ndarray:
    """The ranker's weights from model.json, refusing ones fitted on other features."""
    if data.get("features") != list(SOURCE_FEATURES):
        raise ValueError("the source ranker uses other features than this propwatch")
    return np.asarray(data["weights"], dtype=np.float64)


class RoleTokens:
    """An article's token offsets and one role's tagger probabilities (tokens, O/B/I), read span by span.

    The ranker and the content filter ask how sure the tagger was of thousands of spans per corpus;
    bisecting lists made once per article costs a fraction of numpy's overhead on each single lookup.
    """

    def __init__(self, offsets: np.ndarray, probs: np.ndarray, like: RoleTokens | None = None) -> None:
        """``like``: the same article's tokens for another role, whose lists of offsets these share."""
        if like is not None:
            self.starts, self.ends, self.real, self._unreal = like.starts, like.ends, like.real, like._unreal
        else:
            offsets = np.asarray(offsets).reshape(-1, 2)
            self.starts: list[int] = offsets[:, 0].tolist()
            self.ends: list[int] = offsets[:, 1].tolist()
            self.real = offsets[:, 1] > offsets[:, 0]
            """Tokens with characters (a tokenizer's added pieces have none)."""
            self._unreal: list[int] = np.concatenate([[0], np.cumsum(~self.real)]).tolist()
        self.inside = probs[:, 1] + probs[:, 2]
        """P(B) + P(I) per token: that it is part of the role."""
        self.begin = probs[:, 1]

    def confidence(self, extent: Extent) -> tuple[float, float, float]:
        """How sure the tagger was of the role over an extent's tokens (those of
        :func:`~propwatch.model.encoding.char_span_to_tokens`): mean P(B)+P(I), B of the first, lowest."""
        first = bisect_right(self.ends, extent[0])
        last = max(first, bisect_left(self.starts, extent[1]))
        if self._unreal[last] == self._unreal[first]:  # the usual case: a slice, not a gather (the same values)
            if last == first:
                return 0.0, 0.0, 0.0
            inside = self.inside[first:last]
            return float(inside.sum() / len(inside)), float(self.begin[first]), float(inside.min())
        tokens = first + np.flatnonzero(self.real[first:last])
        if not len(tokens):
            return 0.0, 0.0, 0.0
        inside = self.inside[tokens]
        # sum / n is numpy's mean to the bit, without its overhead on a few values (called per candidate)
        return float(inside.sum() / len(inside)), float(self.begin[tokens[0]]), float(inside.min())


CONTENT_FEATURES = (
    "log_chars",
    "log_words",
    "quote",
    "has_cue",
    "has_source",
    "content_mean",
    "content_min",
    "source_mean",
    "cue_mean",
    "ends_sentence",
    "named_speaker",
    "relayed",
    "cue_before",
    "capitalised",
    "follows_cue",
)


"""What the content filter sees of each attribution, in weight order (after the bias)."""


def role_tokens(offsets: np.ndarray, roles: np.ndarray) -> list[RoleTokens]:
    """An article's :class:`RoleTokens` of content, source and cue, made once for all its attributions."""
    content = RoleTokens(offsets, roles[:, 0, :])
    return [content, *(RoleTokens(offsets, roles[:, role, :], like=content) for role in (1, 2))]


def content_features(text: str, attribution: Attribution, tokens: list[RoleTokens]) -> np.ndarray:
    """One row of :data:`CONTENT_FEATURES` for an attribution found in ``text``, whose article's tokens
    are ``tokens`` (:func:`role_tokens`)."""
    content, source, cue = attribution.content, attribution.source, attribution.cue
    piece = text[content[0] : content[1]]
    mean, _, lowest = tokens[0].confidence(content)
    row = {
        "log_chars": np.log1p(len(piece)),
        "log_words": np.log1p(len(piece.split())),
        "quote": _is_quote(text, content),
        "has_cue": cue is not None,
        "has_source": source is not None,
        "content_mean": mean,
        "content_min": lowest,
        "source_mean": tokens[1].confidence(source)[0] if source else 0.0,
        "cue_mean": tokens[2].confidence(cue)[0] if cue else 0.0,
        "ends_sentence": piece.rstrip()[-1:] in '.!?"”',
        "named_speaker": bool(attribution.speaker and attribution.speaker[:1].isupper()),
        "relayed": bool(attribution.via),
        "cue_before": bool(cue and cue[1] <= content[0]),
        "capitalised": piece[:1].isupper(),
        "follows_cue": bool(cue and 0 <= content[0] - cue[1] <= 1),
    }
    return np.array([float(row[name]) for name in CONTENT_FEATURES])


@dataclass(frozen=True)
class ContentFilter:
    """Drops attributions the tagger only half saw, by a learned probability that gold has them.

    A logistic model over :data:`CONTENT_FEATURES` (standardised), fitted on the held-out
    PolNeAR fold at calibration with a cross-validated threshold; it trades the recall of a
    few true attributions for the precision of many spurious ones.
    """

    weights: np.ndarray
    """Bias first, then one weight per feature."""
    mean: np.ndarray
    scale: np.ndarray
    threshold: float

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(the attribution matches a gold one) for feature rows (attributions, features)."""
        scores = self.weights[0] + ((rows - self.mean) / self.scale) @ self.weights[1:]
        return 1.0 / (1.0 + np.exp(-scores))

    def to_json(self) -> dict:
        """For model.json."""
        return {
            "features": list(CONTENT_FEATURES),
            **{k: [round(float(v), 6) for v in getattr(self, k)] for k in ("weights", "mean", "scale")},
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict) -> ContentFilter:
        """From model.json, refusing one fitted on other features."""
        if data.get("features") != list(CONTENT_FEATURES):
            raise ValueError("the content filter uses other features than this propwatch")
        arrays = {k: np.asarray(data[k], dtype=np.float64) for k in ("weights", "mean", "scale")}
        return cls(threshold=float(data["threshold"]), **arrays)
