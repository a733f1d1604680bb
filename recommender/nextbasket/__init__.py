"""Next-basket recommendation: baselines, the TIFU-KNN model, metrics and evaluation.

Pure numpy/scipy/scikit-learn over in-memory baskets; no database. The same code scores
Ta-Feng (public benchmark) and our own orders (each order is a basket).
"""
