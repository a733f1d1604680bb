"""The programme's KPIs, what each counts, and the plan's yearly targets (ROC years).

docs/kpi-definitions.md is the long form; the API serves these short forms with every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kpi(StrEnum):
    areas = "areas"  # 數位寬頻應用區域
    devices = "devices"  # 智慧互動設備
    services = "services"  # 創新數位應用服務
    uses = "uses"  # 數位應用服務使用人次
    business = "business"  # 促成商機
    courses = "courses"  # 開設數位應用課程


class UseSource(StrEnum):
    payment = "payment"
    order = "order"
    kiosk_session = "kiosk_session"
    hotspot_session = "hotspot_session"
    storefront_visit = "storefront_visit"


class Service(StrEnum):
    """A shop's first use of each platform service is one adoption."""

    mobile_payment = "mobile_payment"
    kiosk_order = "kiosk_order"
    o2o_voucher = "o2o_voucher"
    online_preorder = "online_preorder"


GENDERS = ("female", "male", "other")
AGE_GROUPS = ("<20", "20-29", "30-39", "40-49", "50-64", "65+")
PLAN_YEARS = (106, 107, 108, 109)


@dataclass(frozen=True)
class KpiDefinition:
    kpi: Kpi
    name_zh: str
    name_en: str
    unit: str
    # Targets are in the plan's units (10,000 person-times; NT$100 million); actuals are raw
    # counts or minor units, so target × scale is comparable with the actual.
    target_scale: int
    counts: str
    excludes: str
    plan_targets: dict[int, int]


DEFINITIONS: dict[Kpi, KpiDefinition] = {
    d.kpi: d
    for d in (
        KpiDefinition(
            Kpi.areas,
            "數位寬頻應用區域",
            "Digital broadband application areas",
            "streets",
            1,
            "Streets that joined the programme in the year and now have at least one active "
            "WiFi hotspot and at least one active shop.",
            "Streets with only planned, faulty or retired hotspots; streets with no active shop.",
            {106: 1, 107: 14, 108: 22, 109: 23},
        ),
        KpiDefinition(
            Kpi.devices,
            "智慧互動設備",
            "Smart interaction devices deployed",
            "devices",
            1,
            "Kiosks and interactive displays registered in the year whose status is active.",
            "Hotspots (counted under areas), retired or unpaired devices, phones.",
            {106: 2, 107: 28, 108: 44, 109: 46},
        ),
        KpiDefinition(
            Kpi.services,
            "創新數位應用服務",
            "Innovative digital services brought into use",
            "services",
            1,
            "Each shop's first mobile payment, first kiosk order, first O2O voucher sold and "
            "first online pre-order (one recorded adoption event each), plus services a "
            "consultant registered with evidence; counted in the year they started.",
            "Second and later uses of a service by the same shop; failed payments.",
            {106: 0, 107: 5, 108: 7, 109: 8},
        ),
        KpiDefinition(
            Kpi.uses,
            "數位應用服務使用人次",
            "Uses of the digital services",
            "person-times",
            10_000,
            "Payments, orders, kiosk sessions, hotspot sessions and storefront visits; a known "
            "person counts once per service, shop and day (Asia/Taipei), anonymous uses each once.",
            "Failed payments, staff and device test traffic, repeated uses by one person on the "
            "same day at the same shop and service.",
            {106: 0, 107: 500, 108: 700, 109: 800},
        ),
        KpiDefinition(
            Kpi.business,
            "促成商機",
            "Business generated",
            "TWD",
            100_000_000,
            "Successful payments through the platform (orders paid, vouchers sold, scan-to-pay) "
            "less refunds, orders paid wholly in points (at the points' value), plus completed "
            "orders paid outside the platform; in TWD.",
            "Failed or cancelled payments, cancelled orders, points used for part of a payment "
            "(its money counts).",
            {106: 0, 107: 5, 108: 7, 109: 8},
        ),
        KpiDefinition(
            Kpi.courses,
            "開設數位應用課程",
            "Digital-application courses held",
            "sessions",
            1,
            "Courses recorded with a date, place, topic and attendance, counted by the year held.",
            "Planned courses not yet held; consultant visits (logged separately).",
            {106: 2, 107: 43, 108: 67, 109: 68},
        ),
    )
}


def roc_year(gregorian_year: int) -> int:
    return gregorian_year - 1911


def gregorian_year(roc: int) -> int:
    return roc + 1911
