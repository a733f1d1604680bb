"""Advice errors with stable codes."""

from __future__ import annotations

from infra.errors import Conflict, NotFound


class AdviceNotFound(NotFound):
    code = "advice_not_found"


class AdviceWrongState(Conflict):
    code = "advice_wrong_state"
