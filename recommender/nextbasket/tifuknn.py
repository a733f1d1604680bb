"""TIFU-KNN (Hu et al., SIGIR 2020): time-decayed personal item frequencies blended with the
frequencies of similar customers.

A customer's vector weights recent baskets more (within a group of baskets by
`within_decay`, across groups by `group_decay`); the prediction is
`alpha * own vector + (1 - alpha) * mean vector of the k nearest customers`, so repeat
purchases dominate and neighbours add items the customer has not bought yet (explore).
Zero-score ties fall back to global popularity, so a basket is always full.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from recommender.nextbasket.baselines import item_popularity
from recommender.nextbasket.data import Histories


@dataclass(frozen=True)
class TifuParams:
    groups: int = 7
    within_decay: float = 0.9
    group_decay: float = 0.7
    neighbours: int = 300
    alpha: float = 0.7

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def _basket_weights(n_baskets: int, p: TifuParams) -> np.ndarray:
    """Weight of each basket (oldest first) in the customer's vector."""
    n_groups = min(p.groups, n_baskets)
    # Split into n_groups consecutive blocks; earlier blocks take the remainder, as TIFU does.
    sizes = [
        n_baskets // n_groups + (1 if i < n_baskets % n_groups else 0) for i in range(n_groups)
    ]
    weights = []
    for g, size in enumerate(sizes):
        group_weight = p.group_decay ** (n_groups - 1 - g) / n_groups
        for j in range(size):
            weights.append(group_weight * p.within_decay ** (size - 1 - j) / size)
    return np.asarray(weights)


class TifuKnn:
    name = "TIFU-KNN"

    def __init__(self, params: TifuParams | None = None, metric: str = "euclidean") -> None:
        self.metric = metric
        self.params = params or TifuParams()

    def fit(self, history: Histories) -> TifuKnn:
        """Build every customer's vector; customers' histories are also the neighbour pool."""
        self.popular = item_popularity(history)
        self.items = np.asarray(sorted(set(self.popular)))
        column = {item: i for i, item in enumerate(self.items)}
        self.users = list(history)
        self.row = {u: i for i, u in enumerate(self.users)}
        rows, cols, vals = [], [], []
        for r, user in enumerate(self.users):
            baskets = history[user]
            for basket, weight in zip(
                baskets, _basket_weights(len(baskets), self.params), strict=False
            ):
                for item in set(basket):
                    rows.append(r)
                    cols.append(column[item])
                    vals.append(weight)
        shape = (len(self.users), len(self.items))
        self.vectors = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=shape
        )
        n = min(self.params.neighbours + 1, len(self.users))
        self.knn = NearestNeighbors(n_neighbors=n, metric=self.metric, algorithm="brute")
        self.knn.fit(self.vectors)
        # A vanishing popularity prior orders the items no one near the customer bought.
        prior = np.zeros(len(self.items), dtype=np.float32)
        for rank, item in enumerate(self.popular):
            prior[column[item]] = 1e-6 * (1.0 - rank / len(self.popular))
        self.prior = prior
        return self

    def scores(self, users: list[str]) -> np.ndarray:
        """Dense score rows for known customers (unknown ones get the popularity prior)."""
        known = [u for u in users if u in self.row]
        out = np.tile(self.prior, (len(users), 1))
        if not known:
            return out
        idx = np.asarray([self.row[u] for u in known])
        own = self.vectors[idx]
        _, neigh = self.knn.kneighbors(own)
        # Row i of `averaging` holds 1/k for each of customer i's neighbours (never itself).
        k = self.params.neighbours
        rows, cols = [], []
        for i, (r, nbrs) in enumerate(zip(idx, neigh, strict=False)):
            nbrs = nbrs[nbrs != r][:k]
            rows.extend([i] * len(nbrs))
            cols.extend(nbrs.tolist())
        counts = np.bincount(rows, minlength=len(known)).clip(min=1)
        averaging = sparse.csr_matrix(
            (1.0 / counts[rows], (rows, cols)), shape=(len(known), len(self.users))
        )
        a = self.params.alpha
        blended = (a * own + (1 - a) * (averaging @ self.vectors)).toarray()
        positions = {u: i for i, u in enumerate(users)}
        for j, user in enumerate(known):
            out[positions[user]] += blended[j]
        return out

    def recommend(self, users: list[str], k: int, chunk: int = 512) -> dict[str, list[int]]:
        answer: dict[str, list[int]] = {}
        for start in range(0, len(users), chunk):
            part = users[start : start + chunk]
            s = self.scores(part)
            top = np.argpartition(-s, min(k, s.shape[1] - 1), axis=1)[:, :k]
            for user, row, cand in zip(part, s, top, strict=False):
                order = cand[np.argsort(-row[cand], kind="stable")]
                answer[user] = self.items[order].tolist()
        return answer
