"""The simple baselines of Li et al. (TOIS 2023): G-, P- and GP-TopFreq.

They are the floor every learned model must beat, and reproducing their published numbers
checks our data handling and metric code.
"""

from __future__ import annotations

from collections import Counter

from recommender.nextbasket.data import Histories


def item_popularity(history: Histories) -> list[int]:
    """Items by how many baskets hold them, most popular first (ties: smaller id first)."""
    counts: Counter[int] = Counter()
    for baskets in history.values():
        for basket in baskets:
            counts.update(set(basket))
    return [item for item, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def personal_frequency(baskets: list[list[int]]) -> list[int]:
    """A customer's items by how many of their baskets hold them.

    Ties keep the order of first purchase, as the published P-/GP-TopFreq do (a stable sort
    of a dict filled oldest basket first).
    """
    counts: Counter[int] = Counter()
    for basket in baskets:
        counts.update(dict.fromkeys(basket, 1))
    return sorted(counts, key=lambda item: -counts[item])


class GTopFreq:
    name = "G-TopFreq"

    def fit(self, history: Histories) -> GTopFreq:
        self.popular = item_popularity(history)
        return self

    def recommend(self, users: list[str], k: int) -> dict[str, list[int]]:
        top = self.popular[:k]
        return {user: top for user in users}


class PTopFreq:
    name = "P-TopFreq"

    def fit(self, history: Histories) -> PTopFreq:
        self.history = history
        return self

    def recommend(self, users: list[str], k: int) -> dict[str, list[int]]:
        return {u: personal_frequency(self.history.get(u, []))[:k] for u in users}


class GPTopFreq:
    """Personal frequent items first, the basket filled up with globally popular ones."""

    name = "GP-TopFreq"

    def fit(self, history: Histories) -> GPTopFreq:
        self.history = history
        self.popular = item_popularity(history)
        return self

    def recommend(self, users: list[str], k: int) -> dict[str, list[int]]:
        answer = {}
        for user in users:
            picks = personal_frequency(self.history.get(user, []))[:k]
            if len(picks) < k:
                seen = set(picks)
                picks += [i for i in self.popular[: k + len(seen)] if i not in seen][
                    : k - len(picks)
                ]
            answer[user] = picks
        return answer
