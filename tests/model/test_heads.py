"""Tests for propwatch.model.heads: numpy GELU, log-softmax, span cues, span head, stacker and role refiner."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from propwatch.model.heads import N_CUES, RoleRefiner, SpanHead, Stacker, gelu, log_softmax, pool, span_cues
from propwatch.model.runtime import DEFAULT_MODEL_DIR
from propwatch.techniques import NAMES

# --- gelu / log_softmax ----------------------------------------------------------------------


def exact_gelu(x: float) -> float:
    return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))


def test_gelu_close_to_exact_erf_form() -> None:
    xs = np.linspace(-12.0, 12.0, 4801)
    exact = np.array([exact_gelu(float(x)) for x in xs])
    assert np.abs(gelu(xs) - exact).max() < 2e-3
    xs32 = xs.astype(np.float32)
    assert np.abs(gelu(xs32) - exact).max() < 2e-3


def test_gelu_landmarks_and_shape() -> None:
    assert gelu(np.array(0.0)) == 0.0
    big = np.array([20.0, -20.0])
    assert gelu(big) == pytest.approx([20.0, 0.0], abs=1e-6)
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 12
    out = gelu(x)
    assert out.shape == x.shape
    assert out.dtype == np.float32


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=16),
        elements=st.floats(-1e4, 1e4),
    )
)
def test_log_softmax_rows_sum_to_one(x: np.ndarray) -> None:
    out = log_softmax(x)
    assert out.shape == x.shape
    assert np.isfinite(out).all()
    assert (out <= 1e-12).all()
    np.testing.assert_allclose(np.exp(out).sum(axis=-1), 1.0, rtol=1e-9, atol=1e-9)
    # Each row is the logits shifted by one constant (its log-sum-exp).
    shift = x - out
    np.testing.assert_allclose(shift, np.broadcast_to(shift[..., :1], shift.shape), rtol=0, atol=1e-6)


def test_log_softmax_large_logits_stable_and_shift_invariant() -> None:
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    out = log_softmax(x)
    assert np.isfinite(out[0]).all()
    np.testing.assert_allclose(out[0], log_softmax(np.array([[0.0, 1.0, 2.0]]))[0])
    np.testing.assert_allclose(np.exp(out).sum(axis=1), 1.0)


# --- pool ------------------------------------------------------------------------------------


def test_pool_first_last_mean() -> None:
    states = np.arange(12, dtype=np.float32).reshape(4, 3)
    out = pool(states, 1, 3)
    np.testing.assert_array_equal(out, [3, 4, 5, 6, 7, 8, 4.5, 5.5, 6.5])
    single = pool(states, 2, 3)
    np.testing.assert_array_equal(single, [6, 7, 8] * 3)


# --- span_cues -------------------------------------------------------------------------------

ARTICLE = (
    "Make our town great. The council met on Monday to discuss the budget. "
    "Critics called the plan a disgrace! Why would anyone trust them? "
    "The mayor said: \u201cwe will not back down.\u201d Make our town great."
)


def cues_of(phrase: str, occurrence: int = 0) -> np.ndarray:
    start = -1
    for _ in range(occurrence + 1):
        start = ARTICLE.index(phrase, start + 1)
    return span_cues(ARTICLE, start, start + len(phrase))


def test_span_cues_shape_and_dtype() -> None:
    cues = cues_of("the budget")
    assert cues.shape == (N_CUES,)
    assert cues.dtype == np.float32
    assert np.isfinite(cues).all()


def test_span_cues_flag_repetition() -> None:
    first = cues_of("Make our town great", 0)
    second = cues_of("Make our town great", 1)
    once = cues_of("discuss the budget")
    # cue 2: log(1 + extra occurrences); cue 3: seen earlier; cue 4: short phrase that recurs.
    assert first[2] == pytest.approx(math.log1p(1))
    assert second[2] == pytest.approx(math.log1p(1))
    assert once[2] == 0.0
    assert first[3] == 0.0
    assert second[3] == 1.0
    assert once[3] == 0.0
    # "Make our town great" is four words: recurring, but not a short (<= 3 word) phrase.
    assert first[4] == 0.0
    short = cues_of("town great", 1)
    assert short[4] == 1.0
    assert once[4] == 0.0


def test_span_cues_repetition_is_case_insensitive() -> None:
    text = "Drain the swamp now. We will DRAIN THE SWAMP."
    start = text.index("DRAIN THE SWAMP")
    cues = span_cues(text, start, start + len("DRAIN THE SWAMP"))
    assert cues[2] > 0
    assert cues[3] == 1.0
    assert cues[5] == 1.0  # all upper case


def test_span_cues_length_punctuation_and_position() -> None:
    span = cues_of("Critics called the plan a disgrace!")
    assert span[0] == pytest.approx(math.log1p(len("Critics called the plan a disgrace!")))
    assert span[1] == pytest.approx(math.log1p(6))
    assert span[6] == 1.0  # "!"
    assert span[7] == 0.0  # no "?"
    assert span[9] == 1.0  # starts a sentence
    question = cues_of("Why would anyone trust them?")
    assert question[7] == 1.0
    assert question[6] == 0.0
    quote = cues_of("\u201cwe will not back down.\u201d")
    assert quote[8] == 1.0
    mid = cues_of("a disgrace")
    assert mid[9] == 0.0
    assert mid[8] == 0.0
    assert 0.0 < cues_of("Make our town great")[5] < 1.0
    assert span_cues(ARTICLE, 0, 4)[9] == 1.0  # the start of the text


def test_span_cues_empty_span() -> None:
    cues = span_cues(ARTICLE, 5, 5)
    assert cues.shape == (N_CUES,)
    assert np.isfinite(cues).all()
    assert cues[0] == 0.0 and cues[2] == 0.0


def test_span_cues_repetition_across_line_break() -> None:
    text = "It is a big\nlie. They tell a big\nlie every day."
    start = text.rindex("big\nlie")
    cues = span_cues(text, start, start + len("big\nlie"))
    assert cues[3] == 1.0  # seen earlier
    assert cues[2] == pytest.approx(math.log1p(1))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.data())
def test_span_cues_any_span_finite(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    cues = span_cues(text, start, end)
    assert cues.shape == (N_CUES,)
    assert np.isfinite(cues).all()


# --- SpanHead --------------------------------------------------------------------------------


def random_head(rng: np.random.Generator, hidden: int = 4, inner: int = 8, n_labels: int = 14) -> SpanHead:
    return SpanHead(
        rng.normal(size=(3 * hidden, inner)).astype(np.float32),
        rng.normal(size=inner).astype(np.float32),
        rng.normal(size=(inner, n_labels)).astype(np.float32),
        rng.normal(size=n_labels).astype(np.float32),
    )


@pytest.mark.parametrize("n_spans", [1, 5])
def test_span_head_log_probs_shapes(n_spans: int) -> None:
    rng = np.random.default_rng(0)
    head = random_head(rng)
    out = head.log_probs(rng.normal(size=(n_spans, 12)).astype(np.float32))
    assert out.shape == (n_spans, 14)
    np.testing.assert_allclose(np.exp(out).sum(axis=1), 1.0, rtol=1e-5)
    assert head.log_probs(np.zeros((0, 12), np.float32)).shape == (0, 14)


def test_span_head_from_pooled_states() -> None:
    rng = np.random.default_rng(1)
    head = random_head(rng, hidden=6)
    states = rng.normal(size=(10, 6)).astype(np.float32)
    features = np.stack([pool(states, 0, 3), pool(states, 4, 10)])
    assert head.log_probs(features).shape == (2, 14)


def test_span_head_load_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    head = random_head(rng)
    path = tmp_path / "heads.npz"
    np.savez(path, hidden_w=head.hidden_w, hidden_b=head.hidden_b, out_w=head.out_w, out_b=head.out_b)
    loaded = SpanHead.load(path)
    x = rng.normal(size=(3, 12)).astype(np.float32)
    np.testing.assert_array_equal(loaded.log_probs(x), head.log_probs(x))


def test_shipped_span_head_shapes() -> None:
    path = DEFAULT_MODEL_DIR / "heads.npz"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    head = SpanHead.load(path)
    assert head.hidden_w.shape[0] % 3 == 0
    assert head.hidden_w.shape[1] == head.hidden_b.shape[0] == head.out_w.shape[0]
    assert head.out_w.shape[1] == head.out_b.shape[0] == len(NAMES)
    out = head.log_probs(np.zeros((2, head.hidden_w.shape[0]), np.float32))
    assert out.shape == (2, len(NAMES))


# --- Stacker ---------------------------------------------------------------------------------


def separable_problem(n: int = 300, n_labels: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Head log-probs that are pure noise; cue 0 alone tells the label."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, n_labels, size=n)
    head = log_softmax(rng.normal(scale=0.5, size=(n, n_labels)))
    cues = rng.normal(size=(n, N_CUES))
    cues[:, 0] = labels * 3.0 + rng.normal(scale=0.1, size=n)
    for k in range(n_labels):
        cues[:, 1 + k] = (labels == k) + rng.normal(scale=0.1, size=n)
    return head.astype(np.float32), cues.astype(np.float32), labels


def nll(log_probs: np.ndarray, labels: np.ndarray) -> float:
    return float(-log_probs[np.arange(len(labels)), labels].mean())


def test_stacker_fit_beats_bare_head() -> None:
    head, cues, labels = separable_problem()
    stacker = Stacker.fit(head, cues, labels)
    stacked = stacker.log_probs(head, cues)
    assert stacked.shape == head.shape
    np.testing.assert_allclose(np.exp(stacked).sum(axis=1), 1.0, rtol=1e-5)
    assert (stacked.argmax(1) == labels).sum() > (head.argmax(1) == labels).sum()
    assert nll(stacked, labels) < nll(head, labels)
    # It also generalises to fresh draws of the same problem.
    head2, cues2, labels2 = separable_problem(seed=1)
    assert (stacker.log_probs(head2, cues2).argmax(1) == labels2).sum() > (head2.argmax(1) == labels2).sum()


def test_stacker_starts_from_trusting_the_head() -> None:
    head, cues, labels = separable_problem(n=50)
    stacker = Stacker.fit(head, cues, labels, steps=0)
    # No steps: identity over the head log-probs, zero weight on cues, so the head passes through.
    np.testing.assert_allclose(stacker.log_probs(head, cues), log_softmax(head), atol=1e-5)
    assert stacker.weights.shape == (head.shape[1] + N_CUES, head.shape[1])
    assert stacker.bias.shape == (head.shape[1],)
    assert stacker.mean.shape == stacker.scale.shape == (N_CUES,)


def test_stacker_handles_constant_cues() -> None:
    head, cues, labels = separable_problem(n=60)
    cues[:, 5] = 2.0  # zero variance: the scale's epsilon keeps it finite
    stacker = Stacker.fit(head, cues, labels, steps=50)
    assert np.isfinite(stacker.log_probs(head, cues)).all()


def test_stacker_json_round_trip() -> None:
    head, cues, labels = separable_problem(n=120)
    stacker = Stacker.fit(head, cues, labels, steps=100)
    data = json.loads(json.dumps(stacker.to_json()))
    assert set(data) == {"weights", "bias", "mean", "scale"}
    restored = Stacker.from_json(data)
    for key in ("weights", "bias", "mean", "scale"):
        assert getattr(restored, key).shape == np.asarray(getattr(stacker, key)).shape
        np.testing.assert_allclose(getattr(restored, key), getattr(stacker, key), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(restored.log_probs(head, cues), stacker.log_probs(head, cues), atol=1e-4)
    # A second trip is exact.
    assert Stacker.from_json(json.loads(json.dumps(restored.to_json()))).to_json() == restored.to_json()


def test_shipped_stacker_loads() -> None:
    path = DEFAULT_MODEL_DIR / "model.json"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    data = json.loads(path.read_text()).get("stacker")
    if not data:
        pytest.skip("shipped model has no stacker")
    stacker = Stacker.from_json(data)
    n = len(NAMES)
    assert stacker.weights.shape == (n + N_CUES, n)
    cues = span_cues(ARTICLE, 0, 19)[None, :]
    out = stacker.log_probs(np.full((1, n), -math.log(n), np.float32), cues)
    assert out.shape == (1, n)
    np.testing.assert_allclose(np.exp(out).sum(), 1.0, rtol=1e-5)


def test_a_refiner_saved_without_members_loads_as_one(tmp_path) -> None:
    rng = np.random.default_rng(0)
    shapes = {"proj_w": (4, 25), "proj_b": (4,), "conv_w": (8, 4, 3), "conv_b": (8,), "out_w": (9, 8), "out_b": (9,)}
    arrays = {key: rng.normal(size=shape).astype(np.float32) for key, shape in shapes.items()}
    np.savez(tmp_path / "old.npz", **arrays)
    np.savez(tmp_path / "new.npz", **{key: array[None] for key, array in arrays.items()})
    states, roles = rng.normal(size=(5, 16)).astype(np.float32), np.full((5, 3, 3), 1 / 3, np.float32)
    old, new = (RoleRefiner.load(tmp_path / name).refine(states, roles) for name in ("old.npz", "new.npz"))
    assert np.array_equal(old, new)
