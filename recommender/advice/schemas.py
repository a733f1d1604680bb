"""Advice requests and answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from recommender.advice.models import AdviceItem

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
# Only the two languages advice is written in may be edited.
Bilingual = dict[Literal["zh-Hant-TW", "en"], Text]


class AdviceEdit(msgspec.Struct, forbid_unknown_fields=True):
    title: Bilingual | None = None
    body: (
        Annotated[
            dict[
                Literal["zh-Hant-TW", "en"],
                Annotated[str, msgspec.Meta(min_length=1, max_length=2000)],
            ],
            msgspec.Meta(),
        ]
        | None
    ) = None
    note: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


class AdviceReview(msgspec.Struct, forbid_unknown_fields=True):
    note: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


class AdviceFeedback(msgspec.Struct, forbid_unknown_fields=True):
    verdict: Literal["done", "not_useful"]


class GenerateResult(msgspec.Struct):
    shop_id: uuid.UUID
    drafts: int


class AdviceOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    kind: str
    status: str
    rank: int
    expected_value_minor: int
    title: dict[str, str]
    body: dict[str, str]
    expected_effect: dict[str, str]
    evidence: dict[str, Any]
    chart: dict[str, Any] | None
    measurement: dict[str, Any]
    measured_effect: dict[str, Any] | None
    data_from: date
    data_to: date
    consultant_note: str | None
    reviewed_at: datetime | None
    owner_feedback_at: datetime | None
    created_at: datetime


def advice_out(item: AdviceItem, *, reviewer: bool) -> AdviceOut:
    return AdviceOut(
        id=item.id,
        shop_id=item.shop_id,
        kind=item.kind,
        status=item.status,
        rank=item.rank,
        expected_value_minor=item.expected_value_minor,
        title=item.title,
        body=item.body,
        expected_effect=item.expected_effect,
        evidence=item.evidence,
        chart=item.chart,
        measurement=item.measurement,
        measured_effect=item.measured_effect,
        data_from=item.data_from,
        data_to=item.data_to,
        # The consultant's note is for the consultants' side only.
        consultant_note=item.consultant_note if reviewer else None,
        reviewed_at=item.reviewed_at,
        owner_feedback_at=item.owner_feedback_at,
        created_at=item.created_at,
    )
