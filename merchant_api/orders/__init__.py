"""Orders from every channel (counter, QR table, kiosk, online pick-up), one model for all."""
