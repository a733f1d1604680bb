"""The feature layer: what the models and the advice read from orders and other tables."""
