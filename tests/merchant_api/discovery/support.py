"""Small helpers for reading search answers."""

from __future__ import annotations

from typing import Any


def names(client, path: str, **params: Any) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/search/{path}", params=params)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def problem_keys(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code in (400, 422), response.text
    details = response.json()["error"].get("details") or {}
    return {problem["key"] for problem in details.get("problems", [])}
