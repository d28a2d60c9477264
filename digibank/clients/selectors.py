"""Reads of client records. Every function takes the tenancy, so a digibank sees only its own."""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from digibank.core.tenancy import Tenancy
from digibank.core.text import fold

from . import validation
from .models import Client, PrivacyNotice, Traits, name_key
from .numbers import normalise as normalise_number


def clients_of(tenancy: Tenancy) -> QuerySet[Client]:
    return Client.objects.visible_to(tenancy)


def client_by_number(tenancy: Tenancy, raw: str) -> Client | None:
    """The client with the number on their card, as typed or scanned (any case, with or without
    the dash); None when it is not a client number or no client of this digibank has it.

    Active clients only, for every face alike (the desk's card field and the API's `client`):
    an anonymised record is nobody to serve, and its card number was replaced when it was
    anonymised, so nobody can name it by number anyway."""
    number = normalise_number(raw or "")
    if not number:
        return None
    return clients_of(tenancy).filter(status=Client.Status.ACTIVE, number=number).select_related("municipality").first()


def client_traits(client: Client) -> Traits | None:
    """The client's recorded traits (for the monitoring figures), or None when none are recorded."""
    return Traits.objects.filter(client=client).first()


def privacy_notices(tenancy: Tenancy) -> QuerySet[PrivacyNotice]:
    """The digibank's privacy notice versions, newest first, with who published each."""
    return PrivacyNotice.objects.visible_to(tenancy).select_related("published_by")


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
        except ValidationError:  # not a phone number after all: search names
            pass
    words = fold(text).split()
    # Each word starts a name word: "seb" finds Sébastien, "broeck" finds Van den Broeck. A name is
    # also stored joined, so "vandenbroeck" and "dhondt" find Van den Broeck and D'Hondt, and words
    # typed apart are tried joined too: "van den broeck" finds Vandenbroeck.
    matches = []
    for grouping in _groupings(words):
        match = Q()
        for part in grouping:
            match &= _starts_a_word(part)
        matches.append(match)
    # Every way starts with the first word: asked first, it leaves the others few rows to try.
    return clients.filter(_starts_a_word(words[0]) if len(words) > 1 else Q(), reduce(operator.or_, matches))


def _starts_a_word(text: str) -> Q:
    return Q(search_text__startswith=text) | Q(search_text__contains=f" {text}")


def _groupings(words: list[str]) -> list[list[str]]:
    """The ways to join neighbouring words: a b c -> [a, b, c], [ab, c], [a, bc], [abc]. Past four
    words only none or all, so a long query stays a short one."""
    if len(words) > 4:
        return [words, ["".join(words)]]
    if len(words) <= 1:
        return [words]
    groupings = []
    for rest in _groupings(words[1:]):
        groupings.append([words[0], *rest])
        groupings.append([words[0] + rest[0], *rest[1:]])
    return groupings


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
    the same phone number. Names are compared folded and joined, so "Van den Broeck" is
    "Vandenbroeck" and "D'Hondt" is "Dhondt"."""
    clients = clients_of(tenancy).filter(status=Client.Status.ACTIVE)
    condition = Q(pk__in=[])
    name = name_key(first_name, last_name)
    if name and birth_date:
        condition |= Q(name_key=name, birth_date=birth_date)
    elif name and birth_year:
        condition |= Q(name_key=name, birth_year=birth_year)
    if phone:
        try:
            condition |= Q(phone=validation.normalise_phone(phone))
        except ValidationError:  # an impossible number matches nobody
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
