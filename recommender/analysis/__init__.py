"""Plain analyses over sold lines: slow hours, product affinity, customer segments."""
