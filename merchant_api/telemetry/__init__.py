"""Device telemetry: typed events, bulk ingestion over HTTP and MQTT, hourly rollups, and the
per-shop hourly view next to sales that the marketing advice and the KPIs read."""
