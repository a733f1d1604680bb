"""Every route of the recommender package, for the composition root."""

from __future__ import annotations

from recommender.advice.routes import AdviceController
from recommender.recommendations.routes import RecommendationController


def recommender_routes() -> list[type]:
    return [AdviceController, RecommendationController]
