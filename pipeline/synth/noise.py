"""Scan noise for rendered pages: seal, "ĐẾN" stamp, pen notes, skew, blur, speckle, JPEG, gray.

Every random choice comes from one ``random.Random(seed)`` so a sample is reproducible.
"""

from __future__ import annotations

import datetime
import io
import math
import random
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from pipeline.synth.layout import Layout, font

RED = (205, 35, 45)
BLUE_INKS = [(35, 60, 170), (60, 40, 150), (20, 80, 190)]
PEN_INKS = [(25, 45, 160), (30, 30, 120), (160, 30, 40)]


@dataclass
class Noise:
    seal: bool = False
    stamp: bool = False
    notes: bool = False
    skew_deg: float = 0.0
    blur: float = 0.0
    speckle: float = 0.0  # share of pixels flipped
    jpeg_quality: int = 80
    grayscale: bool = False
    hand_fields: bool = False  # number, day and month written by pen into the printed blanks
    vary_contents: bool = False  # stamp figures and pen notes drawn from the seed, not the annotation
    bilevel: bool = False  # 1-bit like an office B&W scan: small files, no JPEG artefacts
    dpi: int = 150
    seed: int = 0


_HEAVY = Noise(seal=True, stamp=True, notes=True, skew_deg=3.5, blur=0.8, speckle=0.004, jpeg_quality=40,
               hand_fields=True)
LEVELS = {
    "clean": Noise(bilevel=True, dpi=200),
    "noisy": Noise(seal=True, stamp=True, notes=True, skew_deg=1.5, blur=0.4, speckle=0.0015,
                   jpeg_quality=50),
    "heavy": _HEAVY,
    "heavy-gray": replace(_HEAVY, grayscale=True),
}


