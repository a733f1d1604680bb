"""Per-request database session: the request boundary commits, services never do."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncSession


async def provide_db_session(state: State) -> AsyncGenerator[AsyncSession, None]:
    """Commit when the handler returns normally, roll back when it raises.

    Litestar throws the handler's exception into this generator, so a failed request leaves
    nothing half-written.
    """
    async with state.session_factory() as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        else:
            await session.commit()
