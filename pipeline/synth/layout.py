"""Lay out an annotated document (truth.json) as Nghị định 30 pages with PIL.

Times-metric serif with Vietnamese glyphs (Liberation Serif 2.x, else DejaVu Serif); two-column
header; bold centred title; justified body with first-line indent; "Nơi nhận" and signer columns.
Besides the pages it returns where the signature, the top of the body and the margins are, so the
noise step can put seals and stamps where real offices put them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/dejavu")]
FONT_FILES = {
    "regular": ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"),
    "bold": ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    "italic": ("LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"),
    "bolditalic": ("LiberationSerif-BoldItalic.ttf", "DejaVuSerif-BoldItalic.ttf"),
    "hand": ("LiberationSans-Italic.ttf", "DejaVuSans-Oblique.ttf"),
}
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@cache
def font(style: str, size_px: int) -> ImageFont.FreeTypeFont:
    for name in FONT_FILES[style]:
        for folder in FONT_DIRS:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size_px)
    raise FileNotFoundError("no Vietnamese serif font; install fonts-liberation2 or fonts-dejavu-core")


@dataclass
class Run:
    text: str
    style: str = "regular"


@dataclass
class Layout:
    """Pages plus the places noise should go (page index, pixel boxes)."""

    pages: list[Image.Image]
    dpi: int
    body_top: tuple[int, int] = (0, 0)  # (page, y) of the first body line
    signature: tuple[int, tuple[int, int, int, int]] = (0, (0, 0, 0, 0))
    header_number_box: tuple[int, int, int, int] = (0, 0, 0, 0)
    # Blank gaps of the printed form the office fills in by pen: (box, text to write).
    hand_gaps: list[tuple[tuple[int, int, int, int], str]] = field(default_factory=list)
    margins: dict[str, int] = field(default_factory=dict)


class _Writer:
    def __init__(self, dpi: int):
        self.dpi = dpi
        self.mm = dpi / 25.4
        self.pt = dpi / 72
        self.width, self.height = int(210 * self.mm), int(297 * self.mm)
        self.left, self.right = int(30 * self.mm), int(self.width - 20 * self.mm)
        self.top, self.bottom = int(20 * self.mm), int(self.height - 20 * self.mm)
        self.pages: list[Image.Image] = []
        self.y = 0
        self.new_page()

    def px(self, points: float) -> int:
        return int(round(points * self.pt))

    def new_page(self) -> None:
        self.pages.append(Image.new("RGB", (self.width, self.height), "white"))
        self.draw = ImageDraw.Draw(self.pages[-1])
        self.y = self.top
        if len(self.pages) > 1:  # page numbers from page 2, centred in the top margin
            f = font("regular", self.px(13))
            self.text_centered(str(len(self.pages)), f, self.width // 2, int(10 * self.mm))

    def need(self, height: int) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    def text_centered(self, text: str, f, cx: int, y: int) -> tuple[int, int, int, int]:
        w = self.draw.textlength(text, font=f)
        x = int(cx - w / 2)
        self.draw.text((x, y), text, font=f, fill="black")
        return (x, y, int(x + w), y + f.size)

    def wrap(
        self, runs: list[Run], width: int, size: int, first_indent: int = 0
    ) -> list[list[tuple[str, str]]]:
        words = [(w, r.style) for r in runs for w in r.text.split()]
        lines, line, used = [], [], first_indent
        space = self.draw.textlength(" ", font=font("regular", size))
        for word, style in words:
            wlen = self.draw.textlength(word, font=font(style, size))
            if line and used + space + wlen > width:
                lines.append(line)
                line, used = [], 0
            used += (space if line else 0) + wlen
            line.append((word, style))
        if line:
            lines.append(line)
        return lines

    def paragraph(
        self,
        runs: list[Run],
        size_pt: float = 13.5,
        indent_mm: float = 12.7,
        align: str = "justify",
        x0: int | None = None,
        x1: int | None = None,
        after_pt: float = 6,
    ) -> None:
        size = self.px(size_pt)
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        indent = int(indent_mm * self.mm) if align == "justify" else 0
        lines = self.wrap(runs, x1 - x0, size, indent)
        leading = int(size * 1.3)
        for i, line in enumerate(lines):
            self.need(leading)
            start = x0 + (indent if i == 0 else 0)
            last = i == len(lines) - 1
            self._draw_line(line, size, start, x1, align if not (last and align == "justify") else "left")
            self.y += leading
        self.y += self.px(after_pt)

    def _draw_line(self, line: list[tuple[str, str]], size: int, x0: int, x1: int, align: str) -> None:
        widths = [self.draw.textlength(w, font=font(s, size)) for w, s in line]
        space = self.draw.textlength(" ", font=font("regular", size))
        total = sum(widths) + space * (len(line) - 1)
        if align == "justify" and len(line) > 1:
            gap = (x1 - x0 - sum(widths)) / (len(line) - 1)
            x = float(x0)
        else:
            gap = space
            x = x0 + ((x1 - x0 - total) / 2 if align == "center" else 0)
        for (word, style), w in zip(line, widths, strict=True):
            self.draw.text((int(x), self.y), word, font=font(style, size), fill="black")
            x += w + gap

    def rule(self, cx: int, length: int, y: int) -> None:
        self.draw.line(
            [(cx - length // 2, y), (cx + length // 2, y)], fill="black", width=max(1, self.px(0.8))
        )


def render_layout(truth: dict, dpi: int = 200, hand_fields: bool = False) -> Layout:
    """Draw the whole document; the text drawn is exactly the annotation's text.

    With *hand_fields* the number and the day and month are left blank in "Số: ..../KH-UBND" and
    "ngày .. tháng .. năm 2026", as offices print them, and returned as gaps to fill by pen.
    """
    w = _Writer(dpi)
    gaps: list = []
    number_box = _header(w, truth["header"], gaps if hand_fields else None)
    body_top = (len(w.pages) - 1, w.y)
    for runs in body_paragraphs(truth):
        w.paragraph(runs)
    signature = _closing(w, truth.get("closing", {}))
    margins = {"left": w.left, "right": w.right, "top": w.top, "bottom": w.bottom}
    return Layout(w.pages, dpi, body_top, signature, number_box, hand_gaps=gaps, margins=margins)


def _header(w: _Writer, h: dict, gaps: list | None = None) -> tuple[int, int, int, int]:
    f12, f12b, f13b = font("regular", w.px(12.5)), font("bold", w.px(12.5)), font("bold", w.px(13))
    # The motto column is flush with the right margin; the issuer column fills what is left of it.
    motto_w = int(w.draw.textlength(MOTTO[0], font=f12b))
    right_cx = w.right - motto_w // 2
    left_w = (w.right - motto_w) - w.left - int(6 * w.mm)
    left_cx = w.left + left_w // 2
    lh = int(w.px(12.5) * 1.3)
    y = w.top
    if h.get("issuer_parent"):
        w.text_centered(h["issuer_parent"], f12, left_cx, y)
        y += lh
    for line in h.get("issuer_lines") or _split_caps(w, h["issuer"], f12b, left_w):
        w.text_centered(line, f12b, left_cx, y)
        y += lh
    w.rule(left_cx, int(25 * w.mm), y + 4)
    w.text_centered(MOTTO[0], f12b, right_cx, w.top)
    motto2 = w.text_centered(MOTTO[1], f13b, right_cx, w.top + lh)
    w.rule(right_cx, motto2[2] - motto2[0], motto2[3] + 6)
    y = max(y, w.top + 2 * lh) + int(5 * w.mm)
    f13, f13i = font("regular", w.px(13)), font("italic", w.px(13))
    if gaps is None:
        number_box = w.text_centered(f"Số: {h['number']}/{h['symbol']}", f13, left_cx, y)
        w.text_centered(f"{h['place']}, ngày {_date_words(h['date'])}", f13i, right_cx, y)
    else:
        blank = "        "
        number_box = w.text_centered(f"Số: {blank}/{h['symbol']}", f13, left_cx, y)
        start = number_box[0] + int(w.draw.textlength("Số: ", font=f13))
        gaps.append(
            ((start, y - w.px(6), start + int(w.draw.textlength(blank, font=f13)), y + w.px(13)), h["number"])
        )
        year, month, day = h["date"].split("-")
        head = f"{h['place']}, ngày "
        line = f"{head}{blank[:6]}tháng{blank[:6]}năm {year}"
        box = w.text_centered(line, f13i, right_cx, y)
        x_day = box[0] + int(w.draw.textlength(head, font=f13i))
        x_month = box[0] + int(w.draw.textlength(head + blank[:6] + "tháng", font=f13i))
        width = int(w.draw.textlength(blank[:6], font=f13i))
        gaps.append(((x_day, y - w.px(6), x_day + width, y + w.px(13)), day))
        gaps.append(((x_month, y - w.px(6), x_month + width, y + w.px(13)), str(int(month))))
    y += int(w.px(13) * 1.5)
    if h.get("document_type"):
        w.y = y + int(6 * w.mm)
        w.paragraph([Run(h["document_type"], "bold")], size_pt=14, align="center", after_pt=2)
        x_pad = int(20 * w.mm)
        w.paragraph([Run(h["subject"], "bold")], size_pt=14, align="center",
                    x0=w.left + x_pad, x1=w.right - x_pad, after_pt=0)
        w.rule((w.left + w.right) // 2, int(35 * w.mm), w.y + int(2 * w.mm))
        w.y += int(8 * w.mm)
    else:
        w.y = y
        col_w = left_w
        w.paragraph([Run("V/v " + h["subject"])], size_pt=12, align="center",
                    x0=left_cx - col_w // 2, x1=left_cx + col_w // 2, after_pt=0)
        w.y += int(8 * w.mm)
    _addressees(w, h.get("addressees") or [])
    return number_box


def _split_caps(w: _Writer, text: str, f, width: int) -> list[str]:
    """Break a long agency name into balanced lines, the way typists centre it."""
    words = text.split()
    if w.draw.textlength(text, font=f) <= width or len(words) < 2:
        return [text]
    best = min(range(1, len(words)), key=lambda i: abs(
        w.draw.textlength(" ".join(words[:i]), font=f) - w.draw.textlength(" ".join(words[i:]), font=f)))
    return [" ".join(words[:best]), " ".join(words[best:])]


def _addressees(w: _Writer, addressees: list[str]) -> None:
    if not addressees:
        return
    size = w.px(14)
    f = font("regular", size)
    label_x = w.left + int(25 * w.mm)
    label_w = int(w.draw.textlength("Kính gửi: ", font=f))
    if len(addressees) == 1:
        w.draw.text((label_x, w.y), f"Kính gửi: {addressees[0]}.", font=f, fill="black")
        w.y += int(size * 1.6)
    else:
        w.draw.text((label_x, w.y), "Kính gửi:", font=f, fill="black")
        for i, name in enumerate(addressees):
            end = "." if i == len(addressees) - 1 else ";"
            w.draw.text((label_x + label_w, w.y), f"- {name}{end}", font=f, fill="black")
            w.y += int(size * 1.35)
        w.y += int(size * 0.4)
    w.y += w.px(6)


def body_paragraphs(truth: dict) -> list[list[Run]]:
    """The body as printed, one list of runs per paragraph: preamble, section headings, items with
    their clauses and sub-items, postamble. The renderer draws these and the evaluation reads them."""
    out = [[Run(p)] for p in truth.get("preamble", [])]
    for section in truth.get("sections", []):
        if section.get("number"):
            out.append([Run(f"{section['number']}. {section['title']}".rstrip(), "bold")])
        out += [[Run(p)] for p in section.get("paragraphs", [])]
        for item in section.get("items", []):
            out += _item_paragraphs(item)
    out += [[Run(p)] for p in truth.get("postamble", [])]
    return out


def _item_paragraphs(item: dict) -> list[list[Run]]:
    paras = list(item.get("paragraphs", []))
    marker = f"{item['number']})" if item["number"].isalpha() else f"{item['number']}."
    if item.get("heading") and item.get("inline") and paras:
        first = [Run(item["heading"], "bold"), Run(paras.pop(0))]
    elif item.get("heading"):
        first = [Run(item["heading"], "bold")]
    else:
        first = [Run(marker)] + ([Run(paras.pop(0))] if paras else [])
    out = [first] + [[Run(p)] for p in paras]
    for sub in item.get("items", []):
        out += _item_paragraphs(sub)
    return out


def _closing(w: _Writer, closing: dict) -> tuple[int, tuple[int, int, int, int]]:
    recipients = closing.get("recipients", [])
    signer = closing.get("signer_lines", [])
    lh_small, lh_sign = int(w.px(11) * 1.3), int(w.px(13.5) * 1.3)
    height = max(len(recipients) * lh_small + lh_sign, len(signer) * lh_sign + int(30 * w.mm))
    w.y += w.px(6)
    w.need(height)
    top = w.y
    text_w = w.right - w.left
    w.draw.text((w.left, top), "Nơi nhận:", font=font("bolditalic", w.px(12)), fill="black")
    y = top + int(w.px(12) * 1.3)
    f11 = font("regular", w.px(11))
    col_w = int(text_w * 0.46)
    for line in recipients:
        text = line if line.endswith(":") else f"- {line}"
        for i, part in enumerate(w.wrap([Run(text)], col_w, w.px(11))):
            indent = int(2 * w.mm) if i else 0
            w.draw.text((w.left + indent, y), " ".join(word for word, _ in part), font=f11, fill="black")
            y += lh_small
    cx = w.left + int(text_w * 0.72)
    y = top
    for line in signer:
        w.text_centered(line, font("bold", w.px(13.5)), cx, y)
        y += lh_sign
    sign_top = y
    y += int(22 * w.mm)
    name_box = (cx, y, cx, y)
    if closing.get("signer_name"):
        name_box = w.text_centered(closing["signer_name"], font("bold", w.px(13.5)), cx, y)
    w.y = max(y + lh_sign, top + (len(recipients) + 2) * lh_small)
    sig_box = (cx - int(25 * w.mm), sign_top, cx + int(25 * w.mm), name_box[1])
    return len(w.pages) - 1, sig_box


def _date_words(iso: str) -> str:
    year, month, day = iso.split("-")
    month_i = int(month)
    month_s = f"{month_i:02d}" if month_i < 3 else str(month_i)  # ND 30: months 1-2 zero-padded
    return f"{day} tháng {month_s} năm {year}"
