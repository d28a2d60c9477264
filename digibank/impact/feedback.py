"""Feedback to the owners of the Flanders-wide e-services, for the Department: per service and period the
help contacts across Flanders, how many were solved and the most common topics, so the Department can
tell each agency which of its services people struggle with. Read from guidance's selector; a count
below 5 is withheld, and so is what would give one away (the solved count and share when the unsolved
ones are fewer than 5, a topic's count below 5)."""

from __future__ import annotations

from dataclasses import dataclass

from digibank.core.privacy import publishable
from digibank.guidance.feedback.selectors import feedback_across_flanders

from .circularity import Period


@dataclass(frozen=True)
class PublishedFeedback:
    e_service_id: int
    name: str
    provider: str
    contacts: int | None
    solved: int | None
    share_solved: float | None
    topics: list[tuple[str, str]]  # (topic value, its label), most common first, each counted at least 5 times

    @property
    def suppressed(self) -> bool:
        return self.contacts is None or self.solved is None

    def topic_labels(self) -> list[str]:
        return [label for _value, label in self.topics]


def feedback_for_department(period: Period) -> list[PublishedFeedback]:
    published = []
    for row in feedback_across_flanders(period.start, period.end):
        contacts = publishable(row.contacts)
        # With the total shown, the solved count gives the unsolved one away, and the other way round.
        open_enough = publishable(row.contacts - row.solved) is not None
        solved = publishable(row.solved) if contacts is not None and open_enough else None
        published.append(
            PublishedFeedback(
                e_service_id=row.e_service_id,
                name=row.name,
                provider=row.provider,
                contacts=contacts,
                solved=solved,
                share_solved=row.share_solved if solved is not None else None,
                topics=[
                    (value, label)
                    for value, label, count in row.top_topics_labelled()
                    if publishable(count) is not None
                ],
            )
        )
    return published
