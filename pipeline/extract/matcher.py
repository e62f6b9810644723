"""Agency mentions inside a clause: a spaCy PhraseMatcher over syllable tokens.

Patterns come from the agency lists in configs/ and from the document's own agency headings, so an
agency of another province is found once its heading has named it. Tokens are spaCy's rule-based
syllables (``spacy.Tokenizer.v1`` on a blank "vi" pipeline: no pyvi, nothing downloaded), compared
without diacritics so OCR's damaged marks still match; the mention keeps its printed spelling.
"""

from __future__ import annotations

from functools import cache

from pipeline.lang.letters import bare
from pipeline.lang.lists import Gazetteer


@cache
def _nlp():
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})


def _doc(text: str):
    doc = _nlp().make_doc(text)
    for token in doc:
        token.norm_ = bare(token.text)
    return doc


_LIST_MATCHERS: dict[int, object] = {}  # one per agency list set (lists are cached for the process)


def _phrase_matcher(names):
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(_nlp().vocab, attr="NORM")
    matcher.add("ORG", [_doc(name) for name in names])
    return matcher


class AgencyMatcher:
    """Finds listed agencies and the document's own heading agencies in a clause."""

    def __init__(self, gaz: Gazetteer, headings: dict[str, str] | None = None):
        if id(gaz) not in _LIST_MATCHERS:  # hundreds of patterns: built once, not per document
            _LIST_MATCHERS[id(gaz)] = _phrase_matcher(gaz.canonical)
        self.gaz = gaz
        # headings the lists do not hold, by their letters without marks (as the matcher compares)
        self.own = {
            bare(printed): canon for printed, canon in (headings or {}).items() if not gaz.lookup(printed)
        }
        self.matchers = [_LIST_MATCHERS[id(gaz)]] + ([_phrase_matcher(self.own)] if self.own else [])

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of every agency named in *text*, longest first where they overlap."""
        from spacy.util import filter_spans

        doc = _doc(text)
        spans = filter_spans([doc[start:end] for matcher in self.matchers for _, start, end in matcher(doc)])
        found = []
        for span in spans:
            if span.text[:1].islower():  # "các cơ sở y tế" is no "Sở Y tế"
                continue
            name = self.gaz.lookup(span.text) or self.gaz.lookup(self.gaz.spelled(span.text) or "")
            found.append((span.start_char, span.end_char, name or self.own[bare(span.text)]))
        return found

    def partners(self, text: str, own: str) -> list[str]:
        """Canonical names of the agencies a clause names, other than the agency itself, in order."""
        out: list[str] = []
        for _, _, name in self.mentions(text):
            if name != own and name not in out:
                out.append(name)
        return out
