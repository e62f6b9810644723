"""Agencies named by item headings, canonical names, partners named inside a clause, and roles."""

from __future__ import annotations

import re

from pipeline.lang.letters import bare, fold
from pipeline.lang.lists import Gazetteer, Lists

# "... tỉnh Bắc Giang" / "... huyện Điện Biên Đông": the place name is dropped for the canonical form.
_PLACE_SUFFIX = re.compile(r"\s+(tỉnh|huyện|thành phố|thị xã)\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*\s*){1,4}$")


def agency_name(title: str, lists: Lists) -> str | None:
    """The agency a heading names ("Đề nghị Hội Liên hiệp Phụ nữ tỉnh" -> "Hội Liên hiệp Phụ nữ tỉnh")."""
    found = assignment(title, lists, heading=True)
    return found[0] if found else None


def assignment(text: str, lists: Lists, heading: bool = False) -> tuple[str, str | None] | None:
    """(agency, duty) of a heading or a sentence that gives an agency work, or None.

    "Sở Tài chính chủ trì, phối hợp với ..." -> ("Sở Tài chính", "chủ trì, phối hợp với ..."); a heading
    that is a name alone ("Sở Tài chính:") gives no duty. The agency is what stands before the first
    word that opens a predicate (configs/patterns.toml [agency]): on a heading only a word that names
    an agency's part (``predicate_opens``: "chủ trì", "có trách nhiệm", "theo chức năng"), in a
    sentence also a verb a duty starts with (``duty_verbs``: "xây dựng", "theo dõi"); never where
    what stands before is a head alone ("Cơ quan chủ trì giải quyết ...") or ends on a connecting
    word.
    """
    cfg = lists.patterns["agency"]
    name = text.strip()
    prefixed = False
    for prefix in cfg["heading_prefixes"]:
        if _starts_with(name, prefix):
            name, prefixed = name[len(prefix):].strip(), True
    if not heading and (after := _after_lead_in(name, cfg)):
        name, prefixed = after, True  # "Căn cứ chức năng ..., các cơ quan, đơn vị đánh giá ..."
    if not name or not (name[0].isupper() or prefixed):
        return None
    if not any(_opens_with_head(name, head) for head in cfg["heads"]) or any(
            _starts_with(name, word) for word in cfg["not_heads"]):
        return None
    openers = cfg["predicate_opens"] + ([] if heading else cfg["duty_verbs"])
    head, colon, tail = name.partition(":")
    if colon and tail.strip() and not _predicate_split(head, openers, cfg):
        return head.strip(), tail.strip()  # "N. Ủy ban Mặt trận ... tỉnh: Vận động đoàn viên ..."
    if split := _predicate_split(name, openers, cfg):
        agency, duty = split
        return (agency, None) if any(fold(duty).startswith(fold(n)) for n in cfg["not_duties"]) else split
    name = name.rstrip(":;. ")
    return (name, None) if len(name) <= MAX_NAME_CHARS else None


MAX_NAME_CHARS = 160  # a heading longer than this is a sentence, not a name
# a sentence ends inside it ("... hoàn thành nhiệm vụ. Tổ trưởng ..."; "TP. Hồ Chí Minh" is an abbreviation)
_SENTENCE_END = re.compile(r"\b[a-zà-ỹđ]+\.\s+[A-ZĐÀ-Ỹ]")


def _after_lead_in(sentence: str, cfg: dict) -> str | None:
    """What follows a sentence's opening clause ("Căn cứ ..., ", "Từ ngày ..., ") where an agency's
    name begins there, else None."""
    if not any(_starts_with(sentence, lead) for lead in cfg["lead_ins"]):
        return None
    for m in re.finditer(r",\s+", sentence):
        rest = sentence[m.end():]
        if any(_opens_with_head(rest, head) for head in cfg["heads"]):
            return rest
    return None


def _predicate_split(name: str, openers: list[str], cfg: dict) -> tuple[str, str] | None:
    """*name* cut before its first opener that leaves a whole agency before it."""
    bare_heads = {bare(h) for h in cfg["heads"]}
    found = sorted((m.start(), m.group(0)) for word in openers
                   for m in re.finditer(rf"(?<=\s){re.escape(word)}(?=[\s,;:]|$)", name))
    for at, _ in found:
        agency, duty = name[:at].strip(" ,;:-–"), name[at:].strip()
        ending = fold(agency)
        if (agency and bare(agency) not in bare_heads and not _SENTENCE_END.search(agency)
                and not any(ending == c or ending.endswith(" " + c) for c in cfg["connectors"])):
            return agency, duty
    return None


def _opens_with_head(name: str, head: str) -> bool:
    """*name* opens with the agency word(s) *head*: as spelled, or with marks OCR damaged where a
    one-word head is followed by a name ("Bọ Tài chính" is a "Bộ"; "Bố trí kinh phí" is none) or the
    head has two words or more ("Bào hiểm xã hội")."""
    key, want = fold(name), fold(head)
    if key.startswith(want) and (len(key) == len(want) or not key[len(want)].isalnum()):
        return True
    words = len(head.split())
    rest = name.split()[words:]
    return _starts_with(name, head) and (words > 1 or bool(rest) and rest[0][:1].isupper())


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
