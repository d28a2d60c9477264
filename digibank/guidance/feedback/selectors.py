"""Feedback to the owners of e-services: per e-service and period, how many help contacts were about
it, the share solved and the most common topics. A digibank sees its own figures in full; the figures
across Flanders (`feedback_across_flanders`) are raw counts for `impact`, which suppresses small ones
before they leave."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from digibank.core.days import period_bounds
from digibank.core.tenancy import Tenancy
from digibank.guidance.contacts.models import HelpContact, Outcome, Status, Topic
from digibank.guidance.e_services.models import EService

TOP_TOPICS = 3
Through = HelpContact.e_services.through


@dataclass
class FeedbackRow:
    """One e-service's figures for a period."""

    e_service_id: int
    name: str
    provider: str
    contacts: int
    solved: int
    topics: Counter = field(default_factory=Counter)

    @property
    def share_solved(self) -> float | None:
        """Solved contacts as a share of all (0..1), None without contacts."""
        return self.solved / self.contacts if self.contacts else None

    def top_topics(self) -> list[tuple[str, int]]:
        """The most common topics (value, count), most common first, ties by the order of the choices."""
        order = {value: i for i, value in enumerate(Topic.values)}
        ranked = sorted(self.topics.items(), key=lambda item: (-item[1], order.get(item[0], 99)))
        return ranked[:TOP_TOPICS]

    def top_topic_values(self) -> list[str]:
        return [value for value, _count in self.top_topics()]

    def top_topic_labels(self) -> list[str]:
        return [str(Topic(value).label) for value, _count in self.top_topics() if value in Topic.values]

    def top_topics_labelled(self) -> list[tuple[str, str, int]]:
        """(value, label, count) of the most common topics, for a reader that does not know the choices."""
        return [(value, str(Topic(value).label), count) for value, count in self.top_topics() if value in Topic.values]


def _rows(links: QuerySet, services: QuerySet[EService]) -> list[FeedbackRow]:
    """The figures of the contact-to-service links given, per service, most contacts first. One query
    groups the links by service, solved or not, and the contact's list of topics (a few hundred groups
    for a month of Flanders); the groups are added up here, so no link is read one by one."""
    groups = (
        links.values("eservice_id", "helpcontact__topics")
        .annotate(
            contacts=Count("helpcontact_id"),
            solved=Count("helpcontact_id", filter=Q(helpcontact__outcome=Outcome.SOLVED)),
        )
        .order_by()
    )
    rows: dict[int, FeedbackRow] = {}
    found = list(groups)
    named = {s.pk: s for s in services.filter(pk__in={group["eservice_id"] for group in found})}
    for group in found:
        service = named.get(group["eservice_id"])
        if service is None:
            continue
        row = rows.get(service.pk)
        if row is None:
            row = rows[service.pk] = FeedbackRow(service.pk, service.name, service.provider, contacts=0, solved=0)
        row.contacts += group["contacts"]
        row.solved += group["solved"]
        for topic in group["helpcontact__topics"] or []:
            row.topics[topic] += group["contacts"]
    return sorted(rows.values(), key=lambda row: (-row.contacts, row.name.lower(), row.e_service_id))


def feedback_of(tenancy: Tenancy, start: dt.date, end: dt.date) -> list[FeedbackRow]:
    """The digibank's own figures per e-service (Flanders-wide and its own) for the days start..end."""
    first, after = period_bounds(start, end)
    links = Through.objects.filter(
        helpcontact__in=HelpContact.objects.visible_to(tenancy),
        helpcontact__status=Status.LOGGED,
        helpcontact__started_at__gte=first,
        helpcontact__started_at__lt=after,
    )
    return _rows(links, EService.objects.visible_to(tenancy))


def feedback_across_flanders(start: dt.date, end: dt.date) -> list[FeedbackRow]:
    """Every digibank's contacts about the Flanders-wide services (a local service is a digibank's own
    business) for the days start..end: raw counts, for `impact` to suppress before they leave."""
    first, after = period_bounds(start, end)
    links = Through.objects.filter(
        eservice__digibank__isnull=True,
        helpcontact__status=Status.LOGGED,
        helpcontact__started_at__gte=first,
        helpcontact__started_at__lt=after,
    )
    return _rows(links, EService.objects.filter(digibank__isnull=True))
