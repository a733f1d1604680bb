"""Find a font that can draw Chinese shop names on PNG codes, if the system has one.

We never ship font files. Debian's fonts-noto-cjk, fonts-wqy-zenhei/microhei or
fonts-arphic-* put theirs under /usr/share/fonts; without one, PNG codes carry no caption and
the name is shown as text in the SVG and HTML sheet instead (the browser picks a font).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
# File name patterns of CJK-capable fonts, best first.
CJK_PATTERNS = (
    "NotoSansCJK*",
    "NotoSansTC*",
    "NotoSerifCJK*",
    "SourceHanSans*",
    "wqy-zenhei*",
    "wqy-microhei*",
    "DroidSansFallback*",
    "uming*",
    "ukai*",
)


@lru_cache(maxsize=1)
def cjk_font_path() -> Path | None:
    for pattern in CJK_PATTERNS:
        for directory in FONT_DIRS:
            if directory.is_dir():
                for found in sorted(directory.rglob(pattern)):
                    if found.suffix.lower() in {".ttf", ".otf", ".ttc"}:
                        return found
    return None
