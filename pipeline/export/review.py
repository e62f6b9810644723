"""review.html: one self-contained page to check an extraction against the text, in a browser.

The text is shown with agencies, legal references and deadlines highlighted (spaCy's displacy, from
character offsets, no model needed), followed by the header fields, the registration stamp, the
marks kept out of the text, and the table agency -> clause -> role -> partners -> deadline -> page.
"""

from __future__ import annotations

import html

from pipeline.extract.matcher import AgencyMatcher
from pipeline.extract.references import DEADLINES, REFERENCE
from pipeline.lang.lists import Gazetteer
from pipeline.models import Document

COLOURS = {"AGENCY": "#ffd48a", "REF": "#a8d8ff", "DEADLINE": "#c7f0b0"}
STYLE = """body{font-family:'Times New Roman',serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%;margin:1em 0}\
td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top}
th{background:#eee;text-align:left}.low{background:#ffe0e0}h2{margin-top:2em}.issues li{color:#a33}
.text{white-space:pre-wrap;line-height:2}"""


def spans(doc: Document, gazetteer: Gazetteer) -> list[dict]:
    """Non-overlapping highlight spans over doc.text, longest first."""
    matcher = AgencyMatcher(gazetteer, {a.name: a.canonical for a in doc.agencies})
    found = [(start, end, "AGENCY") for start, end, _ in matcher.mentions(doc.text)]
    found += [(m.start(), m.end(), "REF") for m in REFERENCE.finditer(doc.text)]
    for _, pattern in DEADLINES:
        found += [(m.start(), m.end(), "DEADLINE") for m in pattern.finditer(doc.text)]
    chosen: list[tuple[int, int, str]] = []
    for start, end, label in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, label))
    return [{"start": s, "end": e, "label": lab} for s, e, lab in sorted(chosen)]


def render_review(doc: Document, gazetteer: Gazetteer) -> str:
    from spacy import displacy

    marked = displacy.render({"text": doc.text, "ents": spans(doc, gazetteer), "title": None}, style="ent",
                             manual=True, page=False, options={"colors": COLOURS})
    e = html.escape
    m = doc.metadata
    header = [
        ("Cơ quan chủ quản", m.issuer_parent),
        ("Cơ quan ban hành", m.issuer),
        ("Số", m.number),
        ("Ký hiệu", m.symbol),
        ("Loại văn bản", m.document_type),
        ("Địa danh", m.place),
        ("Ngày", m.date),
        ("Trích yếu", m.subject),
        ("Kính gửi", "; ".join(m.addressees)),
        ("Người ký", " / ".join(m.signer.lines) + (f" — {m.signer.name}" if m.signer.name else "")),
    ]
    if doc.registration:
        r = doc.registration
        header += [("Đến: số", r.number), ("Đến: ngày", r.date), ("Đến: nơi nhận", r.receiver)]
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v or '—')}</td></tr>" for k, v in header)
    duties = "".join(
        f"<tr class='{'low' if d.confidence < 0.8 else ''}'>"
        f"<td>{e(a.name)}<br><small>{e(a.canonical)}</small></td>"
        f"<td>{e(a.section or '')}.{e(a.item or '')}</td><td>{e(d.text)}</td><td>{e(d.role)}</td>"
        f"<td>{e('; '.join(d.partners))}</td><td>{e(d.deadline.raw if d.deadline else '')}</td>"
        f"<td>{d.page or ''}</td><td>{d.confidence:.2f}</td></tr>"
        for a in doc.agencies
        for d in a.duties
    )
    marks = "".join(f"<tr><td>{e(x.kind)}</td><td>{x.page}</td><td>{e(str(x.bbox or ''))}</td>"
                    f"<td>{e(x.text or '')}</td></tr>" for x in doc.annotations)
    issues = "".join(f"<li>[{e(i.stage)}] {e(i.message)}</li>" for i in doc.issues)
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{e(doc.doc_id)}</title>
<style>{STYLE}</style></head><body>
<h1>{e(doc.doc_id)}</h1><p>{e(doc.source.path)} · {doc.source.pages} trang · {e(doc.status)}</p>
<h2>Thông tin văn bản</h2><table>{rows}</table>
<h2>Phân công nhiệm vụ</h2><table><tr><th>Cơ quan</th><th>Mục</th><th>Nhiệm vụ</th><th>Vai trò</th>
<th>Phối hợp</th><th>Thời hạn</th><th>Trang</th><th>Độ tin cậy</th></tr>{duties}</table>
<h2>Con dấu, chữ viết tay (không nằm trong văn bản)</h2><table><tr><th>Loại</th><th>Trang</th><th>Vị trí</th>
<th>Nội dung</th></tr>{marks}</table>
<h2>Cảnh báo</h2><ul class="issues">{issues}</ul>
<h2>Văn bản</h2><div class="text">{marked}</div>
</body></html>"""
