"""Text helpers shared by search and lookups."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces, single spaces: 'Sint-Niklaas ' -> 'sint niklaas'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_SPECIAL))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^0-9a-z]+", " ", bare).strip()


def fold_joined(text: str) -> str:
    """Folded with every space and apostrophe gone, as a name is often typed: "Van den Broeck" ->
    'vandenbroeck', "D'Hondt" -> 'dhondt'."""
    return fold(text).replace(" ", "")


# What people type for a date at the desk: 05-03-1961, 5/3/1961, 05.03.1961, 05031961, or ISO.
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d%m%Y", "%Y-%m-%d"]
