"""Recall@K and NDCG@K exactly as Li et al. (TOIS 2023) compute them.

Recall = hits in the top K / size of the true basket. NDCG uses binary relevance, and (as in
their evaluation/metrics.py) the ideal DCG sums over every item of the true basket, not
min(|truth|, K): a basket of 15 items can never reach NDCG@10 = 1. Keeping their definition is
what makes our baseline figures comparable with the published ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_DISCOUNT = [1.0 / math.log2(i + 2) for i in range(10_000)]


def recall_at_k(truth: Sequence[int], predicted: Sequence[int], k: int) -> float:
    wanted = set(truth)
    if not wanted:
        return 0.0
    return len(wanted.intersection(predicted[:k])) / len(wanted)


def ndcg_at_k(truth: Sequence[int], predicted: Sequence[int], k: int) -> float:
    wanted = set(truth)
    if not wanted:
        return 0.0
    dcg = sum(_DISCOUNT[i] for i, item in enumerate(predicted[:k]) if item in wanted)
    ideal = sum(_DISCOUNT[i] for i in range(len(wanted)))
    return dcg / ideal


def hit_rate_at_k(truth: Sequence[int], predicted: Sequence[int], k: int) -> float:
    return 1.0 if set(truth).intersection(predicted[:k]) else 0.0
