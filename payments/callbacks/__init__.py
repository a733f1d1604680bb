"""Signed confirmations from QR wallets: the TWQR acquirer, EMVCo wallets, the sandbox."""
