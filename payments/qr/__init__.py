"""QR codes for payment links and wallet payloads: PNG, SVG and a printable sheet."""
