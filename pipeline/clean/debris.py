"""What is not print: ink debris, scanner specks read as punctuation, the stamp's own words.

Kept apart from the layout because they judge single words, not lines or paragraphs.
"""

from __future__ import annotations

import re

from pipeline.geometry import centre_inside
from pipeline.lang.letters import VIET_LETTERS, bare
from pipeline.lang.stamps import STAMP_WORDS, parse_stamp
from pipeline.lang.syllables import plausible_word
from pipeline.models import Annotation, Word

_PUNCTUATION_WORDS = {
    "-",
    "+",
    "–",
    "(",
    ")",
    '"',
    "“",
    "”",
    ";",
    ":",
    ",",
    ".",
    "./.",
    "/.",
    "%",
    "...",
    "…",
}
SURE_WORD_CONF = 80  # under a mark, a word read surer than this is print whatever it looks like
LONE_SIGN_CONF = 30  # a lone "-" or "+" read less sure than this is a speck
PUNCTUATION_CONF = 50  # punctuation read less sure than this is a speck


def stamp_words(mark: Annotation) -> set[str]:
    """The stamp's own words: its labels, its figures and the receiving office's name in capitals.

    Body print under a grayscale stamp is read into the stamp's text too, so only these go. A stamp
    whose ink was whitened by colour left nothing on the page: "công", "số" under it are print."""
    if mark.kind != "stamp" or not mark.text or mark.ink_removed:
        return set()
    reg = parse_stamp(mark.text)
    fields = (reg.number, reg.receiver, reg.forwarded_to, reg.file_no)
    words = set(STAMP_WORDS) | {bare(w.strip(".,;:")) for field in fields if field for w in field.split()}
    words |= {bare(w.strip(".,;:")) for w in mark.text.split() if re.search(r"\d{1,2}/\d{1,2}/\d{2,4}", w)}
    return words


def ink_remains(word: Word, marks: list) -> bool:
    """A word inside a stamp or pen mark that the stamp's own reading holds, or that is ink debris.

    Print under a stamp is read with less confidence, but it is still words: those stay.
    """
    for box, stamp_words in marks:
        if centre_inside(word.bbox, box):
            if bare(word.text.strip(".,;:")) in stamp_words:
                return True
            if word.conf < SURE_WORD_CONF and not plausible_word(word.text):
                return True
    return False


def motto_starts(words: list[Word], i: int) -> bool:
    """Tesseract glues the issuer column to the motto when the columns nearly touch."""
    pair = " ".join(w.text for w in words[i:i + 2]).upper()
    return pair.startswith(("CỘNG HÒA", "CỘNG HOÀ")) or pair.startswith("ĐỘC LẬP")


def is_junk(word: Word) -> bool:
    """Specks and ink remains OCR'd as punctuation ("|", "_", "ˆ", "°")."""
    text = word.text.strip()
    if not text:
        return True
    if text in {"-", "+"}:
        return 0 <= word.conf < LONE_SIGN_CONF
    if any(c in VIET_LETTERS or c.isdigit() for c in text):
        return False
    return text not in _PUNCTUATION_WORDS or word.conf < PUNCTUATION_CONF
