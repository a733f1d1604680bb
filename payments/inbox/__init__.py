"""The provider inbox: every signed callback or webhook is stored once, then processed.

stored = await InboxRepository(session).store_once(session_provider, external_id, type, body)
if stored: ...process...; await InboxRepository(session).mark_handled(provider, external_id)
"""

from payments.inbox.models import ProviderInboxEntry
from payments.inbox.repository import InboxRepository, mark_handled, store_once

__all__ = ["InboxRepository", "ProviderInboxEntry", "mark_handled", "store_once"]
