"""Loyalty points shared across shops and streets: a double-entry points ledger, earning from
payments, redemption with holds, expiry by lot, and settlement between merchants."""
