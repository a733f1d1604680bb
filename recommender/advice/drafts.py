"""What one piece of advice is before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MEASURE_DAYS = 28  # the effect is measured over four weeks after the owner marks it done


@dataclass
class AdviceDraft:
    kind: str
    expected_value_minor: int
    title: dict[str, str]
    body: dict[str, str]
    expected_effect: dict[str, str]
    evidence: dict[str, Any]
    measurement: dict[str, Any]
    chart: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
