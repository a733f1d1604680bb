"""The built-in sandbox provider: no money moves; a simulated wallet confirms."""

from payments.providers.sandbox.provider import SandboxProvider

__all__ = ["SandboxProvider"]
