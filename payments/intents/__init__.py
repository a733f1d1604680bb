"""Payment intents: the state machine, its append-only events, refunds and the JSON API."""
