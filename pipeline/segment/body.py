"""Body structure: preamble, Roman sections (or "Điều N."), numbered items, sub-items, bullets, postamble.

OCR damages the numbering ("Il.", "1I.", "HI." for III, "TV" for IV, "1." for "I."), so a heading
whose title is in capitals is a section whatever its numeral says; a numeral read whole keeps its
number where it does not go back (a plan may start at II, or a heading be lost), a damaged one
takes the next. A title in lower case makes a section only under the numeral due next ("I. Trách
nhiệm phối hợp ...", "IV. Tổ chức thực hiện.").
"""

from __future__ import annotations

import re

from pipeline.lang.letters import fold
from pipeline.lang.lists import Lists
from pipeline.models import Item, Paragraph, Section

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
SECTION_HEAD = re.compile(r"^(?P<num>[IVXLHTl1|]{1,5})\s*[.,:]\s*(?P<title>\S.*)$")
ARTICLE_HEAD = re.compile(r"^Điều\s*(?P<num>\d{1,3})\s*[.:]?\s*(?P<title>.*)$")
ITEM_HEAD = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})\s*(?P<sep>[.),])\s*(?P<rest>.*)$")
SUBITEM_HEAD = re.compile(r"^(?P<num>[a-zđ])\s*\)\s*(?P<rest>.*)$")
BULLET = re.compile(r"^[-+•*]\s*(?P<rest>.*)$")


def strip_marker(text: str) -> str:
    m = BULLET.match(text)
    return m.group("rest") if m else text


# What OCR reads a printed "I" as, besides "1" (a serif I looks like l, L, |): "1." opens an item
_LOOKS_LIKE_I = set("IlL|")


def _reads_as(read: str, numeral: str) -> bool:
    """*read* is *numeral* as OCR may read it ("L" for "I", "Il" for "II")."""
    return len(read) == len(numeral) and all(r == n or (n == "I" and r in _LOOKS_LIKE_I)
                                             for r, n in zip(read, numeral, strict=True))


def _caps_title(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _split_title(rest: str) -> tuple[str, str | None]:
    """"Sở Tài chính: chủ trì ..." -> ("Sở Tài chính", "chủ trì ..."); "Mục đích:" -> ("Mục đích", None).

    A short text without a sentence end is a heading; a short lead-in before ":" is an inline
    heading; anything else is the item's first clause with no title.
    """
    rest = rest.strip()
    if not rest:
        return "", None
    if len(rest) < 110 and not rest.rstrip().endswith((".", ";")) and rest.count(" ") < 16:
        return rest.rstrip(" :"), None
    if len(rest) < 70 and rest.endswith(";") and rest.count(" ") < 10:
        return rest.rstrip(" ;"), None  # a heading whose ":" OCR read as ";"
    head, sep, tail = rest.partition(":")
    if sep and tail.strip() and len(head) < 90 and head.count(" ") < 14 and head[:1].isupper():
        return head.strip(), tail.strip()
    return "", rest


class BodyParser:
    """Feeds body paragraphs one by one into sections and items."""

    def __init__(self, lists: Lists) -> None:
        self.preamble: list[int] = []
        self.sections: list[Section] = []
        self.postamble: list[int] = []
        self._stack: list[Item] = []  # current item path
        cfg = lists.patterns
        self._decision_marks = {fold(m) for m in cfg["body"]["decision_marks"]}
        self._postamble_starts = tuple(fold(s) for s in cfg["closing"]["postamble_starts"])

    def feed(self, index: int, p: Paragraph) -> None:
        text = p.text
        if fold(text) in self._decision_marks:
            self.preamble.append(index)
            return
        if m := ARTICLE_HEAD.match(text):
            self._open_section(f"Điều {m.group('num')}", m.group("title").strip(), p, roman=False)
            return
        m = SECTION_HEAD.match(text)
        if m and len(text) < 160 and (_caps_title(m.group("title"))
                                      or _reads_as(m.group("num"), self._next_roman())):
            self._open_section(m.group("num"), m.group("title").strip(), p, roman=True)
            return
        if (m := ITEM_HEAD.match(text)) and m.group("rest") and self._plausible_item(m):
            self._open_item(m.group("num"), m.group("rest"), index, p, level=m.group("num").count(".") + 1)
            return
        if (m := SUBITEM_HEAD.match(text)) and self._stack:
            self._open_item(m.group("num"), m.group("rest"), index, p, level=2, letter=True)
            return
        self._add_clause(index, p)

    def _plausible_item(self, m: re.Match) -> bool:
        """"2," is an OCR'd "2." only where item 2 is due next; "2, 3 năm" is a sentence."""
        if m.group("sep") != ",":
            return True
        items = self.sections[-1].items if self.sections else []
        expected = (
            str(int(items[-1].number.split(".")[0]) + 1) if items and items[-1].number[0].isdigit() else "1"
        )
        return m.group("num") == expected and m.group("rest")[:1].isupper()

    def _next_roman(self) -> str:
        numbers = [ROMAN.index(s.number) for s in self.sections if s.number in ROMAN]
        return ROMAN[min(numbers[-1] + 1 if numbers else 0, len(ROMAN) - 1)]

    def _open_section(self, number: str | None, title: str, p: Paragraph, roman: bool) -> None:
        if roman:
            due = self._next_roman()
            number = number if number in ROMAN and ROMAN.index(number) >= ROMAN.index(due) else due
        self.sections.append(Section(number=number, title=title.rstrip(" :"), page=p.page))
        self._stack = []

    def _open_item(
        self, number: str, rest: str, index: int, p: Paragraph, level: int, letter: bool = False
    ) -> None:
        if not self.sections:
            self.sections.append(Section(number=None, title="", page=p.page))
        title, first = _split_title(rest)
        item = Item(number=number, title=title, page=p.page, start=p.start, end=p.end)
        if letter:
            parent = self._stack[0]
            parent.items.append(item)
            self._stack = [parent, item]
        elif level > 1 and self._stack and number.startswith(self._stack[0].number + "."):
            self._stack[0].items.append(item)
            self._stack = [self._stack[0], item]
        else:
            self.sections[-1].items.append(item)
            self._stack = [item]
        if first:
            item.clauses.append(first)
            item.clause_paragraphs.append(index)

    def _add_clause(self, index: int, p: Paragraph) -> None:
        if not self.sections:
            self.preamble.append(index)
            return
        clause = strip_marker(p.text)
        if self._stack:
            item = self._stack[-1]
            item.clauses.append(clause)
            item.end = p.end
            item.clause_paragraphs.append(index)
        else:
            self.sections[-1].paragraphs.append(clause)

    def split_postamble(self, paragraphs: list[Paragraph]) -> None:
        """Move closing sentences ("Yêu cầu ... thực hiện./.") off the last item."""
        if not self._stack or not self.sections:
            return
        item = self._stack[-1]
        refs = item.clause_paragraphs
        while refs and item.clauses:
            p = paragraphs[refs[-1]]
            key = fold(p.text)
            if BULLET.match(p.text) or len(refs) == 1 and item.title == "":
                break
            if not (key.startswith(self._postamble_starts) or p.text.rstrip().endswith(("./.", "./"))):
                break
            self.postamble.insert(0, refs.pop())
            item.clauses.pop()
