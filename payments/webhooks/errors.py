"""Why a webhook delivery was refused; each with a stable code the sender's log will show."""

from __future__ import annotations

from infra.errors import OneStreetError, ServiceUnavailable


class WebhookSignatureMissing(OneStreetError):
    code = "webhook_signature_missing"


class WebhookSignatureMalformed(OneStreetError):
    code = "webhook_signature_malformed"


class WebhookSignatureInvalid(OneStreetError):
    code = "webhook_signature_invalid"


class WebhookTimestampStale(OneStreetError):
    code = "webhook_timestamp_stale"


class WebhookPayloadInvalid(OneStreetError):
    code = "webhook_payload_invalid"


class WebhookNotConfigured(ServiceUnavailable):
    """No signing secret is set, so nothing can be verified: refuse rather than trust."""

    code = "webhook_not_configured"
