"""Template tags through which other domains' pages show the device bank without importing it:
the client record loads `devices_tags` and calls `{% client_loans object %}`."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from digibank.core.roles import Perm

register = template.Library()


@register.inclusion_tag("devices/desk/_client_loans.html", takes_context=True)
def client_loans(context, client) -> dict:
    """The client's loans in progress and reservations, with a link to lend them a device; only
    for staff who lend (a technician never sees who borrowed what)."""
    tenancy = context.get("tenancy")
    if tenancy is None or client is None or not tenancy.can(Perm.LOANS_MANAGE) or client.is_anonymised:
        return {"show": False}
    from digibank.devices.lending.selectors import client_loans as loans_of_client

    return {
        "show": True,
        "client": client,
        "loans": loans_of_client(tenancy, client),
        "today": timezone.localdate(),
        "desk_url": f"{reverse('devices:desk')}?{urlencode({'card': client.number})}",
    }
