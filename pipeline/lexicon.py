"""Word lists and patterns from configs/ (doc types, agency lists, patterns.toml), loaded once per process."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import tomllib

from pipeline.config import resolve_path
from pipeline.errors import ConfigError

VIET_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
VIET_LETTERS = VIET_LOWER + VIET_LOWER.upper()


def fold(text: str) -> str:
    """Key for case-insensitive matching: NFC, casefold, Ủy/Uỷ spellings unified, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold().replace("uỷ", "ủy").replace("hoà", "hòa")
    return re.sub(r"\s+", " ", text).strip()


def bare(text: str) -> str:
    """Key without diacritics, for matching OCR that confused marks ("Chỉ nhánh", "Bọ Chỉ huy").

    Only for comparing: stored values keep their diacritics.
    """
    text = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


@cache
def patterns(path: str = "configs/patterns.toml") -> dict:
    try:
        return tomllib.loads(resolve_path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"cannot read patterns {path}: {e}") from e


@cache
def doc_types(lists_dir: str = "configs/lists") -> dict[str, str]:
    """Upper-case type name -> abbreviation (Phụ lục III)."""
    out = {}
    for name, aliases in _read_list(resolve_path(lists_dir) / "doc_types.txt"):
        out[name] = aliases[0] if aliases else ""
    return out


@cache
def places(lists_dir: str = "configs/lists") -> tuple[str, ...]:
    return tuple(name for name, _ in _read_list(resolve_path(lists_dir) / "places.txt"))


@dataclass
class Gazetteer:
    canonical: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical name
    loose: dict[str, str] = field(default_factory=dict)  # alias without diacritics -> alias as listed

    def lookup(self, name: str) -> str | None:
        return self.canonical.get(fold(name))

    def spelled(self, name: str) -> str | None:
        """The listed spelling of a name whose letters match but whose diacritics OCR damaged."""
        return self.loose.get(bare(name))


@cache
def gazetteer(paths: tuple[str, ...]) -> Gazetteer:
    """Merge agency lists in order; later lists may add aliases to an earlier canonical name."""
    g = Gazetteer()
    for path in paths:
        for canonical, aliases in _read_list(resolve_path(path)):
            for alias in [canonical, *aliases]:
                g.canonical.setdefault(fold(alias), canonical)
                g.loose.setdefault(bare(alias), alias)
    return g


def _read_list(path) -> list[tuple[str, list[str]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ConfigError(f"cannot read list {path}: {e}") from e
    rows = []
    for line in lines:
        line = unicodedata.normalize("NFC", line.split("#", 1)[0]).strip()
        if line:
            parts = [p.strip() for p in line.split("|") if p.strip()]
            rows.append((parts[0], parts[1:]))
    return rows
