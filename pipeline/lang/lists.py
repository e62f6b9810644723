"""The word lists and patterns of configs/ (document types, places, agencies, patterns.toml), loaded
from the paths the configuration names, once per set of paths."""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.config import ListsConfig, resolve_path
from pipeline.errors import ConfigError
from pipeline.lang.letters import bare, fold


@dataclass
class Gazetteer:
    canonical: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical name
    loose: dict[str, str] = field(default_factory=dict)  # alias without diacritics -> alias as listed

    def lookup(self, name: str) -> str | None:
        return self.canonical.get(fold(name))

    def spelled(self, name: str) -> str | None:
        """The listed spelling of a name whose letters match but whose diacritics OCR damaged."""
        return self.loose.get(bare(name))


@dataclass(frozen=True, eq=False)  # compared (and cached on) by identity: one per set of paths
class Lists:
    patterns: dict
    doc_types: dict[str, str]  # upper-case type name -> abbreviation (Phụ lục III)
    places: tuple[str, ...]
    gazetteer: Gazetteer


def load_lists(cfg: ListsConfig) -> Lists:
    """The lists *cfg* names; reading them again only when a path differs."""
    return _load(cfg.patterns, cfg.doc_types, cfg.places, tuple(cfg.agencies))


@cache
def _load(patterns: str, doc_types: str, places: str, agencies: tuple[str, ...]) -> Lists:
    types = {name: aliases[0] if aliases else "" for name, aliases in read_list(resolve_path(doc_types))}
    return Lists(
        patterns=_read_patterns(resolve_path(patterns)),
        doc_types=types,
        places=tuple(name for name, _ in read_list(resolve_path(places))),
        gazetteer=gazetteer(agencies),
    )


def _read_patterns(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"cannot read patterns {path}: {e}") from e


@cache
def gazetteer(paths: tuple[str, ...]) -> Gazetteer:
    """Merge agency lists in order; later lists may add aliases to an earlier canonical name."""
    g = Gazetteer()
    for path in paths:
        for canonical, aliases in read_list(resolve_path(path)):
            for alias in [canonical, *aliases]:
                g.canonical.setdefault(fold(alias), canonical)
                g.loose.setdefault(bare(alias), alias)
    return g


def read_list(path: Path) -> list[tuple[str, list[str]]]:
    """Rows of a list file: "name | alias | alias", "#" comments, blank lines skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read list {path}: {e}") from e
    rows = []
    for line in lines:
        line = unicodedata.normalize("NFC", line.split("#", 1)[0]).strip()
        if line:
            parts = [p.strip() for p in line.split("|") if p.strip()]
            rows.append((parts[0], parts[1:]))
    return rows
