"""Discovery: searching shops and listings across every street, in every language.

    GET /api/search/shops     q, street (id or slug), county, category, open_now,
                              accepts_points, sort (relevance|name|newest), lang, limit, cursor
    GET /api/search/listings  the same, plus shop (id or slug), tag (repeatable, all must
                              match), price_min/price_max (minor units, inclusive),
                              sort (relevance|name|newest|price|price_desc)

Only active shops and their offered, not deleted listings are ever found.

- Text: `q` is NFKC-normalised and case-folded and matched as a substring of the names and
  descriptions in all languages (normalise.py), so 小米, MILLET and ｍｉｌｌｅｔ all work.
  One ASCII letter is refused (it matches everything); one CJK character is a search.
- Documents: shop_search / listing_search hold the normalised texts (a shop's also holds
  its street's names, township and county, so "Daren" finds the shops there), written by
  mapper events on Shop, Listing and Street (indexing.py, registered wherever
  infra.bootstrap.models is imported: the app, the worker, the seed); filters and sort
  keys are read from the owning tables, so nothing else is copied. On PostgreSQL, GIN
  indexes over character bigrams (and single CJK characters) find candidates; pg_trgm
  cannot index the one- and two-character queries most Chinese searches are.
- Relevance: name matches before description-only matches, then by id; frequent words
  are read in id order instead of ranking every match (text_search.py explains why).
- Pages: keyset cursors (cursor.py). `next_cursor` is null on the last page; no totals,
  because counting every match of a frequent word costs more than the page itself.
- Language: `lang` picks the texts; a missing text falls back to zh-Hant-TW.
- Cache: answers are cached for ONESTREET_SEARCH__CACHE_SECONDS (Redis when configured,
  else in-process), never invalidated: an edit shows in search within that time.
- open_now follows merchant_api.shops.schedule (Asia/Taipei), evaluated in SQL (filters.py).
"""
