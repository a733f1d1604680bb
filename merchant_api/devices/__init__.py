"""Interaction devices: registry, pairing, per-device credentials and health.

The contract a device (the self-order kiosk first) follows; it does not change:

1. Pairing. An owner, consultant or admin of the shop asks for a one-time code:
   `POST /api/shops/{shop_id}/devices/pairing-codes {"type": "kiosk", "name": "…"}` answers
   `{"device_id", "code", "expires_at"}` (a consultant may also register a device on a street
   with `POST /api/streets/{street_id}/devices` and then call
   `POST /api/devices/{device_id}/pairing-codes`). The code is 10 characters, works once and
   expires after `ONESTREET_DEVICES__PAIRING_CODE_MINUTES`.
2. Exchange. The device, with no other credential, calls `POST /api/devices/pair`
   `{"code": "…", "serial": "…", "firmware": "…", "app_version": "…"}` and receives
   `{"device_id", "credential_id", "secret", "shop_id", "street_id", "signing"}`. The secret is
   shown exactly once; the device keeps it.
3. Signing. Every device request carries four headers:
       X-Device-Credential: <credential_id>
       X-Device-Timestamp:  <unix seconds, within ±ONESTREET_DEVICES__CLOCK_TOLERANCE_SECONDS>
       X-Device-Nonce:      <8-64 chars [A-Za-z0-9._-], never reused; e.g. a request counter>
       X-Device-Signature:  <hex HMAC-SHA256(secret, canonical)>
   where canonical = "\n".join([METHOD, PATH, timestamp, nonce, hex sha256(raw body)]) and
   PATH is the request path without the query string (for MQTT: METHOD "MQTT", PATH the
   topic). `merchant_api.devices.signing.sign_request` builds the headers. A reused nonce,
   a stale timestamp, a wrong signature, a revoked or expired credential or another device's
   id is refused with 401/403 and a stable error code.
4. Telemetry: `POST /api/devices/{device_id}/telemetry` (JSON array, {"events": [...]} or
   NDJSON; gzip allowed); heartbeats are events of type "heartbeat". See
   merchant_api.telemetry.events for the event types.
5. Rotation: the device calls `POST /api/devices/{device_id}/credentials/rotate` (signed) and
   gets a new credential; the old one keeps working for ONESTREET_DEVICES__ROTATION_GRACE_HOURS.
   Revocation (`POST /api/devices/{device_id}/revoke` by a consultant or admin) stops every
   process accepting the device within ONESTREET_DEVICES__CREDENTIAL_CACHE_SECONDS (≤ 60 s).

For other routes a device calls (kiosk orders), `merchant_api.devices.auth.device_guard` checks
the signature and sets `request.user` to a Principal with Role.device (its own account id, so
orders record who placed them); `device_identity(request)` gives the device, shop and street.
"""
