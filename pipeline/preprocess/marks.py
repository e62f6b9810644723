"""Marks that are not body print: seals, the "ĐẾN" registration stamp, pen notes, scanner specks.

Each step takes the aligned colour page and the gray page it cleans in place, and returns the marks
it found (each an Annotation with, where there is one, an ink-only picture for the OCR stage to read).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.config import PreprocessConfig
from pipeline.models import Annotation
from pipeline.preprocess.frames import erase_frame, has_frame, ruled_lines
from pipeline.work import Mark

INK_BELOW = 170  # a pixel darker than this is ink of some kind; paper and a JPEG halo are lighter
LIT_ABOVE = 60  # coloured ink is brighter than this in its brightest channel; darker "colour" is print's
SPECK_MM = 6  # coloured ink smaller than this is a speck, not a mark
# A stamp's box: Nghị định 30 draws it 50 x 35 mm; pressed by hand, offices' stamps vary this much.
STAMP_WIDTH_MM, STAMP_HEIGHT_MM = (30, 80), (15, 55)
STAMP_SIDES_APART_MM = 25  # a ruled box's two sides stand at least this far apart (a heading's rule has none)
SEAL_MIN_MM = 25  # a red mark wider than this is a seal
SEAL_ROUNDNESS = (0.75, 1.33)  # ... and, as wide as high within this, one whatever its frame
SEAL_RADIUS_MM = (14, 23)  # a seal's ring in a scan without colour: 28-46 mm across
RING_INKED_SHARE = 0.6  # of the ring's angles, this share inked: a seal, not a circle Hough found in text
PALE_INK_SHARE = 0.3  # pale ink more than this share of the dark ink: faint print, not pen notes
NOTE_GAP_MM = 8  # pieces of a pen note this close along a row are one note
NO_COLOUR_SHARE = 1e-4  # a page with less strongly coloured ink than this has no colour marks
FRINGE_ABOVE = 150  # faintly tinted pixels paler than this beside a mark are its JPEG fringe
TINT_DARKER_THAN = 100  # print with a colour cast is darker than this in its brightest channel
RED_HUE = (12, 160)  # OpenCV hue (0-180) below the first or above the second is a seal's red
GRAY_SCAN_SATURATION = 3  # a page whose mean saturation is at most this is a scan without colour
TONER_SHARE = 10  # an ink piece is toner when at least 1/10 of it is print-black
UNPRINTED_SHARE = 0.15  # a stamp crop whose ink is this much off print shows the stamp apart from it
# A group of pale strokes is a pen note when it holds this many strokes' worth of ink and this share
# of the ink in its box is pale, or a smaller group nearly all pale.
NOTE_STROKES, NOTE_SHARE = 20, 0.6
SMALL_NOTE_STROKES, SMALL_NOTE_SHARE = 10, 0.9


def colour_ink(image: np.ndarray, gray: np.ndarray, page: int, cfg: PreprocessConfig) -> list[Mark]:
    """Whiten saturated ink (red seals, blue/violet stamps and pen) in *gray*; body print is black."""
    if not cfg.drop_colour_ink:
        return []
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    saturation = hsv[:, :, 1]
    strong = ((saturation > cfg.colour_saturation) & (hsv[:, :, 2] > LIT_ABOVE)).astype(np.uint8)
    if strong.mean() < NO_COLOUR_SHARE:
        return []
    # JPEG's halved chroma leaves thin coloured strokes greyish; near clearly coloured ink a weaker
    # tint is enough.
    near = cv2.dilate(strong, np.ones((9, 9), np.uint8)) > 0
    weak = (saturation > cfg.colour_saturation // 2) & near
    mask = ((strong > 0) | weak).astype(np.uint8)
    mm = _px_per_mm(image)
    groups = [
        (box, red)
        for box, red in _ink_groups(mask, hsv[:, :, 0], mm)
        if not _tinted_print(
            image[box[1] : box[3], box[0] : box[2]], strong[box[1] : box[3], box[0] : box[2]] > 0, cfg
        )
    ]
    inked = np.zeros_like(mask)
    for x0, y0, x1, y1 in (box for box, _ in groups):
        inked[y0:y1, x0:x1] = mask[y0:y1, x0:x1]
    # Black print crossed by the ink stays black in every channel; pen ink, however dark, has a
    # bright blue or red channel. Faintly tinted pixels next to print are its JPEG fringe.
    gray[(strong > 0) & (inked > 0) & (gray > LIT_ABOVE)] = 255
    gray[weak & (inked > 0) & (gray > FRINGE_ABOVE)] = 255
    found = []
    for (x0, y0, x1, y1), red in groups:
        ink = mask[y0:y1, x0:x1] > 0
        kind = _kind_of((x1 - x0) / mm, (y1 - y0) / mm, red, ink, mm)
        if cfg.mark_residue_above and kind != "seal":
            # JPEG leaves a pale halo of the masked strokes that Tesseract glues to the print beside
            # it ("Thực" -> "fBực"); print under the mark stays dark, so only pale pixels go.
            region = gray[y0:y1, x0:x1]
            region[region > cfg.mark_residue_above] = 255
        # An ink-only picture of the mark: stronger colour is darker, everything else white.
        crop = np.full(ink.shape, 255, np.uint8)
        crop[ink] = np.clip(2 * (255 - saturation[y0:y1, x0:x1][ink].astype(int)) - 255, 0, 255)
        # A stamp's pen figures are also read from their darkness, which blur and JPEG spare.
        # (A box whose frame the colour test missed may still prove a stamp by its "ĐẾN".)
        stamp_sized = _stamp_sized((x1 - x0) / mm, (y1 - y0) / mm)
        views = (
            [_stamp_picture(image[y0:y1, x0:x1], cfg.gray_print_below)]
            if kind != "seal" and stamp_sized
            else []
        )
        found.append(Mark(Annotation(kind=kind, page=page, bbox=(x0, y0, x1, y1), ink_removed=True),
                          image=crop, views=views))
    return found


def _tinted_print(bgr: np.ndarray, strong: np.ndarray, cfg: PreprocessConfig) -> bool:
    """Colour that is dark print with a tint (a scanner's colour cast on its edges), not ink.

    Saturation alone takes it for ink: (63, 46, 49) is 69 saturated, but its channels lie only 17
    apart; a pen's or stamp pad's ink that dark keeps them further apart. Marks where most of the
    coloured pixels are such are no marks (a real scan's print gave a hundred of them a page).
    """
    blue, green, red = cv2.split(bgr)
    top = cv2.max(cv2.max(blue, green), red)
    chroma = cv2.subtract(top, cv2.min(cv2.min(blue, green), red))
    tinted = strong & (top < TINT_DARKER_THAN) & (chroma <= cfg.colour_chroma)
    return int(tinted.sum()) * 2 > int(strong.sum())


def _stamp_picture(bgr: np.ndarray, print_below: int) -> np.ndarray:
    """A stamp's ink as dark as it was scanned, print behind it whitened.

    Blur and JPEG leave thin pen figures only faintly coloured, so a picture drawn from colour
    alone breaks their strokes; their darkness survives. Print is told apart by being black in
    every channel, where the pad's and pen's ink keep one channel bright.
    """
    blue, green, red = cv2.split(bgr)
    picture = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    printed = _print_mask(cv2.max(cv2.max(blue, green), red), print_below, ink=picture < INK_BELOW)
    if printed is not None:
        picture[printed] = 255
    return despeckle(picture)


def _ink_groups(
    mask: np.ndarray, hue: np.ndarray | None, mm: float
) -> list[tuple[tuple[int, int, int, int], bool]]:
    """Boxes of the marks, each with whether its ink is red: ink a millimetre apart belongs
    together; overlapping boxes of the same colour family are one mark (a faint stamp frame breaks
    a stamp into halves)."""
    # Group on a quarter-size mask: the same blobs at a sixteenth of the cost.
    small = cv2.resize(mask, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    blobs = cv2.dilate((small > 0).astype(np.uint8), np.ones((max(1, int(mm)), max(1, int(mm))), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(blobs)
    height, width = mask.shape
    boxes = []
    for i in range(1, count):
        x, y, w, h = (int(v) * 4 for v in stats[i][:4])
        x1, y1 = min(x + w, width), min(y + h, height)
        if max(x1 - x, y1 - y) < SPECK_MM * mm:
            continue  # a speck of colour, not a mark
        ink = mask[y:y1, x:x1] > 0
        boxes.append(
            (
                (x, y, x1, y1),
                hue is not None and ink.any() and _is_red(float(np.median(hue[y:y1, x:x1][ink]))),
            )
        )
    i = 0
    while i < len(boxes):  # merge until no two boxes of one colour family overlap
        j = next((j for j in range(i + 1, len(boxes)) if boxes[j][1] == boxes[i][1]
                  and _overlap(boxes[i][0], boxes[j][0])), None)
        if j is None:
            i += 1
            continue
        (a, red), (b, _) = boxes[i], boxes.pop(j)
        boxes[i] = ((min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])), red)
        i = 0  # the grown box may now reach one already passed
    return boxes


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _is_red(hue: float) -> bool:
    """OpenCV hue (0-180) of seal red, either side of zero."""
    return hue < RED_HUE[0] or hue > RED_HUE[1]


def _stamp_sized(w_mm: float, h_mm: float) -> bool:
    return STAMP_WIDTH_MM[0] <= w_mm <= STAMP_WIDTH_MM[1] and STAMP_HEIGHT_MM[0] <= h_mm <= STAMP_HEIGHT_MM[1]


def _kind_of(w_mm: float, h_mm: float, red: bool, ink: np.ndarray, mm: float) -> str:
    if red and SEAL_ROUNDNESS[0] < w_mm / max(h_mm, 1) < SEAL_ROUNDNESS[1] and w_mm > SEAL_MIN_MM:
        return "seal"
    if _stamp_sized(w_mm, h_mm) and has_frame(ink, mm):
        return "stamp"
    return "seal" if red and w_mm > SEAL_MIN_MM else "handwriting"


def gray_seals(image: np.ndarray, gray: np.ndarray, page: int, cfg: PreprocessConfig) -> list[Mark]:
    """Seals in scans without colour: a ring of 30-45 mm; its mid-grey ink is lighter than print."""
    if not cfg.gray_seals or _has_colour(image):
        return []
    mm = _px_per_mm(image)
    scale = 0.25
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    circles = cv2.HoughCircles(
        cv2.medianBlur(small, 5),
        cv2.HOUGH_GRADIENT,
        dp=1.5,
        minDist=int(40 * mm * scale),
        param1=120,
        param2=60,
        minRadius=int(SEAL_RADIUS_MM[0] * mm * scale),
        maxRadius=int(SEAL_RADIUS_MM[1] * mm * scale),
    )
    found = []
    for cx, cy, r in (circles[0] if circles is not None else []):
        cx, cy, r = cx / scale, cy / scale, r / scale
        yy, xx = np.ogrid[: gray.shape[0], : gray.shape[1]]
        dist = np.hypot(yy - cy, xx - cx)
        ring = (dist > 0.6 * r) & (dist < 1.08 * r)
        if not _ring_is_ink(gray, cx, cy, r):
            continue
        gray[ring & (gray > cfg.gray_print_below)] = 255
        box = (int(cx - r), int(cy - r), int(cx + r), int(cy + r))
        found.append(Mark(Annotation(kind="seal", page=page, bbox=box)))
    return found


def _ring_is_ink(gray: np.ndarray, cx: float, cy: float, r: float) -> bool:
    """A seal's outer ring is inked most of the way round; a circle Hough found in text is not."""
    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    radii = np.linspace(0.9 * r, 1.08 * r, 12)
    xs = (cx + np.outer(np.cos(angles), radii)).astype(int).clip(0, gray.shape[1] - 1)
    ys = (cy + np.outer(np.sin(angles), radii)).astype(int).clip(0, gray.shape[0] - 1)
    darkest = gray[ys, xs].min(axis=1)
    return float((darkest < INK_BELOW).mean()) > RING_INKED_SHARE


def gray_stamps(image: np.ndarray, gray: np.ndarray, page: int, cfg: PreprocessConfig) -> list[Mark]:
    """Stamp boxes in scans without colour: a ruled rectangle of stamp size (ND 30: 50 x 35 mm).

    Only a candidate: the OCR stage reads it and keeps it if it holds the stamp's labels.
    Its frame, and its ink where that is lighter than print, are whitened so the body lines it
    crosses read cleanly.
    """
    if not cfg.gray_stamps or _has_colour(image):
        return []
    mm = _px_per_mm(image)
    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    rows, cols = ruled_lines(ink, mm)
    frame = cv2.dilate(cv2.bitwise_or(rows, cols), np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(frame)
    found = []
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if not _stamp_sized(w / mm, h / mm):
            continue
        # A stamp pressed a degree or two off the print spreads its sides over several columns.
        wide = cv2.dilate(cols[y:y + h, x:x + w], np.ones((1, max(1, int(2 * mm))), np.uint8))
        sides = np.flatnonzero((wide > 0).sum(axis=0) > 0.4 * h)
        if sides.size < 2 or sides[-1] - sides[0] < STAMP_SIDES_APART_MM * mm:
            continue  # a rule under a heading has no sides; a box has two, a stamp's width apart
        region = gray[y:y + h, x:x + w]
        crop = region.copy()
        printed = _print_mask(region, cfg.gray_print_below)
        if printed is not None:
            # the stamp read without the line behind it ("2025" is no part of its number), the
            # line read without the stamp's labels and pen figures
            crop[printed] = 255
            region[~cv2.dilate(printed.astype(np.uint8), np.ones((13, 13), np.uint8)).astype(bool)] = 255
        # Specks the page's own denoising removes later would break the stamp's small labels.
        crop = despeckle(crop)
        erase_frame(region, rows[y:y + h, x:x + w], cols[y:y + h, x:x + w], ink[y:y + h, x:x + w] > 0, mm)
        found.append(Mark(Annotation(kind="stamp", page=page, bbox=(x, y, x + w, y + h)), image=crop))
    return found


def _solid(mask: np.ndarray, more_than: int) -> np.ndarray:
    """The parts of *mask* whose connected pieces are larger than *more_than* pixels."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8))
    large = stats[:, cv2.CC_STAT_AREA] > more_than
    large[0] = False
    return large[labels]


def _ink_pieces(ink: np.ndarray, black: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Connected pieces of *ink*: their labels, sizes, and which are toner, a tenth or more *black*
    (a glyph is black along its strokes however blurred; a pen's or stamp pad's stroke is mid-gray
    throughout). *black* is print-black after a 3 x 3 median, which takes a pen's stray dark pixel."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    sizes = stats[:, cv2.CC_STAT_AREA]
    toner = np.bincount(labels[black], minlength=count) > sizes // TONER_SHARE
    toner[0] = False
    return labels, sizes, toner


def _print_mask(crop: np.ndarray, print_below: int, ink: np.ndarray | None = None) -> np.ndarray | None:
    """Where body print lies in a crop of a stamp (its glyphs and their edges).

    Toner is the darkest ink on a page; a stamp pad's and a pen's ink scan lighter, with no
    print-black core. When nearly all *ink* (by default: whatever is not near-white in *crop*)
    lies at such a core the stamp is as black as the print, nothing tells them apart, and the
    answer is None.
    """
    ink = crop < INK_BELOW if ink is None else ink
    # Print is black along its strokes (a scanner's black speck is smaller: a 150-dpi speck,
    # upscaled, spans some 40 pixels); blurred regular-weight print only along the middle of its
    # strokes, which a 3 x 3 median keeps, in every glyph, if in specks (see gray_pen), and in
    # a glyph a pen's stroke touches, in runs. A pen's stroke is black at a stray pixel at most,
    # which the median takes away.
    black = cv2.medianBlur(crop, 3) < print_below
    labels, sizes, toner = _ink_pieces(ink | black, black)
    thin = _solid(black, 12) | ((toner & (sizes > 60))[labels] & black)
    # a glyph's anti-aliased edge and its tone marks lie within a few pixels of its black core
    # (the middle of a thin stroke: within two)
    printed = (cv2.dilate(_solid(crop < print_below, 60).astype(np.uint8), np.ones((9, 9), np.uint8)) > 0) \
        | (cv2.dilate(thin.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0)
    if (ink & ~printed).sum() < UNPRINTED_SHARE * max(1, ink.sum()):
        return None
    return printed


def gray_pen(image: np.ndarray, gray: np.ndarray, page: int, cfg: PreprocessConfig) -> list[Mark]:
    """Pen notes in scans without colour: words of ink lighter than toner.

    A glyph of toner is print-black at its core however blurred; a pen's stroke is mid-gray
    throughout. A group of such strokes is a note when it is the most of the ink in its box:
    print's pale bits (a slash, a tone mark) stand among dark glyphs; a note that crosses print
    is grown from such a group along its row (see _note_rows). Runs after the stamp step, which
    has taken the stamp's ink; a page with much pale ink (faint print) is left alone.
    """
    if not cfg.gray_pen or _has_colour(image):
        return []
    labels, sizes, toner = _ink_pieces(gray < INK_BELOW, cv2.medianBlur(gray, 3) < cfg.gray_print_below)
    solid = sizes >= cfg.gray_pen_stroke_px  # smaller ones are specks: neither pen nor print
    solid[0] = False
    pen = solid & ~toner
    if not pen.any() or sizes[pen].sum() > PALE_INK_SHARE * sizes[solid & ~pen].sum():
        return []
    light = pen[labels].astype(np.uint8)
    mm = _px_per_mm(image)
    groups = []
    for x0, y0, x1, y1 in (box for box, _ in _ink_groups(light, None, mm)):
        strokes = int(light[y0:y1, x0:x1].sum())
        share = strokes / max(1, solid[labels[y0:y1, x0:x1]].sum())
        stroke = cfg.gray_pen_stroke_px
        sure = (strokes >= NOTE_STROKES * stroke and share >= NOTE_SHARE
                or strokes >= SMALL_NOTE_STROKES * stroke and share >= SMALL_NOTE_SHARE)
        groups.append(((x0, y0, x1, y1), sure))
    found = []
    for x0, y0, x1, y1 in _note_rows(groups, gap=NOTE_GAP_MM * mm):
        strokes = light[y0:y1, x0:x1] > 0
        region = gray[y0:y1, x0:x1]
        crop = np.full(strokes.shape, 255, np.uint8)
        crop[strokes] = region[strokes]
        region[strokes] = 255
        found.append(Mark(Annotation(kind="handwriting", page=page, bbox=(x0, y0, x1, y1), ink_removed=True),
                          image=crop))
    return found


def _note_rows(
    groups: list[tuple[tuple[int, int, int, int], bool]], gap: float
) -> list[tuple[int, int, int, int]]:
    """Boxes of the notes: each sure group (mostly pen ink) grown along its row by the pale groups
    beside it, a few millimetres apart. Where a note crosses print its strokes merge with the
    glyphs and it breaks into pieces that are not mostly pen each; beside a sure piece they are.
    """
    notes = [box for box, sure in groups if sure]
    rest = [box for box, sure in groups if not sure]
    grown = True
    while grown:
        grown = False
        for i, note in enumerate(notes):
            for box in [b for b in rest if _beside(note, b, gap)]:
                rest.remove(box)
                note = (
                    min(note[0], box[0]),
                    min(note[1], box[1]),
                    max(note[2], box[2]),
                    max(note[3], box[3]),
                )
                notes[i], grown = note, True
    return notes


def _beside(a: tuple[int, int, int, int], b: tuple[int, int, int, int], gap: float) -> bool:
    """Same row (half of the lower box's height shared) and at most *gap* apart sideways."""
    shared = min(a[3], b[3]) - max(a[1], b[1])
    return shared >= 0.5 * min(a[3] - a[1], b[3] - b[1]) and max(a[0], b[0]) - min(a[2], b[2]) <= gap


def _has_colour(image: np.ndarray) -> bool:
    small = cv2.resize(image, None, fx=0.1, fy=0.1, interpolation=cv2.INTER_AREA)
    return float(cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[:, :, 1].mean()) > GRAY_SCAN_SATURATION


def despeckle(gray: np.ndarray, dpi: int = 300) -> np.ndarray:
    """The page's denoising: a 3 x 3 median, then the dots it leaves smaller than a dot-below."""
    return drop_specks(cv2.medianBlur(gray, 3), dpi)


def drop_specks(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Whiten isolated dark dots smaller than a Vietnamese dot-below (about 4 px wide at 300 dpi)."""
    binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    limit = 10 * (dpi / 300) ** 2
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= limit)
    small = small[small > 0]
    if small.size:
        gray = gray.copy()
        gray[np.isin(labels, small)] = 255
    return gray


def _px_per_mm(image: np.ndarray) -> float:
    """Pages are A4 (210 mm wide) in portrait after orientation."""
    return min(image.shape[:2]) / 210


MASK_STEPS = [colour_ink, gray_seals, gray_stamps, gray_pen]
