"""Closing block: signer authority lines and name (right column), "Nơi nhận:" recipients (left column)."""

from __future__ import annotations

import re
from functools import cache

from pipeline.lang.letters import bare
from pipeline.lang.lists import Lists
from pipeline.models import Metadata, Paragraph
from pipeline.segment.header import is_upper_line

RECIPIENTS_LABEL = re.compile(r"^N[ơo]i\s*nh[ậa]n\s*[:;.]?\s*(?P<rest>.*)$", re.IGNORECASE)
# a one-letter middle name is common in the north-west ("Vàng A Chứ", "Giàng A Páo")
PERSON_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s+(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]*\s+){0,4}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$")


def is_signer_line(text: str, lists: Lists) -> bool:
    if _signer_prefix(text, lists):
        return True
    return is_upper_line(text) and _listed_title(text.upper().strip(), lists) is not None


def _signer_prefix(line: str, lists: Lists) -> str:
    """The configured prefix ("KT.", "TM.") the line opens with, or ""."""
    upper = line.upper().strip()
    return next((p for p in lists.patterns["closing"]["signer_prefixes"] if upper.startswith(p)), "")


def _listed_title(text: str, lists: Lists) -> str | None:
    """The configured signer title that *text* is, whatever marks OCR confused ("THỨ TRƯỜNG")."""
    return _titles_by_key(lists).get(bare(text))


@cache
def _titles_by_key(lists: Lists) -> dict[str, str]:
    return {bare(t): t for t in lists.patterns["closing"]["signer_titles"]}


def _spelled(line: str, lists: Lists) -> str:
    """A signer line with its title as configured: "KT. THỨ TRƯỜNG" -> "KT. THỨ TRƯỞNG"."""
    prefix = _signer_prefix(line, lists)
    title = _listed_title(line[len(prefix):].strip(), lists)
    return f"{line[:len(prefix)]} {title}".strip() if title else line


def find_closing(paragraphs: list[Paragraph], body_start: int, lists: Lists) -> int:
    """Index of the first paragraph of the closing block (len(paragraphs) if none)."""
    for i in range(body_start, len(paragraphs)):
        p = paragraphs[i]
        if RECIPIENTS_LABEL.match(p.text) or (
            is_signer_line(p.text, lists) and (p.column == "right" or p.bbox is None)
        ):
            # A signer title inside the body ("CHỦ TỊCH" alone) never comes before the last item,
            # so only accept it when nothing but closing-like lines follow.
            if all(_closing_like(q, lists) for q in paragraphs[i + 1:]):
                return i
    return len(paragraphs)


def _closing_like(p: Paragraph, lists: Lists) -> bool:
    text = p.text
    return (p.column != "full" or RECIPIENTS_LABEL.match(text) is not None or text.startswith(("-", "+", "•"))
            or is_signer_line(text, lists) or is_upper_line(text) or len(text) < 90)


def parse_closing(paragraphs: list[Paragraph], meta: Metadata, lists: Lists) -> None:
    in_recipients = False
    for p in paragraphs:
        text = p.text
        if m := RECIPIENTS_LABEL.match(text):
            in_recipients = True
            rest = m.group("rest").strip()
            if rest.startswith("-"):
                meta.recipients.append(rest.lstrip("- "))
            continue
        if is_signer_line(text, lists) or (is_upper_line(text) and p.column == "right"):
            meta.signer.lines.append(_spelled(text, lists))
            continue
        if PERSON_NAME.match(text) and (p.column == "right" or not in_recipients or meta.signer.lines):
            meta.signer.name = text
            continue
        if in_recipients and p.column != "right":
            if text.startswith(("-", "+", "•")) or text.endswith(":") or not meta.recipients:
                meta.recipients.append(text.lstrip("-+• ").strip())
            else:  # a wrapped recipient line
                meta.recipients[-1] = f"{meta.recipients[-1]} {text}"
