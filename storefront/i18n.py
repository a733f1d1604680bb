"""Interface languages of the pages: which one a visitor gets, and the Babel catalogues.

The language comes from, in order: `?lang=` (a switch link, then remembered in a cookie), the
cookie, the browser's Accept-Language, else Traditional Chinese. Catalogues are the `.po` files
under storefront/locale, read once per process with Babel; msgids are English, so a string that
is missing from a catalogue still reads as English rather than as an empty label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from litestar import Request
from litestar.datastructures import Cookie

from merchant_api.i18n import DEFAULT_LANGUAGE, LANGUAGES, resolve_language

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGE_COOKIE = "onestreet_lang"
TEXT_SIZE_COOKIE = "onestreet_text"
YEAR_SECONDS = 365 * 24 * 3600
# Each language names itself, so someone who reads no Chinese still finds theirs.
LANGUAGE_NAMES = {
    "zh-Hant-TW": "中文",
    "en": "English",
    "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia",
    "th": "ภาษาไทย",
}


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid -> translation for one language (empty translations left out)."""
    folder = language.replace("-", "_")
    path = LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        messages = read_po(handle)
    return {str(m.id): str(m.string) for m in messages if m.id and m.string and not m.fuzzy}


def N_(message: str) -> str:  # the gettext convention extraction looks for
    """Marks a string for the catalogues where it is defined; it is translated where shown."""
    return message


def translator(language: str) -> Callable[..., str]:
    texts = catalogue(language)

    def gettext(message: str, **values: Any) -> str:
        text = texts.get(message, message)
        return text % values if values else text

    return gettext


def from_accept_language(header: str | None) -> str | None:
    """The first supported language in the header, by quality ("vi;q=0.9,en;q=0.8")."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    for _, _, tag in sorted(ranked):
        language = resolve_language(tag)
        if language != DEFAULT_LANGUAGE or tag.lower().startswith("zh"):
            return language
    return None


@dataclass(frozen=True)
class PageLocale:
    language: str
    large_text: bool
    # Cookies to set because the visitor just switched language or text size.
    cookies: tuple[Cookie, ...]

    @property
    def gettext(self) -> Callable[..., str]:
        return translator(self.language)

    def context(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        """What base.html needs: the language, its strings and the switch links."""
        path = request.url.path
        return {
            "lang": self.language,
            "_": self.gettext,
            "large_text": self.large_text,
            "languages": [
                {"code": code, "name": LANGUAGE_NAMES[code], "href": f"{path}?lang={code}"}
                for code in LANGUAGES
            ],
            "text_toggle_href": f"{path}?text={'normal' if self.large_text else 'large'}",
        }


def page_locale(request: Request[Any, Any, Any]) -> PageLocale:
    cookies: list[Cookie] = []
    asked = request.query_params.get("lang")
    if asked:
        language = resolve_language(asked)
        cookies.append(_remember(LANGUAGE_COOKIE, language))
    else:
        remembered = request.cookies.get(LANGUAGE_COOKIE)
        language = (
            resolve_language(remembered)
            if remembered
            else from_accept_language(request.headers.get("accept-language")) or DEFAULT_LANGUAGE
        )
    size = request.query_params.get("text")
    if size in ("large", "normal"):
        cookies.append(_remember(TEXT_SIZE_COOKIE, size))
        large = size == "large"
    else:
        large = request.cookies.get(TEXT_SIZE_COOKIE) == "large"
    return PageLocale(language, large, tuple(cookies))


def _remember(name: str, value: str) -> Cookie:
    # Readable by the page scripts (the kiosk switches language without a reload); not secret.
    return Cookie(key=name, value=value, max_age=YEAR_SECONDS, path="/", samesite="lax")
