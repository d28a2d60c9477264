"""The device bank's part of the start page: the day's work of the desk, the technician and what
the coordinator must decide. Counts with a link to the list where the work is done; each count is
one query, whatever the size of the stock."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.core.roles import Role
from digibank.core.startpage import Panel, Task
from digibank.core.tenancy import Tenancy
from digibank.devices.lending.models import Incident, Loan
from digibank.devices.register.lifecycle import DATA_KINDS, State
from digibank.devices.register.models import Device
from digibank.devices.waiting_list.models import DeviceRequest, Offer


def _url(name: str, **query: str) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _loan_counts(tenancy: Tenancy, today: dt.date) -> dict[str, int]:
    return Loan.objects.visible_to(tenancy).aggregate(
        overdue=Count("pk", filter=Q(status=Loan.Status.ON_LOAN, due_on__lt=today)),
        to_hand_out=Count("pk", filter=Q(status=Loan.Status.RESERVED, starts_on__lte=today)),
    )


def panels(tenancy: Tenancy, today: dt.date | None = None) -> list[Panel]:
    today = today or timezone.localdate()
    roles = set(tenancy.roles)
    found: list[Panel] = []
    loans = _loan_counts(tenancy, today) if roles & {Role.DESK, Role.COORDINATOR} else {}
    overdue = Task(_("loans overdue"), loans.get("overdue", 0), _url("devices:loans", show="overdue"), urgent=True)
    if Role.DESK in roles:
        expiring = (
            Offer.objects.visible_to(tenancy)
            .filter(status=Offer.Status.OPEN, expires_on__lte=today + dt.timedelta(days=1))
            .count()
        )
        found.append(
            Panel(
                _("At the desk today"),
                [
                    overdue,
                    Task(_("offers that end today or tomorrow"), expiring, _url("devices:offers"), urgent=True),
                    Task(
                        _("reservations to hand out today"),
                        loans["to_hand_out"],
                        _url("devices:loans", show="reserved"),
                    ),
                ],
            )
        )
    if Role.TECHNICIAN in roles:
        data = Q(kind__in=DATA_KINDS)
        devices = Device.objects.visible_to(tenancy).aggregate(
            received=Count("pk", filter=data & Q(state=State.RECEIVED)),
            returned=Count("pk", filter=data & Q(state=State.RETURNED)),
            wiping=Count("pk", filter=Q(state=State.WIPING)),
            in_repair=Count("pk", filter=Q(state=State.IN_REPAIR)),
        )
        found.append(
            Panel(
                _("In the workshop"),
                [
                    Task(_("taken in, still to wipe"), devices["received"], _url("devices:devices", state="received")),
                    Task(_("returned, to wipe again"), devices["returned"], _url("devices:devices", state="returned")),
                    Task(_("being wiped"), devices["wiping"], _url("devices:devices", state="wiping")),
                    Task(_("waiting for repair"), devices["in_repair"], _url("devices:devices", state="in_repair")),
                ],
            )
        )
    if Role.COORDINATOR in roles:
        incidents = Incident.objects.visible_to(tenancy).filter(status=Incident.Status.OPEN).count()
        urgent = (
            DeviceRequest.objects.visible_to(tenancy).filter(status=DeviceRequest.Status.WAITING, urgent=True).count()
        )
        found.append(
            Panel(
                _("To decide"),
                [
                    Task(_("open incidents"), incidents, _url("devices:incidents"), urgent=True),
                    Task(_("urgent requests on the waiting list"), urgent, _url("devices:requests"), urgent=True),
                    overdue,
                ],
            )
        )
    return found
