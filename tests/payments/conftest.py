"""Payment link tests reuse the merchant API's small programme (streets, shops, people)."""

from __future__ import annotations

from tests.merchant_api.conftest import World, caller, world  # noqa: F401
