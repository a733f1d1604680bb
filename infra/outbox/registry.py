"""Which handlers run for which event type. The composition root fills one registry and
gives it to the worker and the in-process relay; nothing registers itself at import time."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox.events import Event

# A handler works in the session it is given and never commits: delivery commits its work
# together with the handled_events row, or rolls both back.
Handler = Callable[[AsyncSession, Event], Awaitable[None]]


@dataclass(frozen=True)
class RegisteredHandler:
    event_type: str
    name: str
    fn: Handler


class HandlerRegistry:
    def __init__(self) -> None:
        self._by_type: dict[str, list[RegisteredHandler]] = {}

    def register(self, event_type: str, handler_name: str, fn: Handler) -> None:
        """Run `fn(session, event)` once per event of `event_type`.

        `handler_name` is the dedupe key stored with every handled event, so it must be
        unique per event type and stable across releases.
        """
        handlers = self._by_type.setdefault(event_type, [])
        if any(existing.name == handler_name for existing in handlers):
            raise ValueError(f"handler {handler_name!r} is already registered for {event_type!r}")
        handlers.append(RegisteredHandler(event_type, handler_name, fn))

    def handlers_for(self, event_type: str) -> list[RegisteredHandler]:
        return list(self._by_type.get(event_type, []))

    def event_types(self) -> list[str]:
        return sorted(self._by_type)

    def load_modules(self, module_names: list[str]) -> None:
        """Import each module and call its `register_handlers(registry)` (tests, plug-ins)."""
        for name in module_names:
            module = importlib.import_module(name)
            register_handlers = getattr(module, "register_handlers", None)
            if register_handlers is None:
                raise ValueError(f"handler module {name!r} has no register_handlers(registry)")
            register_handlers(self)
