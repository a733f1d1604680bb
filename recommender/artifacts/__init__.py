"""Versioned model artifacts with their metrics; a worse retrain never replaces a good one."""
