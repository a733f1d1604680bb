"""Texts stored per language as JSON objects, and the fallback rule for reading them.

Names and descriptions are `{"zh-Hant-TW": ..., "en": ...}`; Traditional Chinese is the
programme's language and always present, so every other language falls back to it.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "zh-Hant-TW"
# Consumer pages must reach new immigrants and visitors, hence vi, id and th.
LANGUAGES = ("zh-Hant-TW", "en", "vi", "id", "th")

LocalizedText = dict[str, str]


def resolve_language(requested: str | None) -> str:
    """The supported language closest to `requested`; unknown ones read as the default."""
    if not requested:
        return DEFAULT_LANGUAGE
    for language in LANGUAGES:
        if language.lower() == requested.strip().lower():
            return language
    # "zh-TW", "zh-Hant" and plain "zh" all mean Traditional Chinese here.
    if requested.lower().startswith("zh"):
        return DEFAULT_LANGUAGE
    primary = requested.split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def pick(texts: LocalizedText | None, language: str) -> str:
    """The text in `language`, else in the default language, else empty."""
    texts = texts or {}
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE) or ""


def text_problems(
    field: str, texts: LocalizedText, *, required: bool, max_length: int
) -> list[dict[str, str]]:
    """Reasons why `texts` cannot be stored, in the same shape as request-body errors.

    `required` means the default-language text must be there and not blank.
    """
    problems: list[dict[str, str]] = []

    def problem(key: str, message: str) -> None:
        problems.append({"key": key, "message": message, "source": "body"})

    for language, text in texts.items():
        if language not in LANGUAGES:
            problem(f"{field}.{language}", f"Unknown language; use one of {', '.join(LANGUAGES)}.")
        elif len(text) > max_length:
            problem(f"{field}.{language}", f"At most {max_length} characters.")
    if required and not (texts.get(DEFAULT_LANGUAGE) or "").strip():
        problem(f"{field}.{DEFAULT_LANGUAGE}", "A Traditional Chinese text is required.")
    return problems
