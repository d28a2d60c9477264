"""The start page: what each person has to do today, in panels the domains give.

core knows no domain: `settings.DIGIBANK_START_PANELS` names the functions (as MIDDLEWARE names
classes), each `fn(tenancy) -> list[Panel]`, returning panels only for the roles it concerns and
using a fixed number of queries, so the page stays cheap whatever the stock or the client count."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from .tenancy import Tenancy


@dataclass(frozen=True)
class Task:
    label: str  # translated; says what the count is ("overdue loans")
    count: int
    url: str  # the list where the work is done
    urgent: bool = False  # shown as needing attention when the count is not 0


@dataclass(frozen=True)
class Panel:
    title: str
    tasks: list[Task] = field(default_factory=list)


def panels_for(tenancy: Tenancy) -> list[Panel]:
    """Every domain's panels for this person, in the order of the setting; panels of the same title
    (each domain adds to "To decide") become one."""
    merged: dict[str, list[Task]] = {}
    for path in settings.DIGIBANK_START_PANELS:
        for panel in import_string(path)(tenancy):
            merged.setdefault(panel.title, []).extend(panel.tasks)
    return [Panel(title, tasks) for title, tasks in merged.items()]
