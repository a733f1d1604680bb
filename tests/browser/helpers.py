"""Calls to the live app's JSON API as a demo account, for arranging and checking."""

from __future__ import annotations

import httpx

PASSWORD = "onestreet-demo"  # the public demo password


def api_as(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=20)
    answer = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    answer.raise_for_status()
    client.headers["x-csrf-token"] = answer.json()["csrf_token"]
    return client


def open_all_day(base: str, shop_id: str) -> None:
    """No weekly hours means open: the suite may run at any hour in Taipei."""
    admin = api_as(base, "admin@demo.onestreet.tw")
    answer = admin.put(f"/api/shops/{shop_id}/hours", json={"periods": []})
    answer.raise_for_status()
