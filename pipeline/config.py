"""Configuration: one pydantic model per stage, layered default.toml -> user TOML -> --set overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import tomllib
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "default.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestConfig(_Section):
    dpi: int = Field(300, description="rasterising resolution for PDF pages without one page image")
    use_text_layer: bool = Field(True, description="read a usable PDF text layer instead of OCR")
    min_text_layer_words: int = 30
    min_diacritic_ratio: float = 0.2
    max_pixels: int = 120_000_000
    max_pages: int = 500


class PreprocessConfig(_Section):
    grayscale: bool = True
    drop_colour_ink: bool = True
    colour_saturation: int = 60
    colour_chroma: int = 25
    mark_residue_above: int = 150
    orientation: Literal["auto", "osd", "off"] = "auto"
    gray_seals: bool = True
    gray_stamps: bool = True
    gray_pen: bool = True
    gray_pen_stroke_px: int = 80
    gray_print_below: int = 70
    deskew: bool = True
    max_skew_deg: float = 5.0
    denoise: Literal["none", "median3"] = "median3"
    upscale_below_dpi: int = 250
    binarize: bool = False
    debug: bool = False


class OcrConfig(_Section):
    engine: str = "tesseract"
    lang: str = "vie"
    psm: int = 3
    timeout_s: int = 180
    workers: int = 1
    min_word_conf: float = 0
    upside_down_below: float = 60
    stamp_digit_scales: list[float] = [0.5, 0.4, 0.6, 0.35]
    stamp_piece_lang: str = "eng"
    stamp_deskew: bool = False
    stamp_settle_baselines: bool = True
    stamp_row_pieces: bool = True
    reread_header_lines: bool = True
    reread_column_pieces: bool = True
    lone_figure_lang: str = "eng"


class CleanConfig(_Section):
    unicode_form: Literal["NFC"] = "NFC"
    join_broken_lines: bool = True
    separate_marks: bool = True
    mend_syllables: bool = True


class SegmentConfig(_Section):
    lists_dir: str = "configs/lists"


class ExtractConfig(_Section):
    agency_lists: list[str] = ["configs/lists/agencies.txt"]
    patterns: str = "configs/patterns.toml"


class ExportConfig(_Section):
    formats: list[Literal["json", "csv", "review"]] = ["json", "csv", "review"]


class BatchConfig(_Section):
    jobs: int = 0


class Config(_Section):
    ingest: IngestConfig = IngestConfig()
    preprocess: PreprocessConfig = PreprocessConfig()
    ocr: OcrConfig = OcrConfig()
    clean: CleanConfig = CleanConfig()
    segment: SegmentConfig = SegmentConfig()
    extract: ExtractConfig = ExtractConfig()
    export: ExportConfig = ExportConfig()
    batch: BatchConfig = BatchConfig()


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
    """Serialise the resolved config so every output can be reproduced."""
    lines = []
    for section, values in cfg.model_dump().items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)
