"""Vietnamese letters and the keys text is compared by (case, Ủy/Uỷ spellings, lost diacritics)."""

from __future__ import annotations

import re
import unicodedata

VIET_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
VIET_UPPER = VIET_LOWER.upper()
VIET_LETTERS = VIET_LOWER + VIET_UPPER
# The letters only Vietnamese writes (a diacritic, or đ): a word holding one is Vietnamese, not English.
MARKED_LOWER = frozenset(c for c in VIET_LOWER if not c.isascii())


def has_marked_letter(text: str) -> bool:
    return any(c in MARKED_LOWER for c in text.lower())


def fold(text: str) -> str:
    """Key for case-insensitive matching: NFC, casefold, Ủy/Uỷ spellings unified, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold().replace("uỷ", "ủy").replace("hoà", "hòa")
    return re.sub(r"\s+", " ", text).strip()


def bare(text: str) -> str:
    """Key without diacritics, for matching OCR that confused marks ("Chỉ nhánh", "Bọ Chỉ huy").

    Only for comparing: stored values keep their diacritics.
    """
    text = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))
