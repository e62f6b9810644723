"""Check: refuse photos and foreign documents before the Vietnamese-specific stages guess at them.

Reads: Document.text.
Writes: nothing; raises NotADocumentError or WrongLanguageError.
"""

from __future__ import annotations

from pipeline.config import Config
from pipeline.errors import NotADocumentError, WrongLanguageError
from pipeline.lang.letters import has_marked_letter
from pipeline.models import Document

# The Document fields this stage writes (tests/test_contract.py holds every stage to them).
WRITES = ()

MIN_WORDS = 20  # fewer words with letters than this is no document's text
MIN_VIETNAMESE_SHARE = 0.12  # of those, at least this share hold a letter only Vietnamese writes


def run(doc: Document, cfg: Config) -> Document:
    words = doc.text.split()
    letters = sum(1 for w in words if any(c.isalpha() for c in w))
    if letters < MIN_WORDS:
        raise NotADocumentError(
            f"{doc.source.path}: no readable text found ({letters} words); is it a document scan?"
        )
    viet = sum(1 for w in words if has_marked_letter(w))
    if viet / letters < MIN_VIETNAMESE_SHARE:
        raise WrongLanguageError(
            f"{doc.source.path}: text does not look Vietnamese "
            f"({viet} of {letters} words have Vietnamese letters)"
        )
    return doc
