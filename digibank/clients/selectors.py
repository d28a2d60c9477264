"""Reads of client records. Every function takes the tenancy, so a digibank sees only its own."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from digibank.core.tenancy import Tenancy
from digibank.core.text import fold

from . import validation
from .models import Client
from .numbers import normalise as normalise_number


def clients_of(tenancy: Tenancy) -> QuerySet[Client]:
    return Client.objects.visible_to(tenancy)


def client_search(tenancy: Tenancy, query: str) -> QuerySet[Client]:
    """One box for everything the desk may have: a client number (typed or scanned), a phone
    number, an e-mail address, or (parts of) names in any order, accents and case ignored."""
    clients = clients_of(tenancy).filter(status=Client.Status.ACTIVE)
    text = (query or "").strip()
    if not text:
        return clients.none()
    number = normalise_number(text)
    if number:
        return clients.filter(number=number)
    if "@" in text:
        return clients.filter(email__iexact=text)
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if len(digits) >= 6 and len(digits) >= len(text.replace(" ", "")) - 2:
        try:
            return clients.filter(phone=validation.normalise_phone(text))
        except Exception:  # noqa: BLE001 - not a phone number after all: search names
            pass
    words = fold(text).split()
    condition = Q()
    for word in words:
        # Each word starts a name word: "seb" finds Sébastien, "broeck" finds Van den Broeck.
        condition &= Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
    return clients.filter(condition)


def possible_duplicates(
    tenancy: Tenancy,
    *,
    first_name: str,
    last_name: str,
    birth_date: dt.date | None,
    phone: str,
    birth_year: int | None = None,
) -> QuerySet[Client]:
    """Clients of this digibank who may be the same person: the same name and date of birth, or
    the same phone number."""
    clients = clients_of(tenancy).filter(status=Client.Status.ACTIVE)
    condition = Q(pk__in=[])
    name = fold(f"{first_name} {last_name}")
    if name and birth_date:
        condition |= Q(search_text=name, birth_date=birth_date)
    elif name and birth_year:
        condition |= Q(search_text=name, birth_year=birth_year)
    if phone:
        try:
            condition |= Q(phone=validation.normalise_phone(phone))
        except Exception:  # noqa: BLE001 - an impossible number matches nobody
            pass
    return clients.filter(condition)


def client_counts_per_digibank() -> dict[int, dict[str, int]]:
    """For statistics outside the digibanks: how many clients each digibank registered and how many
    are still identifiable. Counts only, never a person; the caller suppresses small counts."""
    from django.db.models import Count

    rows = Client.objects.values("digibank_id").annotate(
        registered=Count("pk"), active=Count("pk", filter=Q(status=Client.Status.ACTIVE))
    )
    return {r["digibank_id"]: {"registered": r["registered"], "active": r["active"]} for r in rows}


def may_contact(client: Client) -> bool:
    """Whether the client agreed to be told things by SMS or e-mail (and has not withdrawn it)."""
    from .models import Consent

    return (
        not client.is_anonymised
        and Consent.objects.filter(client=client, scope=Consent.Scope.CONTACT, withdrawn_at__isnull=True).exists()
    )
