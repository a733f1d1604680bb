"""Demand forecasts per shop by hour and weekday, against a seasonal-naive baseline."""
