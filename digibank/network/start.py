"""The network's part of the start page: for the coordinator, the digibank at a glance."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from digibank.core.roles import Role
from digibank.core.startpage import Panel, Task
from digibank.core.tenancy import Tenancy

from .models import Digibank


def panels(tenancy: Tenancy) -> list[Panel]:
    if Role.COORDINATOR not in tenancy.roles:
        return []
    # One query: the counts the old start page showed everyone, now the coordinator's.
    digibank = (
        Digibank.objects.visible_to(tenancy)
        .filter(pk=tenancy.digibank_id)
        .annotate(
            open_hubs=Count("hubs", filter=Q(hubs__closed_on__isnull=True), distinct=True),
            partner_count=Count("partners", filter=Q(partners__left_on__isnull=True), distinct=True),
            municipality_count=Count("service_area", distinct=True),
        )
        .get()
    )
    return [
        Panel(
            _("Your digibank"),
            [
                Task(_("open hubs"), digibank.open_hubs, reverse("staff:hubs")),
                Task(_("partners"), digibank.partner_count, reverse("staff:partners")),
                Task(_("municipalities served"), digibank.municipality_count, reverse("staff:settings")),
            ],
        )
    ]
