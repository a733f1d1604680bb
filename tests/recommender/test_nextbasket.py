"""Next-basket metrics, baselines and TIFU-KNN on small data where the answer is known."""

from __future__ import annotations

import math
import random

import pytest

from recommender.nextbasket.baselines import GPTopFreq, GTopFreq, PTopFreq
from recommender.nextbasket.data import BasketDataset, split_users
from recommender.nextbasket.evaluate import run_backtest
from recommender.nextbasket.metrics import ndcg_at_k, recall_at_k
from recommender.nextbasket.tifuknn import TifuKnn, TifuParams


def test_metrics_follow_the_reality_check_definitions():
    truth = [1, 2, 3, 4]
    assert recall_at_k(truth, [1, 9, 3], 10) == 0.5
    assert recall_at_k(truth, [9, 9, 1], 2) == 0.0
    # NDCG: hits at ranks 1 and 3; the ideal DCG spans all four true items (not min(4, k)).
    ideal = sum(1 / math.log2(i + 2) for i in range(4))
    assert ndcg_at_k(truth, [1, 9, 3], 3) == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert ndcg_at_k([5], [5], 10) == 1.0


def test_baselines_rank_frequency_then_fill_with_popularity():
    history = {"a": [[1, 2], [1], [3]], "b": [[7], [7, 8]], "c": [[7, 9]]}
    assert GTopFreq().fit(history).recommend(["a"], 2)["a"] == [7, 1]
    # Ties keep the order of first purchase (2 before 3), as the published code does.
    assert PTopFreq().fit(history).recommend(["a"], 3)["a"] == [1, 2, 3]
    assert GPTopFreq().fit(history).recommend(["c"], 3)["c"] == [7, 9, 1]


def _two_tribes(n: int = 120, seed: int = 1) -> BasketDataset:
    """Two groups of customers: each next basket repeats their own staple and adds the
    group's second item, which only the neighbours (not their own history) reveal."""
    rng = random.Random(seed)
    history, future = {}, {}
    for u in range(n):
        tribe = u % 2
        staple, second = (10, 11) if tribe else (20, 21)
        baskets = [[staple] + ([second] if rng.random() < 0.6 else []) for _ in range(5)]
        key = str(u)
        if u % 7 == 0:  # some never bought the second item themselves
            baskets = [[staple] for _ in range(5)]
        history[key] = baskets
        future[key] = [staple, second]
    return BasketDataset(history=history, future=future)


def test_tifu_knn_adds_what_similar_customers_buy():
    data = _two_tribes()
    model = TifuKnn(TifuParams(groups=1, neighbours=20, alpha=0.5), metric="cosine").fit(
        data.history
    )
    loner = "0"  # tribe 0, never bought 21 themselves
    assert 21 not in {i for b in data.history[loner] for i in b}
    assert model.recommend([loner], 2)[loner] == [20, 21]
    p_top = PTopFreq().fit(data.history).recommend([loner], 2)[loner]
    assert 21 not in p_top


def test_backtest_reports_every_model_over_the_splits():
    data = _two_tribes()
    grid = [TifuParams(groups=1, neighbours=20, alpha=a) for a in (0.3, 0.5)]
    results = run_backtest(data, seeds=(0, 1), k=2, grid=grid)
    by_name = {r.name: r for r in results}
    assert set(by_name) == {"G-TopFreq", "P-TopFreq", "GP-TopFreq", "TIFU-KNN"}
    assert all(len(r.recall) == 2 and len(r.ndcg) == 2 for r in results)
    tifu, gp = by_name["TIFU-KNN"], by_name["GP-TopFreq"]
    assert all(t > g for t, g in zip(tifu.recall, gp.recall, strict=True))


def test_user_splits_are_disjoint_and_cover_everyone():
    users = [str(i) for i in range(100)]
    split = split_users(users, seed=3)
    assert len(split.test) == 20
    assert not set(split.test) & set(split.train) and not set(split.validation) & set(split.test)
    assert sorted(split.train + split.validation + split.test) == sorted(users)