def apply_noise(layout: Layout, truth: dict, noise: Noise) -> list[Image.Image]:
    """Return noisy copies of the layout's pages."""
    rng = random.Random(noise.seed)
    pages = [p.copy() for p in layout.pages]
    drawn = drawn_marks(truth, noise)
    if noise.stamp and drawn["registration"]:
        _registration_stamp(pages[0], layout, drawn["registration"], rng)
    if noise.notes:
        for note in drawn["handwriting"]:
            _margin_note(pages[rng.randrange(len(pages))], layout, note, rng)
    pen = rng.choice(PEN_INKS[:2])
    for box, text in layout.hand_gaps:
        _hand_in_gap(pages[0], box, text, pen, rng)
    if noise.seal:
        page_index, box = layout.signature
        _seal(pages[page_index], box, truth["header"]["issuer"], layout.dpi, rng)
    out = []
    for page in pages:
        angle = rng.uniform(-noise.skew_deg, noise.skew_deg) if noise.skew_deg else 0.0
        if angle:
            page = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor="white")
        if noise.blur:
            page = page.filter(ImageFilter.GaussianBlur(noise.blur))
        if noise.speckle:
            page = _speckle(page, noise.speckle, rng)
        if noise.bilevel:
            out.append(page.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1"))
            continue
        if noise.grayscale:
            page = page.convert("L")
        out.append(_jpeg_roundtrip(page, noise.jpeg_quality))
    return out


def _ink_text(draw: ImageDraw.ImageDraw, xy, text: str, size: int, ink, rng: random.Random) -> None:
    f = font("hand", size)
    x, y = xy
    for ch in text:  # jitter each glyph a little, like a pen
        draw.text((x, y + rng.randint(-2, 2)), ch, font=f, fill=ink)
        x += draw.textlength(ch, font=f) * rng.uniform(0.95, 1.1)


def _registration_stamp(page: Image.Image, layout: Layout, reg: dict, rng: random.Random) -> None:
    """Rectangle per ND 30 Phụ lục IV: agency, ĐẾN, Số, Ngày, Chuyển; pen-written values."""
    mm = layout.dpi / 25.4
    w, h = int(50 * mm), int(30 * mm)
    _, body_y = layout.body_top
    x = layout.margins["left"] + rng.randint(-int(12 * mm), int(5 * mm))
    y = max(layout.margins["top"], body_y - int(rng.uniform(0.6, 0.9) * h))
    ink = rng.choice(BLUE_INKS)
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    d.rectangle([x, y, x + w, y + h], outline=ink + (230,), width=max(2, int(0.5 * mm)))
    small, big = int(2.8 * mm), int(4.5 * mm)
    label_font = font("bold", small)
    d.text(
        (x + int(2 * mm), y + int(1.5 * mm)), reg.get("receiver", "")[:28], font=label_font, fill=ink + (230,)
    )
    d.text(
        (x + int(3 * mm), y + int(6 * mm)), reg.get("label", "ĐẾN"), font=font("bold", big), fill=ink + (230,)
    )
    rows = [("Số:", reg.get("number", "")), ("Ngày:", _dmy(reg.get("date"))),
            ("Chuyển:", reg.get("forwarded_to") or "")]
    pen = rng.choice(PEN_INKS[:2])
    for i, (label, value) in enumerate(rows):
        ry = y + int((12 + i * 5.5) * mm)
        d.text((x + int(2 * mm), ry), label, font=label_font, fill=ink + (230,))
        if value:
            _ink_text(d, (x + int(16 * mm), ry - int(1.5 * mm)), value, int(4.2 * mm), pen + (255,), rng)
    layer = layer.rotate(rng.uniform(-3, 3), center=(x + w / 2, y + h / 2))
    _press(page, layer)


NOTE_POOL = ["Đ/c Hùng xử lý", "Gấp", "Chuyển P. TH", "Lưu HS", "Kính chuyển A. Nam", "Báo cáo LĐ", "Đã xem",
             "P. KH-TC tham mưu", "Theo dõi", "Sao gửi các phòng"]


def annotated_marks(truth: dict) -> dict:
    """The stamp and pen notes an annotation records ("noise", or "noise_in_source" for the seed)."""
    return truth.get("noise") or truth.get("noise_in_source") or {}


def drawn_marks(truth: dict, noise: Noise) -> dict:
    """What the stamp and pen notes say on this render: the annotation's own marks, or with
    ``vary_contents`` a stamp number, an incoming date and notes drawn from the seed. The benchmark
    scores against this, so varied renders keep an exact answer."""
    marks = annotated_marks(truth)
    registration = dict(marks.get("registration") or marks.get("registration_stamp") or {}) or None
    notes = list(marks.get("handwriting", []))[:3]
    if noise.vary_contents and registration:
        header = truth["header"]  # per document too, so one hard-to-read figure does not stand for all
        rng = random.Random(f"contents-{noise.seed}-{header['number']}/{header['symbol']}")
        registration["number"] = str(rng.randint(100, 19999))
        issued = datetime.date.fromisoformat(truth["header"]["date"])
        registration["date"] = (issued + datetime.timedelta(days=rng.randint(1, 25))).isoformat()
        notes = rng.sample(NOTE_POOL, 2) + notes[:1]
    return {"registration": registration, "handwriting": notes}


def _hand_in_gap(page: Image.Image, box, text: str, ink, rng: random.Random) -> None:
    """Digits written by pen into a blank of the printed header, a little above the line."""
    x0, y0, x1, y1 = box
    size = int((y1 - y0) * rng.uniform(0.9, 1.05))
    draw = ImageDraw.Draw(page)
    while size > 10 and draw.textlength(text, font=font("hand", size)) * 1.1 > (x1 - x0):
        size -= 2  # people write smaller to fit the blank
    spare = int((x1 - x0) - draw.textlength(text, font=font("hand", size)) * 1.1)
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    _ink_text(ImageDraw.Draw(layer), (x0 + rng.randint(0, max(1, spare)), y0 - size // 5), text, size,
              ink + (255,), rng)
    _press(page, layer)


def _margin_note(page: Image.Image, layout: Layout, text: str, rng: random.Random) -> None:
    mm = layout.dpi / 25.4
    right = rng.random() < 0.5
    x = layout.margins["right"] - int(45 * mm) if right else int(5 * mm)
    y = rng.randint(layout.margins["top"] + int(40 * mm), layout.margins["bottom"] - int(30 * mm))
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    _ink_text(
        ImageDraw.Draw(layer), (x, y), text, int(rng.uniform(4, 5.5) * mm), rng.choice(PEN_INKS) + (255,), rng
    )
    layer = layer.rotate(rng.uniform(-8, 8), center=(x, y))
    _press(page, layer)


def _seal(page: Image.Image, sig_box, issuer: str, dpi: int, rng: random.Random) -> None:
    """Red round seal covering about a third of the signature, toward its left (ND 30 Điều 33)."""
    mm = dpi / 25.4
    r = int(rng.uniform(17, 20) * mm)
    cx = sig_box[0] + int(rng.uniform(0.1, 0.3) * (sig_box[2] - sig_box[0]))
    cy = (sig_box[1] + sig_box[3]) // 2 + rng.randint(-int(3 * mm), int(3 * mm))
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    alpha = rng.randint(170, 220)
    ink = RED + (alpha,)
    for radius, width in ((r, int(0.9 * mm)), (int(r * 0.68), int(0.5 * mm))):
        d.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=ink, width=max(2, width))
    f = font("bold", int(3.2 * mm))
    text = f" {issuer} * "
    for i, ch in enumerate(text):  # letters around the ring
        angle = math.pi + 2 * math.pi * i / len(text)
        gx, gy = cx + 0.84 * r * math.cos(angle), cy + 0.84 * r * math.sin(angle)
        glyph = Image.new("RGBA", (f.size * 2, f.size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((f.size // 2, f.size // 2), ch, font=f, fill=ink)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        layer.alpha_composite(glyph, (int(gx - f.size), int(gy - f.size)))
    star = [(cx + r * 0.3 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
             cy - r * 0.3 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    d.polygon(star, fill=ink)
    _press(page, layer)


def _press(page: Image.Image, layer: Image.Image) -> None:
    """Ink on paper multiplies: print under a stamp or a pen stroke stays black."""
    white = Image.new("RGBA", page.size, (255, 255, 255, 255))
    ink = Image.alpha_composite(white, layer).convert("RGB")
    page.paste(ImageChops.multiply(page.convert("RGB"), ink))


def _speckle(page: Image.Image, share: float, rng: random.Random) -> Image.Image:
    arr = np.array(page)
    gen = np.random.default_rng(rng.randrange(2**32))
    mask = gen.random(arr.shape[:2]) < share
    arr[mask] = 0
    white = gen.random(arr.shape[:2]) < share / 2
    arr[white] = 255
    return Image.fromarray(arr)


def _jpeg_roundtrip(page: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).copy()


def _dmy(iso: str | None) -> str:
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"
