"""Agencies named by item headings, canonical names, partners named inside a clause, and roles."""

from __future__ import annotations

import re

from pipeline.lexicon import Gazetteer, fold, patterns

# "... tỉnh Bắc Giang" / "... huyện Điện Biên Đông": the place name is dropped for the canonical form.
_PLACE_SUFFIX = re.compile(r"\s+(tỉnh|huyện|thành phố|thị xã)\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*\s*){1,4}$")


def agency_name(title: str) -> str | None:
    """The agency a heading names ("Đề nghị Hội Liên hiệp Phụ nữ tỉnh" -> "Hội Liên hiệp Phụ nữ tỉnh")."""
    cfg = patterns()["agency"]
    name = title.strip().rstrip(":;.").strip()
    for prefix in cfg["heading_prefixes"]:
        if name.startswith(prefix + " "):
            name = name[len(prefix) + 1:]
    if not name or len(name) > 160:
        return None
    if any(name == head or name.startswith(head + " ") for head in cfg["heads"]):
        return name
    return None


def canonical(name: str, gaz: Gazetteer) -> str:
    """The list's canonical name, trying the name as printed, then without its place name."""
    found = gaz.lookup(name)
    if found:
        return found
    stripped = _PLACE_SUFFIX.sub(lambda m: " " + m.group(1), name)
    return gaz.lookup(stripped) or stripped


def partners(text: str, own: str, gaz: Gazetteer) -> list[str]:
    """Canonical names of the agencies a clause mentions, other than the agency itself."""
    if gaz.regex is None:
        return []
    out: list[str] = []
    for m in gaz.regex.finditer(text):
        if m.group(0)[:1].islower():  # "các cơ sở y tế" is no "Sở Y tế"
            continue
        name = gaz.canonical[fold(m.group(0))]
        if name != own and name not in out:
            out.append(name)
    return out


def role(text: str) -> str:
    cfg = patterns()["roles"]
    head = fold(text)[:60]
    hits = {r: min((head.find(w) for w in cfg[r] if w in head), default=99) for r in ("lead", "cooperate", "advise")}
    best = min(hits, key=hits.get)
    if hits[best] == 99:
        return "other"
    # "Chủ trì, phối hợp với ..." leads; "Phối hợp với Ban Dân tộc ..." cooperates.
    return best
