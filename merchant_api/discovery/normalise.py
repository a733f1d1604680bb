"""How texts become searchable: one normalised string per row, and its character n-grams.

Chinese has no spaces between words, so search matches substrings rather than words. Every
text is NFKC-normalised (full-width Ｍｉｌｌｅｔ becomes millet) and case-folded, and the
languages of a row are joined with newlines, which never occur inside a normalised text.

On PostgreSQL a GIN index over `grams` narrows the candidates: a row can contain the query
only if it holds every bigram of the query (every character, for a one-character query).
pg_trgm is not used because its trigrams cannot index the one- and two-character queries
that are most Chinese searches ("茶", "小米").
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
SEPARATOR = "\n"


def normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def joined(*texts: dict[str, str] | None) -> str:
    """All languages of all `texts`, normalised, one per line, framed by separators so that
    `\\n<query>` means "a text starts with the query"."""
    parts = [normalise(value) for group in texts for value in (group or {}).values()]
    parts = [part for part in parts if part]
    return SEPARATOR + SEPARATOR.join(parts) + SEPARATOR


def grams_of(search_text: str) -> list[str]:
    """Bigrams of every line, and single characters outside ASCII (a CJK character is a
    word); sorted so equal texts give equal arrays."""
    found: set[str] = set()
    for line in search_text.split(SEPARATOR):
        found.update(line[i : i + 2] for i in range(len(line) - 1))
        found.update(char for char in line if not char.isascii() and not char.isspace())
    return sorted(found)


def query_grams(query: str) -> list[str]:
    """The grams every match of the normalised `query` must have."""
    if len(query) == 1:
        return [query]
    return sorted({query[i : i + 2] for i in range(len(query) - 1)})


def like_escape(query: str) -> str:
    return query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_searchable(query: str) -> bool:
    """One ASCII letter matches nearly everything and no index helps; a single CJK
    character is a whole word."""
    return len(query) >= 2 or (len(query) == 1 and not query.isascii())
