"""Offline pipeline that turns scanned Vietnamese administrative documents into structured data."""

from __future__ import annotations

__version__ = "0.1.0"
