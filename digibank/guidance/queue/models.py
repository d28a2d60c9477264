"""The walk-in queue of a hub: a number per person who walks in, called to a desk in turn. Only numbers:
a ticket names no one, so the waiting-room screen can show it to everybody in the room."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from digibank.core.tenancy import ScopedQuerySet
from digibank.core.validators import single_line_text
from digibank.network.models import Digibank, Hub

DESK_LENGTH = 30


class Purpose(models.TextChoices):
    """What a person came for, when the desk asks: a desk may help one kind of question best."""

    E_SERVICES = "e_services", _("Help with e-services")
    DEVICE = "device", _("A device")
    OTHER = "other", _("Something else")


class Status(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("queue", "waiting")
    CALLED = "called", pgettext_lazy("queue", "called")
    SERVED = "served", pgettext_lazy("queue", "served")
    LEFT = "left", pgettext_lazy("queue", "left or did not come")


# The only moves a ticket makes; served and left are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.WAITING: frozenset({Status.CALLED, Status.LEFT}),
    Status.CALLED: frozenset({Status.SERVED, Status.LEFT}),
    Status.SERVED: frozenset(),
    Status.LEFT: frozenset(),
}


class QueueTicket(models.Model):
    """A number taken at a hub on a day (Europe/Brussels): 1, 2, 3 … per hub and day, each once (the
    database's constraint). It is called to a desk, then served or marked as left; never deleted."""

    digibank = models.ForeignKey(Digibank, on_delete=models.PROTECT, related_name="+", editable=False)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="queue_tickets", verbose_name=_("hub"))
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    purpose = models.CharField(_("what for"), max_length=20, choices=Purpose.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    desk = models.CharField(
        _("desk"), max_length=DESK_LENGTH, blank=True, validators=[single_line_text], help_text=_("E.g. Desk 2.")
    )
    finished_at = models.DateTimeField(_("served or left at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    tenant_path = "digibank_id"

    class Meta:
        ordering = ["-day", "hub", "number"]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        indexes = [
            models.Index(fields=["hub", "day", "status", "number"], name="queue_ticket_waiting"),
            models.Index(fields=["digibank", "day"], name="queue_ticket_digibank_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "day", "number"],
                name="queue_ticket_number_once_per_hub_and_day",
                violation_error_message=_("This number was just given to someone else: take a number again."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="queue_ticket_number_from_one"),
            models.CheckConstraint(
                condition=Q(status=Status.WAITING, called_at__isnull=True)
                | Q(status__in=[Status.CALLED, Status.SERVED], called_at__isnull=False)
                | Q(status=Status.LEFT),
                name="queue_ticket_called_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(called_at__isnull=True) | Q(called_at__gte=F("taken_at")),
                name="queue_ticket_called_after_taken",
            ),
        ]

    def __str__(self) -> str:
        return str(self.number)

    def may_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def wait(self):
        """From taking the number to being called; None while waiting."""
        return self.called_at - self.taken_at if self.called_at else None

    @property
    def wait_minutes(self) -> int | None:
        wait = self.wait
        return None if wait is None else round(wait.total_seconds() / 60)


class QueueScreen(models.Model):
    """The secret address of a hub's waiting-room screen: a random token, so the screen runs without a
    staff log-in and nobody guesses another hub's. A new token makes the old address stop working."""

    hub = models.OneToOneField(Hub, on_delete=models.PROTECT, related_name="queue_screen", verbose_name=_("hub"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords(excluded_fields=["token"])  # an old secret is no history worth keeping
    objects = ScopedQuerySet.as_manager()
    tenant_path = "hub__digibank_id"

    class Meta:
        verbose_name = _("waiting-room screen")
        verbose_name_plural = _("waiting-room screens")

    def __str__(self) -> str:
        return str(self.hub)
