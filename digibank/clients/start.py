"""The clients' part of the start page: for the coordinator, whose data the retention run will
erase, so that one who should stay can be postponed in time. A count only: no names are read."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from digibank.core.roles import Role
from digibank.core.startpage import Panel, Task
from digibank.core.tenancy import Tenancy
from digibank.network.models import Digibank

from . import retention


def panels(tenancy: Tenancy) -> list[Panel]:
    if Role.COORDINATOR not in tenancy.roles:
        return []
    digibank = Digibank.objects.visible_to(tenancy).get(pk=tenancy.digibank_id)
    due = retention.clients_due(digibank).count()
    return [
        Panel(
            _("To decide"),
            [Task(_("clients whose data will be erased"), due, reverse("clients:retention"), urgent=True)],
        )
    ]
