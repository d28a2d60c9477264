"""Text helpers shared by search and lookups."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces, single spaces: 'Sint-Niklaas ' -> 'sint niklaas'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^0-9a-z]+", " ", bare).strip()
