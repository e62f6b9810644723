"""Configuration: one pydantic model per stage, layered default.toml -> user TOML -> --set overrides."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "default.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestConfig(_Section):
    dpi: int = Field(300, description="rasterising resolution for PDF pages that hold no single page image")
    use_text_layer: bool = Field(True, description="read a PDF's own text layer when it is usable (no OCR)")
    min_text_layer_words: int = Field(
        30, description="fewer words than this on a page: treat the page as a scan"
    )
    min_diacritic_ratio: float = Field(
        0.2, description="share of words with Vietnamese letters below which a text layer is garbage"
    )
    min_syllable_ratio: float = Field(
        0.7, description="share of a text layer's words that must be Vietnamese syllables; fewer "
                         "(glyph codes, a legacy encoding) and the page is OCR'd")
    max_pixels: int = Field(
        120_000_000, description="larger images are refused (a 40 000-px image is no page scan)"
    )
    max_pages: int = Field(500, description="documents with more pages are refused")


class PreprocessConfig(_Section):
    drop_colour_ink: bool = Field(
        True, description="blank out saturated (red/blue/violet) ink: seals, stamps, pen notes"
    )
    colour_saturation: int = Field(
        60, description="HSV saturation above which a pixel counts as coloured ink (0-255)"
    )
    colour_chroma: int = Field(25, description="a mark whose coloured pixels are mostly darker than 100 with "
                                               "channels at most this far apart is tinted print")
    mark_residue_above: int = Field(
        150, description="inside a stamp or pen mark, paler pixels are its JPEG halo and go (0 = keep)"
    )
    orientation: Literal["auto", "osd", "off"] = Field(
        "auto", description='turn sideways/upside-down pages upright: "auto" (cheap test, OSD when needed), '
                            '"osd" (always), "off"')
    gray_seals: bool = Field(True, description="scans without colour: find round seals by shape and lighten "
                                               "their ink")
    gray_stamps: bool = Field(True, description='scans without colour: find the ruled "ĐẾN" box, read it, '
                                                'whiten its frame')
    gray_pen: bool = Field(True, description="scans without colour: whiten words of ink lighter than toner "
                                             "(pen notes)")
    gray_pen_stroke_px: int = Field(80, description="... counting strokes of at least this many pixels "
                                                    "(300 dpi); smaller are specks")
    gray_print_below: int = Field(
        70,
        description="scans without colour: toner is darker than this, a seal's, stamp's or pen's ink is not",
    )
    deskew: bool = Field(True, description="level the text lines of each page")
    max_skew_deg: float = Field(5.0, description="largest skew searched for, in degrees either way")
    denoise: Literal["none", "median3"] = Field("median3", description='"median3": a 3x3 median, then dots '
                                                                     'smaller than a dot-below go')
    upscale_below_dpi: int = Field(250, description="smaller scans are enlarged to 300 dpi before OCR "
                                                    "(Tesseract likes ~300)")
    binarize: bool = Field(False, description="hand Tesseract a black-and-white page (Otsu): a third faster, "
                                              "but bold diacritics suffer")
    debug: bool = Field(False, description="write the masked page images to <outdir>/<doc>/debug/")


class OcrConfig(_Section):
    engine: str = Field("tesseract", description='a registered engine name or "package.module:Class"')
    lang: str = Field("vie", description="the engine's language model(s), as Tesseract names them")
    psm: int = Field(3, description="Tesseract page segmentation mode; automatic (3) keeps the two header "
                                    "columns apart")
    timeout_s: int = Field(180, description="per page (a job of many pictures gets as many pages' worth)")
    workers: int = Field(1, description="Tesseract runs side by side, each single-threaded on its share of "
                                        "the pictures (0 = one per core)")
    min_word_conf: float = Field(0, description="words below this confidence are dropped (0 keeps all)")
    upside_down_below: float = Field(60, description="a page read with lower mean confidence is tried upside "
                                                     "down (0 = never)")
    reread_header_lines: bool = Field(True, description="read the header lines of page 1 (top third) again, "
                                                        "thinned and at 0.7x, and vote word by word")
    reread_column_pieces: bool = Field(True, description="read again, piece by piece, a line Tesseract ran "
                                                         "across a column gap (recipients | signer)")
    lone_figure_lang: str = Field("eng", description="model for a lone pen figure in the header the "
                                                     'Vietnamese one reads as nothing ("" = off)')
    stamp_settle_baselines: bool = Field(True, description="set each pen figure of the stamp back on its "
                                                           "row's baseline before reading")
    stamp_row_pieces: bool = Field(True, description="also read each piece of each stamp row alone (a figure "
                                                     "away from its label and print remnants)")
    stamp_deskew: bool = Field(False, description="also read the stamp's figures levelled to its own tilt "
                                                  "(as many readings again)")
    stamp_digit_scales: list[float] = Field([0.5, 0.4, 0.6, 0.35], description="sizes (x 300 dpi) at which a "
                                            "stamp's pen figures are read and voted on; ties go to the first")
    stamp_piece_lang: str = Field(
        "eng",
        description='model for the stamp\'s row pieces ("" or not installed = '
        "ocr.lang); the whole pictures are read by ocr.lang",
    )


class CleanConfig(_Section):
    join_broken_lines: bool = Field(
        True, description="mend paragraphs and words split across lines and pages"
    )
    separate_marks: bool = Field(
        True, description='OCR text files: take the "ĐẾN" stamp and pen notes out of the body'
    )
    mend_syllables: bool = Field(
        True, description="a token that is no Vietnamese syllable is mended when one listed word fits"
    )


class ListsConfig(_Section):
    patterns: str = Field(
        "configs/patterns.toml",
        description="words and patterns the clean, segment and extract stages use (relative to the project)",
    )
    doc_types: str = Field("configs/lists/doc_types.txt", description="document types (Phụ lục III) and "
                                                                       "their abbreviations")
    places: str = Field("configs/lists/places.txt", description="place names that head the date line")
    agencies: list[str] = Field(["configs/lists/agencies.txt"], description="agency lists, merged in order: "
                                "canonical names and their aliases")


class ExportConfig(_Section):
    outdir: str = Field("outputs", description="folder that receives <doc_id>/ with the results (relative to "
                                               "the working directory); `run -o` sets it")
    formats: list[Literal["json", "csv", "review"]] = Field(
        ["json", "csv", "review"],
        description="review = review.html, the page to check an extraction in a browser",
    )


class Config(_Section):
    ingest: IngestConfig = IngestConfig()
    preprocess: PreprocessConfig = PreprocessConfig()
    ocr: OcrConfig = OcrConfig()
    clean: CleanConfig = CleanConfig()
    lists: ListsConfig = ListsConfig()
    export: ExportConfig = ExportConfig()


def resolve_path(path: str) -> Path:
    """Paths in configs are relative to the project root, so runs work from any directory."""
    p = Path(path)
    return p if p.is_absolute() else PROJECT_ROOT / p


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"config file not found: {path}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: a config file must be UTF-8 ({e.reason} at byte {e.start})") from e
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the config file ({e.strerror or e})") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e


def _parse_override(item: str) -> tuple[list[str], Any]:
    if "=" not in item or "." not in item.split("=", 1)[0]:
        raise ConfigError(f"override must look like section.key=value, got {item!r}")
    key, raw = item.split("=", 1)
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # bare words are strings: --set ocr.lang=vie
    return key.strip().split("."), value


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> Config:
    """Build the Config from configs/default.toml, an optional user file and dotted overrides.

    Raises:
        ConfigError: unknown keys, bad values or unreadable files.
    """
    data = _read_toml(DEFAULT_CONFIG)
    if path:
        data = _merge(data, _read_toml(Path(path)))
    for item in overrides or []:
        keys, value = _parse_override(item)
        node = data
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    try:
        return Config.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"bad setting {where}: {first['msg']}") from e


def dump_toml(cfg: Config) -> str:
    """Serialise the resolved config so every output can be reproduced, each setting with its description."""
    lines = []
    for section, values in cfg.model_dump().items():
        lines.append(f"[{section}]")
        fields = type(getattr(cfg, section)).model_fields
        for key, value in values.items():
            lines.append(f"{key} = {_toml_value(value)}  # {fields[key].description}")
        lines.append("")
    return "\n".join(lines)


def describe() -> str:
    """Every setting with its default and description, as `python -m pipeline run --help` shows them."""
    return dump_toml(Config())


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)
