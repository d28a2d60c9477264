"""The circularity figures of the device bank, for a period: devices taken in, refurbished, lent,
handed over for good and recycled (count and kg), and the greenhouse gas that reuse avoided, from
the factors the Department sets per type of device.

Each figure is one aggregate query grouped by digibank: the cost does not grow with the number of
devices or digibanks. A digibank's staff see their own figures in full. What leaves a digibank for
the Department goes through core.privacy.suppress_table, and so does every figure a hidden count
could be worked back from: the kg of a hidden recycled count, the CO2e of a hidden reuse count, and
a Flanders total that, minus the cells shown, would give away the hidden ones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.core.days import period_bounds
from digibank.core.privacy import suppress_table
from digibank.core.tenancy import Tenancy
from digibank.devices.register.lifecycle import Kind
from digibank.devices.selectors import counts_per_digibank
from digibank.network.selectors import digibank_names

from .models import EmissionFactor

# The counts of a period, in the order the screens and the API show them.
COUNTS = ("taken_in", "refurbished", "lent", "handed_over", "recycled", "reused")
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in the local time of Flanders."""

    start: dt.date
    end: dt.date

    @classmethod
    def this_year(cls, today: dt.date | None = None) -> Period:
        year = (today or timezone.localdate()).year
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def checked(cls, start: dt.date | None, end: dt.date | None, today: dt.date | None = None) -> Period:
        """The period asked for; without a start, from 1 January of the end's year, without an
        end, to 31 December of the start's year, without either, this calendar year. Refused with a
        message per field when it is not a period."""
        if start is None and end is None:
            return cls.this_year(today)
        start = start or dt.date(end.year, 1, 1)  # type: ignore[union-attr]
        end = end or dt.date(start.year, 12, 31)
        errors: dict[str, list[str]] = {}
        for name, day in (("start", start), ("end", end)):
            if not EARLIEST <= day <= LATEST:
                errors[name] = [_("Choose a date between 2000 and 2100.")]
        if not errors and end < start:
            errors["end"] = [_("The end of the period cannot be before its start.")]
        if errors:
            raise ValidationError(errors)
        return cls(start, end)

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The first moment of the period and the first moment after it."""
        return period_bounds(self.start, self.end)


@dataclass
class Figures:
    """One digibank's figures for a period (or the sum of several)."""

    taken_in: int = 0  # devices recorded at intake
    refurbished: int = 0  # devices that became ready to lend (at least once)
    lent: int = 0  # loans checked out (to clients and to partner organisations)
    handed_over: int = 0  # devices whose ownership passed to a client for good
    recycled: int = 0  # devices handed to a recycler
    recycled_kg: Decimal = Decimal("0")
    # Devices lent or handed over for the first time: each device counts once, in the period of
    # its first reuse, so that adding up years never counts one laptop twice.
    reused: int = 0
    co2e_kg: Decimal = Decimal("0")  # avoided by that reuse, from the factors
    not_counted: int = 0  # reused devices of a type without a factor: not in co2e_kg
    reused_by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        for name in (*COUNTS, "recycled_kg", "co2e_kg", "not_counted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, n in other.reused_by_kind.items():
            self.reused_by_kind[kind] = self.reused_by_kind.get(kind, 0) + n


@dataclass
class KindLine:
    """Reuse of one type of device and the CO2e it avoided, or None without a factor for the type."""

    kind: str
    label: str
    reused: int
    factor: EmissionFactor | None
    co2e_kg: Decimal | None


@dataclass
class DigibankCircularity:
    period: Period
    figures: Figures
    lines: list[KindLine]
    kinds_without_factor: list[str]  # labels


@dataclass
class PublishedFigures:
    """Figures that may leave a digibank: None where a count is below the threshold, or where the
    amount could give such a count away. `suppressed` says that at least one figure is withheld."""

    taken_in: int | None
    refurbished: int | None
    lent: int | None
    handed_over: int | None
    recycled: int | None
    recycled_kg: Decimal | None
    reused: int | None
    co2e_kg: Decimal | None
    suppressed: bool


@dataclass
class DigibankRow(PublishedFigures):
    digibank_id: int = 0
    name: str = ""


@dataclass
class DepartmentCircularity:
    period: Period
    rows: list[DigibankRow]
    flanders: PublishedFigures
    kinds_without_factor: list[str]


def emission_factors() -> dict[str, EmissionFactor]:
    """The Department's factor per type of device; a type without one is missing from the dict."""
    return {f.kind: f for f in EmissionFactor.objects.select_related("updated_by")}


def _figures_by_digibank(
    period: Period, tenancy: Tenancy | None, factors: dict[str, EmissionFactor]
) -> dict[int, Figures]:
    """The figures of every digibank the tenancy may see; all digibanks when `tenancy` is None
    (counts only, for the Department: the caller publishes them through `suppress_table`). The counts
    come from the device bank's selector; the CO2e from the Department's factors."""
    first, after = period.moments()
    per: dict[int, Figures] = defaultdict(Figures)
    for digibank_id, counts in counts_per_digibank(first, after, tenancy).items():
        figures = per[digibank_id]
        for name in ("taken_in", "refurbished", "lent", "handed_over", "recycled", "recycled_kg"):
            if name in counts:
                setattr(figures, name, counts[name])
        for kind, n in counts.get("reused_by_kind", {}).items():
            figures.reused += n
            figures.reused_by_kind[kind] = n
            factor = factors.get(kind)
            if factor is None:
                figures.not_counted += n
            else:
                figures.co2e_kg += factor.kg_co2e * n
    return per


def _kinds_without_factor(factors: dict[str, EmissionFactor]) -> list[str]:
    return [str(label) for kind, label in Kind.choices if kind not in factors]


def circularity_of(tenancy: Tenancy, period: Period) -> DigibankCircularity:
    """The figures of the digibank the tenancy works in, in full: they stay inside it."""
    factors = emission_factors()
    figures = _figures_by_digibank(period, tenancy, factors).get(tenancy.digibank_id or 0, Figures())
    lines = []
    for kind, label in Kind.choices:
        n = figures.reused_by_kind.get(kind, 0)
        if n:
            factor = factors.get(kind)
            lines.append(KindLine(kind, str(label), n, factor, factor.kg_co2e * n if factor else None))
    return DigibankCircularity(period, figures, lines, _kinds_without_factor(factors))


def _published(counts: dict[str, int | None], figures: Figures) -> dict:
    """The figures as they may leave: the counts as core.privacy.suppress_table let them through,
    and the kg and CO2e only where their count is shown (they would give a hidden one away)."""
    shown: dict = dict(counts)
    shown["recycled_kg"] = figures.recycled_kg if counts["recycled"] is not None else None
    shown["co2e_kg"] = figures.co2e_kg if counts["reused"] is not None else None
    shown["suppressed"] = any(value is None for value in shown.values())
    return shown


def _publish_table(cells: list[Figures]) -> tuple[list[dict], PublishedFigures]:
    """Each digibank's figures and the total for Flanders (the sum of every digibank, hidden cells
    included), through core.privacy.suppress_table: a count below the threshold is withheld, and so
    is a total that would give a hidden count away."""
    columns, totals = suppress_table({name: [getattr(f, name) for f in cells] for name in COUNTS})
    shown = [_published({name: columns[name][i] for name in COUNTS}, f) for i, f in enumerate(cells)]
    total = Figures()
    for figures in cells:
        total.add(figures)
    return shown, PublishedFigures(**_published(totals, total))


def _publish_total(cells: list[Figures]) -> PublishedFigures:
    """The total for Flanders alone (see _publish_table)."""
    return _publish_table(cells)[1]


def circularity_per_digibank(period: Period) -> DepartmentCircularity:
    """Every digibank's figures and the total for Flanders, for the Department: counts below the
    threshold are withheld (None), with what could betray them."""
    factors = emission_factors()
    per = _figures_by_digibank(period, None, factors)
    digibanks = digibank_names()
    cells = [per.get(pk, Figures()) for pk, _name in digibanks]
    shown, flanders = _publish_table(cells)
    rows = [DigibankRow(**s, digibank_id=pk, name=name) for (pk, name), s in zip(digibanks, shown)]
    return DepartmentCircularity(period, rows, flanders, _kinds_without_factor(factors))
