"""Basket histories: the in-memory shape every model takes, loaders and user splits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# customer key -> baskets oldest first, each a list of item ids
Histories = dict[str, list[list[int]]]


@dataclass(frozen=True)
class BasketDataset:
    history: Histories
    future: dict[str, list[int]]  # customer key -> the next basket (the truth)

    @property
    def users(self) -> list[str]:
        return sorted(self.history, key=_natural)


@dataclass(frozen=True)
class UserSplit:
    train: list[str]
    validation: list[str]
    test: list[str]


def _natural(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isdigit() else (1 << 62, key)


def _strip_markers(baskets: list[list[int]]) -> list[list[int]]:
    # The reality-check files wrap every sequence in [-1] sentinels.
    return [b for b in baskets if b and b != [-1]]


def load_tafeng(directory: Path) -> BasketDataset:
    """Read tafeng_history.json and tafeng_future.json (Li et al., TOIS 2023)."""
    history_raw = json.loads((directory / "tafeng_history.json").read_text())
    future_raw = json.loads((directory / "tafeng_future.json").read_text())
    history: Histories = {}
    future: dict[str, list[int]] = {}
    for user, baskets in history_raw.items():
        past = _strip_markers(baskets)
        nxt = _strip_markers(future_raw.get(user, []))
        if past and nxt:
            history[user] = past
            future[user] = nxt[0]
    return BasketDataset(history=history, future=future)


def holdout_last_basket(history: Histories, min_baskets: int = 2) -> BasketDataset:
    """Turn plain histories into (history, next basket) pairs: the last basket is the truth."""
    past = {u: b[:-1] for u, b in history.items() if len(b) >= min_baskets}
    return BasketDataset(history=past, future={u: history[u][-1] for u in past})


def split_users(
    users: list[str], seed: int, test_share: float = 0.2, validation_share: float = 0.1
) -> UserSplit:
    """A random user split: test users are never seen while choosing hyperparameters."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(users))
    n_test = round(len(users) * test_share)
    n_val = round((len(users) - n_test) * validation_share)
    test = [users[i] for i in order[:n_test]]
    validation = [users[i] for i in order[n_test : n_test + n_val]]
    train = [users[i] for i in order[n_test + n_val :]]
    return UserSplit(train=train, validation=validation, test=test)
