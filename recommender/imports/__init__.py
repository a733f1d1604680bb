"""Historical transactions brought from another POS or a public dataset (CSV)."""
