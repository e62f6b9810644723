"""Agencies named by item headings, canonical names, partners named inside a clause, and roles."""

from __future__ import annotations

import re

from pipeline.lang.letters import bare, fold
from pipeline.lang.lists import Gazetteer, Lists

# "... tỉnh Bắc Giang" / "... huyện Điện Biên Đông": the place name is dropped for the canonical form.
_PLACE_SUFFIX = re.compile(r"\s+(tỉnh|huyện|thành phố|thị xã)\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*\s*){1,4}$")


def agency_name(title: str, lists: Lists) -> str | None:
    """The agency a heading names ("Đề nghị Hội Liên hiệp Phụ nữ tỉnh" -> "Hội Liên hiệp Phụ nữ tỉnh")."""
    cfg = lists.patterns["agency"]
    name = title.strip().rstrip(":;.").strip()
    for prefix in cfg["heading_prefixes"]:
        if _starts_with(name, prefix):
            name = name[len(prefix):].strip()
    if not name or len(name) > 160 or not name[0].isupper():
        return None
    if any(_starts_with(name, head) for head in cfg["heads"]):
        return name
    return None


def _starts_with(name: str, head: str) -> bool:
    """Word-wise prefix test that forgives OCR'd diacritics ("Bọ Chỉ huy" starts with "Bộ Chỉ huy")."""
    key, want = bare(name), bare(head)
    return key.startswith(want) and (len(key) == len(want) or not key[len(want)].isalnum())


def repair_spelling(name: str, gaz: Gazetteer) -> str:
    """Restore a listed name whose diacritics OCR damaged ("Sở Giáo dục và Đảo tạo")."""
    if gaz.lookup(name):
        return name
    if spelled := gaz.spelled(name):
        return spelled
    head = _PLACE_SUFFIX.search(name)  # "Chỉ nhánh ... tỉnh Bắc Giang": mend the part before the place
    if head:
        listed = gaz.spelled(name[: head.start()] + " " + head.group(1))
        if listed and len(listed) == head.start() + 1 + len(head.group(1)):
            return listed + name[len(listed):]
    return name


def canonical(name: str, gaz: Gazetteer) -> str:
    """The list's canonical name, trying the name as printed, then without its place name."""
    for candidate in (name, _PLACE_SUFFIX.sub(lambda m: " " + m.group(1), name)):
        found = gaz.lookup(candidate) or gaz.lookup(gaz.spelled(candidate) or "")
        if found:
            return found
    return _PLACE_SUFFIX.sub(lambda m: " " + m.group(1), name)


def role(text: str, lists: Lists) -> str:
    """The agency's part in a clause, from the first of its sentences that names one.

    Sentences come from underthesea's sent_tokenize (it knows "TP." and "Sở KH&ĐT" do not end
    one); the earliest role word of the first sentence wins ("Chủ trì, phối hợp với ..." leads).
    """
    cfg = lists.patterns["roles"]
    for sentence in _sentences(text):
        found = _role_in(fold(sentence), cfg)
        if found != "other":
            return found
    return "other"


def _sentences(text: str) -> list[str]:
    from underthesea import sent_tokenize

    return sent_tokenize(text) or [text]


def _role_in(head: str, cfg: dict) -> str:
    absent = len(head) + 1
    hits = {
        r: min((head.find(w) for w in cfg[r] if w in head), default=absent)
        for r in ("lead", "cooperate", "advise")
    }
    best = min(hits, key=hits.get)
    if hits[best] == absent:
        return "other"
    # "Chủ trì, phối hợp với ..." leads; "Phối hợp với Ban Dân tộc ..." cooperates.
    return best
