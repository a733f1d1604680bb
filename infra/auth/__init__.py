"""Accounts, roles, web sessions, API tokens and the guards every domain uses to check access."""
