"""Ratings and reviews of shops by consumers with a completed order, and the shop's reply."""
