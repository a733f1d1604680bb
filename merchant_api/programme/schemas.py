"""Request bodies for programme records (decoded strictly: unknown fields are refused)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import msgspec

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class VisitIn(msgspec.Struct, forbid_unknown_fields=True):
    visited_on: date
    findings: Text
    agreed_actions: Text
    follow_up_on: date | None = None


class AttendanceIn(msgspec.Struct, forbid_unknown_fields=True):
    shop_id: uuid.UUID
    attendees: Annotated[int, msgspec.Meta(ge=1, le=500)]


class CourseIn(msgspec.Struct, forbid_unknown_fields=True):
    held_on: date
    place: Short
    topic: Short
    street_id: uuid.UUID | None = None
    attendance: Annotated[list[AttendanceIn], msgspec.Meta(max_length=200)] = []


class RegisteredServiceIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    evidence: Annotated[str, msgspec.Meta(min_length=10, max_length=1000)]
    started_on: date


class TargetIn(msgspec.Struct, forbid_unknown_fields=True):
    target: Annotated[int, msgspec.Meta(ge=0, le=10**12)]


class DemographicsIn(msgspec.Struct, forbid_unknown_fields=True):
    gender: str
    age_group: str
