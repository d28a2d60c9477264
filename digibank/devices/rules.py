"""The lending rules of a digibank, read (their writes are in services): a module of its own so that
notify can read them without importing services, which imports notify."""

from __future__ import annotations

from collections.abc import Iterable

from digibank.network.models import Digibank

from .models import LendingRules


def rules_of(digibank_ids: Iterable[int]) -> dict[int, LendingRules]:
    """The lending rules of these digibanks in one query; the defaults, unsaved, where a
    coordinator has not set them yet. A read writes nothing: the row is made on the first change."""
    ids = set(digibank_ids)
    found = {rules.digibank_id: rules for rules in LendingRules.objects.filter(digibank_id__in=ids)}
    return {pk: found.get(pk) or LendingRules(digibank_id=pk) for pk in ids}


def rules_for(digibank: Digibank | int) -> LendingRules:
    """The digibank's lending rules; the defaults until its coordinator sets them."""
    digibank_id = digibank if isinstance(digibank, int) else digibank.pk
    rules = rules_of([digibank_id])[digibank_id]
    if rules.pk is None and isinstance(digibank, Digibank):
        rules.digibank = digibank
    return rules
