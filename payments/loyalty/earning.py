"""How many points a payment earns and who funds each of them: a pure calculation.

The order of the lines matters for the daily cap: bonuses are cut before the base points.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from payments.loyalty.ledger import PROGRAMME, Account
from payments.loyalty.models import AccountKind


@dataclass(frozen=True, slots=True)
class EarnInputs:
    amount_minor: int  # money actually paid (points spent earn nothing)
    shop_id: uuid.UUID
    street_id: uuid.UUID | None
    minor_per_point: int
    funded_by: str  # "shop", "street" or "programme"
    campaign_id: uuid.UUID | None
    campaign_multiplier_pct: int
    first_visit: bool
    first_visit_bonus: int
    cap_left: int  # points the consumer may still earn today
    category_multiplier_pct: int = 100  # the shop's category bonus, programme-funded
    # (money paid for a bonus listing, its multiplier): shop-funded extra points
    listing_bonuses: tuple[tuple[int, int], ...] = ()


def base_funder(funded_by: str, shop_id: uuid.UUID, street_id: uuid.UUID | None) -> Account:
    if funded_by == "street" and street_id is not None:
        return Account(AccountKind.pool_street, street_id)
    if funded_by == "programme":
        return Account(AccountKind.pool_programme, PROGRAMME)
    return Account(AccountKind.shop_funded, shop_id)


def earn_lines(inputs: EarnInputs) -> list[tuple[Account, int]]:
    """(funder, points) with points > 0, within the daily cap."""
    base = max(inputs.amount_minor, 0) // inputs.minor_per_point
    wanted: list[tuple[Account, int]] = [
        (base_funder(inputs.funded_by, inputs.shop_id, inputs.street_id), base)
    ]
    if inputs.campaign_id is not None and inputs.campaign_multiplier_pct > 100:
        bonus = base * (inputs.campaign_multiplier_pct - 100) // 100
        wanted.append((Account(AccountKind.pool_campaign, inputs.campaign_id), bonus))
    if inputs.category_multiplier_pct > 100:
        bonus = base * (inputs.category_multiplier_pct - 100) // 100
        wanted.append((Account(AccountKind.pool_programme, PROGRAMME), bonus))
    listing_bonus = sum(
        (max(paid, 0) // inputs.minor_per_point) * (pct - 100) // 100
        for paid, pct in inputs.listing_bonuses
        if pct > 100
    )
    if listing_bonus > 0:
        wanted.append((Account(AccountKind.shop_funded, inputs.shop_id), listing_bonus))
    if inputs.first_visit and base > 0:
        wanted.append((Account(AccountKind.pool_programme, PROGRAMME), inputs.first_visit_bonus))
    left = max(inputs.cap_left, 0)
    granted: list[tuple[Account, int]] = []
    for funder, points in wanted:  # base first: the cap cuts bonuses before base points
        take = min(points, left)
        left -= take
        if take > 0:
            granted.append((funder, take))
    merged: dict[Account, int] = {}
    for funder, points in granted:
        merged[funder] = merged.get(funder, 0) + points
    return list(merged.items())
