"""Consumers' "you may also like" and next-basket suggestions within a shop."""
