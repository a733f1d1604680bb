"""Device errors with stable codes; a device's firmware branches on `code`."""

from __future__ import annotations

from infra.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed


class SignatureMissing(NotAuthenticated):
    code = "device_signature_missing"


class SignatureInvalid(NotAuthenticated):
    code = "device_signature_invalid"


class TimestampOutOfRange(NotAuthenticated):
    code = "device_timestamp_out_of_range"


class NonceReplayed(NotAuthenticated):
    code = "device_nonce_replayed"


class CredentialUnknown(NotAuthenticated):
    code = "device_credential_unknown"


class CredentialRevoked(NotAuthenticated):
    code = "device_credential_revoked"


class WrongDevice(PermissionDenied):
    code = "device_mismatch"


class DeviceRetired(PermissionDenied):
    code = "device_retired"


class PairingCodeInvalid(NotAuthenticated):
    code = "pairing_code_invalid"


class DeviceNotFound(NotFound):
    code = "device_not_found"


class DeviceConflict(Conflict):
    code = "device_conflict"


class DeviceInputInvalid(ValidationFailed):
    code = "validation_failed"
