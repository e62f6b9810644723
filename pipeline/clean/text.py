"""Text as Vietnamese offices print it: NFC, the look-alike letters OCR and old fonts produce
mended, the configured OCR fixes and symbol spellings applied, whitespace collapsed."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pipeline.lang.lists import Lists

# A new paragraph starts with a bullet, an item number, a Roman section, an article or a label.
STRUCTURE_START = re.compile(
    r"^(?:[-+•*]\s|[IVXLT1l]{1,5}[.,]\s|\d{1,2}(?:\.\d{1,2})*[.)/]\s|[a-zđ][).]\s|Điều\s+\d"
    r"|Căn cứ|Nơi nhận|Kính gửi)"
)
TERMINAL = re.compile(r"[.;:!?…)\]”\"']\s*$|\./\.?$")
MARKUP = re.compile(r"\*+|</?(?:i|b|em|strong)>")  # emphasis some OCR tools write as Markdown/HTML
_STRAY_APOSTROPHE = re.compile(r"(?<=[A-Za-zÀ-ỹĐđ])['‘’`](?=[A-Za-zÀ-ỹĐđ])")  # "CT-T'Tg": Vietnamese has none
_SYMBOL_CODE = re.compile(r"(/[A-ZĐ]{1,6}-)([A-ZĐa-z0-9]{2,8})\b")
_CONFUSABLES = str.maketrans(
    {"\u00d0": "\u0110", "\u00f0": "\u0111", "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u2044": "/"}
)
# a line cut by a page break without closing punctuation is this long ("các Bộ, ngành" / "Trung ương")
CUT_LINE_CHARS = 120


class Normalizer:
    """The clean stage's text mending with the configured lists: ``fix`` for one OCR'd word (the
    [ocr_fixes] rules of patterns.toml), calling it for a whole paragraph."""

    def __init__(self, lists: Lists):
        # "${1}" in a replacement is the first group
        self.rules = [(re.compile(p), r.replace("${", "\\g<").replace("}", ">"))
                      for p, r in lists.patterns.get("ocr_fixes", {}).get("rules", [])]
        self.spelled = {s.upper(): s for s in lists.patterns["symbols"]["spelled"]}

    def fix(self, text: str) -> str:
        for pattern, replacement in self.rules:
            text = pattern.sub(replacement, text)
        return text

    def __call__(self, text: str) -> str:
        """NFC with the look-alike letters OCR and old fonts produce (Ð -> Đ), spaces collapsed."""
        text = unicodedata.normalize("NFC", text).translate(_CONFUSABLES)
        text = self._fix_symbols(_STRAY_APOSTROPHE.sub("", text))
        text = self.fix(text)
        text = re.sub(r"^-?['`|_~]+(?=\w)", "", text.strip())  # ink debris glued to the first word
        return re.sub(r"\s+", " ", text).strip()

    def _fix_symbols(self, text: str) -> str:
        """"28/CT-TTG" -> "28/CT-TTg": issuer codes get the spelling configs/patterns.toml lists."""
        return _SYMBOL_CODE.sub(lambda m: m.group(1) + self.spelled.get(m.group(2).upper(), m.group(2)), text)


@cache
def normalizer(lists: Lists) -> Normalizer:
    return Normalizer(lists)


def continues(prev: str, nxt: str) -> bool:
    """*nxt* goes on the paragraph *prev* ends (a line or page break cut it)."""
    if TERMINAL.search(prev) or STRUCTURE_START.match(nxt) or not nxt:
        return False
    if nxt[0].islower():
        return True
    return len(prev) > CUT_LINE_CHARS and not nxt.isupper()
