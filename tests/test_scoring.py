"""Tests for propwatch.scoring: SemEval-2020 Task 11 SI and TC metrics on hand-computed cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propwatch.ptc import LabelRow
from propwatch.scoring import (
    PRF,
    ScoredRow,
    malformed_share,
    malformed_speaker,
    match_contents,
    merge_intervals,
    ratio_interval,
    reliability,
    right_speaker,
    score_attributions,
    score_end_to_end,
    score_si,
    score_speakers,
    score_tc,
    speaker_counts,
)


def si(*rows: tuple[str, int, int]) -> list[LabelRow]:
    return [LabelRow(a, s, e) for a, s, e in rows]


def tc(*rows: tuple[str, str, int, int]) -> list[LabelRow]:
    return [LabelRow(a, s, e, t) for a, t, s, e in rows]


def close(result: PRF, precision: float, recall: float, f1: float) -> None:
    assert result.precision == pytest.approx(precision)
    assert result.recall == pytest.approx(recall)
    assert result.f1 == pytest.approx(f1)


# --- PRF -------------------------------------------------------------------------------------


def test_prf_of() -> None:
    close(PRF.of(1.0, 1.0), 1.0, 1.0, 1.0)
    close(PRF.of(0.0, 0.0), 0.0, 0.0, 0.0)  # undefined F1 is 0, not a ZeroDivisionError
    close(PRF.of(1.0, 0.0), 1.0, 0.0, 0.0)
    # 2 * 0.5 * 0.25 / 0.75 = 0.25 / 0.75 = 1/3
    close(PRF.of(0.5, 0.25), 0.5, 0.25, 1 / 3)


# --- merge_intervals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], []),
        ([(0, 5)], [(0, 5)]),
        ([(5, 10), (0, 3), (2, 6)], [(0, 10)]),  # chain of overlaps, given unsorted
        ([(0, 10), (2, 3)], [(0, 10)]),  # nested
        ([(0, 5), (5, 9)], [(0, 5), (5, 9)]),  # touching intervals share no character: kept apart
        ([(0, 5), (7, 9)], [(0, 5), (7, 9)]),
        ([(3, 3), (6, 2), (1, 2)], [(1, 2)]),  # empty and reversed intervals dropped
        ([(0, 4), (0, 4)], [(0, 4)]),  # duplicates
    ],
)
def test_merge_intervals(spans: list[tuple[int, int]], expected: list[tuple[int, int]]) -> None:
    assert merge_intervals(spans) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=15))
def test_merge_intervals_property(spans: list[tuple[int, int]]) -> None:
    merged = merge_intervals(spans)
    covered = {i for s, e in spans for i in range(s, e)}
    assert {i for s, e in merged for i in range(s, e)} == covered
    for s, e in merged:
        assert s < e
    for (_, e1), (s2, _) in itertools.pairwise(merged):
        assert e1 <= s2  # sorted and disjoint
    assert merge_intervals(merged) == merged


# --- SI --------------------------------------------------------------------------------------


def test_si_exact_match() -> None:
    gold = si(("a", 10, 20), ("a", 30, 45), ("b", 0, 7))
    close(score_si(gold, gold), 1.0, 1.0, 1.0)


def test_si_prediction_covers_half_of_gold() -> None:
    # gold [0, 20), predicted [0, 10): overlap 10.
    # P = 10/10 = 1; R = 10/20 = 0.5; F1 = 2 * 1 * 0.5 / 1.5 = 2/3.
    close(score_si(si(("a", 0, 10)), si(("a", 0, 20))), 1.0, 0.5, 2 / 3)


def test_si_prediction_overhangs_gold() -> None:
    # gold [0, 10), predicted [5, 25): overlap 5.
    # P = 5/20 = 0.25; R = 5/10 = 0.5; F1 = 2 * 0.125 / 0.75 = 1/3.
    close(score_si(si(("a", 5, 25)), si(("a", 0, 10))), 0.25, 0.5, 1 / 3)


def test_si_overlapping_predictions_are_merged_first() -> None:
    # Predicted [0, 10) and [5, 15) merge into [0, 15), which equals the gold span: P = R = 1.
    # (Unmerged, recall would be (10/15 + 10/15) / 1 = 4/3, above 1.)
    close(score_si(si(("a", 0, 10), ("a", 5, 15)), si(("a", 0, 15))), 1.0, 1.0, 1.0)


def test_si_overlapping_gold_is_merged_too() -> None:
    # Gold [0, 10) and [5, 15) (one stretch labelled with two techniques) merge into [0, 15).
    # Predicted [0, 15): P = 15/15 = 1; R = 15/15 over 1 merged gold span = 1.
    close(score_si(si(("a", 0, 15)), si(("a", 0, 10), ("a", 5, 15))), 1.0, 1.0, 1.0)


def test_si_touching_predictions_stay_two_spans() -> None:
    # Predicted [0, 5) and [5, 10) do not overlap, so they stay two spans; gold [0, 10).
    # P = (5/5 + 5/5) / 2 = 1; R = (5/10 + 5/10) / 1 = 1.
    close(score_si(si(("a", 0, 5), ("a", 5, 10)), si(("a", 0, 10))), 1.0, 1.0, 1.0)


def test_si_one_prediction_over_two_gold_spans() -> None:
    # Gold [0, 10) and [20, 30); predicted [5, 25) overlaps each by 5 characters.
    # P = (5/20 + 5/20) / 1 = 0.5; R = (5/10 + 5/10) / 2 = 0.5; F1 = 0.5.
    close(score_si(si(("a", 5, 25)), si(("a", 0, 10), ("a", 20, 30))), 0.5, 0.5, 0.5)


def test_si_predictions_in_article_without_gold() -> None:
    # Article b has no gold: its prediction counts in the precision denominator only.
    # P = (1 + 0) / 2 = 0.5; R = 10/10 / 1 = 1; F1 = 2 * 0.5 / 1.5 = 2/3.
    close(score_si(si(("a", 0, 10), ("b", 0, 10)), si(("a", 0, 10))), 0.5, 1.0, 2 / 3)


def test_si_same_offsets_in_different_articles_do_not_match() -> None:
    close(score_si(si(("b", 0, 10)), si(("a", 0, 10))), 0.0, 0.0, 0.0)


def test_si_no_predictions() -> None:
    close(score_si([], si(("a", 0, 10))), 0.0, 0.0, 0.0)
    close(score_si([], []), 0.0, 0.0, 0.0)
    close(score_si(si(("a", 0, 10)), []), 0.0, 0.0, 0.0)


def test_si_ignores_technique_and_row_order() -> None:
    gold = tc(("a", "Doubt", 0, 10), ("a", "Slogans", 20, 30))
    pred = si(("a", 20, 30), ("a", 0, 10))
    close(score_si(pred, gold), 1.0, 1.0, 1.0)


def test_si_accepts_generators() -> None:
    gold = si(("a", 0, 20))
    close(score_si((r for r in si(("a", 0, 10))), (r for r in gold)), 1.0, 0.5, 2 / 3)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 50), st.integers(1, 20)), max_size=8),
    st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 50), st.integers(1, 20)), max_size=8),
)
def test_si_scores_bounded(pred_rows: list[tuple[str, int, int]], gold_rows: list[tuple[str, int, int]]) -> None:
    pred = [LabelRow(a, s, s + n) for a, s, n in pred_rows]
    gold = [LabelRow(a, s, s + n) for a, s, n in gold_rows]
    result = score_si(pred, gold)
    for value in (result.precision, result.recall, result.f1):
        assert 0.0 <= value <= 1.0 + 1e-9
    if gold:
        close(score_si(gold, gold), 1.0, 1.0, 1.0)


# --- TC --------------------------------------------------------------------------------------


def test_tc_exact_match() -> None:
    gold = tc(("a", "Slogans", 0, 10), ("a", "Repetition", 0, 10), ("b", "Doubt", 3, 8))
    micro, per = score_tc(gold, gold)
    close(micro, 1.0, 1.0, 1.0)
    assert set(per) == {"Slogans", "Repetition", "Doubt"}
    for result in per.values():
        close(result, 1.0, 1.0, 1.0)


def test_tc_multiset_matching() -> None:
    # Gold labels [0, 10) twice (Slogans and Repetition) and [20, 30) as Doubt.
    # Predicted: Slogans twice on [0, 10), Loaded_Language on [20, 30).
    # Each gold row matches at most once, so only one Slogans prediction hits: 1 hit.
    # Micro P = 1/3, R = 1/3, F1 = 1/3.
    gold = tc(("a", "Slogans", 0, 10), ("a", "Repetition", 0, 10), ("a", "Doubt", 20, 30))
    pred = tc(("a", "Slogans", 0, 10), ("a", "Slogans", 0, 10), ("a", "Loaded_Language", 20, 30))
    micro, per = score_tc(pred, gold)
    close(micro, 1 / 3, 1 / 3, 1 / 3)
    assert list(per) == ["Doubt", "Loaded_Language", "Repetition", "Slogans"]
    # Slogans: 1 hit of 2 predicted, 1 gold: P = 0.5, R = 1, F1 = 2 * 0.5 / 1.5 = 2/3.
    close(per["Slogans"], 0.5, 1.0, 2 / 3)
    # Repetition and Doubt: never predicted; Loaded_Language: never gold.
    close(per["Repetition"], 0.0, 0.0, 0.0)
    close(per["Doubt"], 0.0, 0.0, 0.0)
    close(per["Loaded_Language"], 0.0, 0.0, 0.0)


def test_tc_distinct_techniques_on_shared_span_both_count() -> None:
    # Predicting both techniques of a doubly-labelled span gets both: P = R = 2/3 hits of 3.
    gold = tc(("a", "Slogans", 0, 10), ("a", "Repetition", 0, 10), ("a", "Doubt", 20, 30))
    pred = tc(("a", "Repetition", 0, 10), ("a", "Slogans", 0, 10), ("a", "Slogans", 20, 30))
    micro, per = score_tc(pred, gold)
    # Hits: Slogans [0,10), Repetition [0,10) -> 2 of 3 predicted, 2 of 3 gold.
    close(micro, 2 / 3, 2 / 3, 2 / 3)
    # Slogans: predicted twice, 1 hit; gold once -> P = 1/2, R = 1, F1 = 2/3.
    close(per["Slogans"], 0.5, 1.0, 2 / 3)
    close(per["Repetition"], 1.0, 1.0, 1.0)
    close(per["Doubt"], 0.0, 0.0, 0.0)


def test_tc_duplicate_gold_rows() -> None:
    # Gold has the same row twice; one prediction matches one of them.
    # P = 1/1 = 1; R = 1/2 = 0.5; F1 = 2/3.
    gold = tc(("a", "Slogans", 0, 10), ("a", "Slogans", 0, 10))
    micro, per = score_tc(tc(("a", "Slogans", 0, 10)), gold)
    close(micro, 1.0, 0.5, 2 / 3)
    close(per["Slogans"], 1.0, 0.5, 2 / 3)


def test_tc_requires_exact_offsets_and_article() -> None:
    gold = tc(("a", "Doubt", 0, 10))
    for pred in (tc(("a", "Doubt", 0, 9)), tc(("a", "Doubt", 1, 10)), tc(("b", "Doubt", 0, 10))):
        micro, per = score_tc(pred, gold)
        close(micro, 0.0, 0.0, 0.0)
        close(per["Doubt"], 0.0, 0.0, 0.0)


def test_tc_per_technique_precision_recall_differ() -> None:
    # Doubt: gold 4 rows, predicted 2 rows, both hits -> P = 2/2 = 1, R = 2/4 = 0.5, F1 = 2/3.
    # Slogans: gold 1 row, predicted 3 rows (one hit) -> P = 1/3, R = 1, F1 = 2 * (1/3) / (4/3) = 0.5.
    # Micro: 3 hits / 5 predicted = 0.6, 3 hits / 5 gold = 0.6, F1 = 0.6.
    gold = tc(*(("a", "Doubt", 10 * i, 10 * i + 5) for i in range(4)), ("a", "Slogans", 50, 55))
    pred = tc(
        ("a", "Doubt", 0, 5),
        ("a", "Doubt", 10, 15),
        ("a", "Slogans", 50, 55),
        ("a", "Slogans", 60, 65),
        ("a", "Slogans", 70, 75),
    )
    micro, per = score_tc(pred, gold)
    close(micro, 0.6, 0.6, 0.6)
    close(per["Doubt"], 1.0, 0.5, 2 / 3)
    close(per["Slogans"], 1 / 3, 1.0, 0.5)


def test_tc_empty() -> None:
    micro, per = score_tc([], [])
    close(micro, 0.0, 0.0, 0.0)
    assert per == {}
    micro, per = score_tc([], tc(("a", "Doubt", 0, 4)))
    close(micro, 0.0, 0.0, 0.0)
    close(per["Doubt"], 0.0, 0.0, 0.0)


def test_tc_per_technique_skips_unlabelled_rows() -> None:
    micro, per = score_tc(si(("a", 0, 4)), si(("a", 0, 4)))
    close(micro, 1.0, 1.0, 1.0)
    assert per == {}


# ---------------------------------------------------------------- attributions (issue 3's metric)


def test_content_match_needs_half_of_the_longer():
    # overlap 5 of lengths 10 and 6: 5 >= 10/2 matches; overlap 4 of 10 and 4 does not (4 < 5)
    assert match_contents([(0, 10)], [(5, 11)]) == [(0, 0)]
    assert match_contents([(0, 10)], [(6, 10)]) == []


def test_matching_is_one_to_one_greedy_by_overlap():
    # both predictions overlap gold 0; the larger overlap (pred 1) takes it
    assert match_contents([(0, 10), (0, 12)], [(0, 12)]) == [(1, 0)]


def test_attribution_scores_need_source_overlap_or_both_absent():
    gold = {"t": [((0, 10), (20, 25)), ((30, 40), None), ((50, 60), (70, 75))]}
    pred = {"t": [((0, 10), (21, 24)), ((30, 40), None), ((50, 60), (80, 85)), ((90, 95), None)]}
    scores = score_attributions(pred, gold)
    assert scores.content.precision == pytest.approx(3 / 4)
    assert scores.content.recall == pytest.approx(1.0)
    assert scores.attribution.precision == pytest.approx(2 / 4)
    assert scores.attribution.recall == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("predicted", "gold", "right"),
    [
        ("Trump", "Donald Trump", True),
        ("Donald Trump", "Donald Trump", True),
        ("Donald", "Donald Trump", False),
        ("In Mujahir", "Abu Mujahir", False),
        ("Mary Alvord.", "Mary Alvord", True),
        ("James O’Neill", "James O'Neill", True),
        (None, "Donald Trump", False),
    ],
)
def test_right_speaker_is_a_subset_with_the_last_word(predicted: str | None, gold: str, right: bool) -> None:
    assert right_speaker(predicted, gold) is right


@pytest.mark.parametrize(
    ("speaker", "malformed"),
    [
        ("Donald Trump. Priorities USA", True),
        ("Mary Alvord.", True),
        ("In Mujahir", True),
        ("who himself", True),
        ("If", True),
        ("he", True),
        ("Donald J. Trump", False),
        ("Mr. Obama", False),
        ("John Roberts Jr.", False),
        ("campaign spokesman", False),
        ("us", True),
        ("US", False),
        ("47%", False),
        ("47%,", True),
        (None, False),
    ],
)
def test_malformed_speaker(speaker: str | None, malformed: bool) -> None:
    assert malformed_speaker(speaker) is malformed


def test_speaker_accuracy_counts_matched_gold_with_a_speaker_only() -> None:
    predicted = {"a": [((0, 10), "Trump"), ((20, 30), "In Mujahir"), ((40, 50), "Lee")]}
    gold = {"a": [((0, 10), "Donald Trump"), ((20, 30), "Abu Mujahir"), ((40, 50), None), ((60, 70), "Kim")]}
    assert score_speakers(predicted, gold) == (0.5, 2)
    assert malformed_share(["Trump", "In Mujahir", None, "she"]) == 0.5


def test_speaker_counts_are_per_text_and_skip_texts_without_a_matched_speaker() -> None:
    predicted = {"a": [((0, 10), "Trump"), ((20, 30), "Lee")], "b": [((0, 10), "Kim")]}
    gold = {"a": [((0, 10), "Donald Trump"), ((20, 30), "Abu Mujahir")], "b": [((0, 10), None)], "c": []}
    assert speaker_counts(predicted, gold) == {"a": (1, 2)}


def test_ratio_interval_holds_the_pooled_ratio_and_narrows_with_more_units() -> None:
    rng = np.random.default_rng(0)
    sizes = rng.integers(5, 40, size=400)
    right = rng.binomial(sizes, 0.8)
    few = ratio_interval(right[:10], sizes[:10])
    many = ratio_interval(right, sizes)
    assert few is not None and many is not None
    assert many[0] <= right.sum() / sizes.sum() <= many[1]
    assert many[1] - many[0] < few[1] - few[0]
    assert ratio_interval(right, sizes) == many  # seeded: the same figures, the same interval
    assert ratio_interval([3], [4]) == (0.75, 0.75)  # one unit says nothing about the spread
    assert ratio_interval([], []) is None and ratio_interval([0], [0]) is None


# --- end to end ------------------------------------------------------------------------------


def scored(*rows: tuple[str, str, int, int, float]) -> list[ScoredRow]:
    return [ScoredRow(LabelRow(a, s, e, t), score) for a, t, s, e, score in rows]


def test_end_to_end_needs_overlap_and_the_same_technique() -> None:
    gold = tc(("1", "Loaded_Language", 10, 20), ("1", "Doubt", 30, 40))
    predicted = scored(("1", "Loaded_Language", 15, 25, 0.9), ("1", "Loaded_Language", 30, 40, 0.8))
    result = score_end_to_end(predicted, gold)
    assert result.right == [True, False]
    close(result.prf, 0.5, 0.5, 0.5)


def test_end_to_end_matches_one_to_one() -> None:
    gold = tc(("1", "Doubt", 10, 20))
    predicted = scored(("1", "Doubt", 10, 14, 0.3), ("1", "Doubt", 12, 20, 0.7))
    result = score_end_to_end(predicted, gold)
    assert result.right == [False, True]  # the higher score takes the one gold span
    close(result.prf, 0.5, 1.0, 2 / 3)


def test_end_to_end_articles_are_apart() -> None:
    assert score_end_to_end(scored(("2", "Doubt", 10, 20, 0.5)), tc(("1", "Doubt", 10, 20))).right == [False]


def test_average_precision_rewards_right_spans_ranked_first() -> None:
    gold = tc(("1", "Doubt", 0, 5), ("1", "Doubt", 10, 15))
    good = scored(("1", "Doubt", 0, 5, 0.9), ("1", "Doubt", 10, 15, 0.8), ("1", "Doubt", 20, 25, 0.1))
    bad = scored(("1", "Doubt", 0, 5, 0.2), ("1", "Doubt", 10, 15, 0.1), ("1", "Doubt", 20, 25, 0.9))
    assert score_end_to_end(good, gold).average_precision == pytest.approx(1.0)
    assert score_end_to_end(bad, gold).average_precision == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert score_end_to_end(good, gold).prf == score_end_to_end(bad, gold).prf


def test_end_to_end_empty() -> None:
    result = score_end_to_end([], tc(("1", "Doubt", 0, 5)))
    assert (result.prf, result.average_precision, result.right) == (PRF(0.0, 0.0, 0.0), 0.0, [])


def test_reliability_of_a_calibrated_and_an_overconfident_score() -> None:
    right = [True] * 3 + [False] * 7 + [True] * 8 + [False] * 2
    calibrated = reliability([0.3] * 10 + [0.8] * 10, right)
    assert calibrated.ece == pytest.approx(0.0)
    assert [(low, count) for low, _, count, _, _ in calibrated.bins] == [(0.3, 10), (0.8, 10)]
    assert reliability([0.95] * 20, right).ece == pytest.approx(0.95 - 11 / 20)


def test_reliability_puts_a_score_of_one_in_the_last_bin() -> None:
    assert reliability([1.0], [True]).bins == [(0.9, 1.0, 1, 1.0, 1.0)]
