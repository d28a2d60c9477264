"""The referrals' part of the start page: for the coordinator, how many open referrals wait longer than the
digibank allows. A count only (two queries), no names."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from digibank.core.roles import Role
from digibank.core.startpage import Panel, Task
from digibank.core.tenancy import Tenancy
from digibank.guidance.referrals.selectors import stale_count


def panels(tenancy: Tenancy) -> list[Panel]:
    if Role.COORDINATOR not in tenancy.roles:
        return []
    url = f"{reverse('guidance:referrals')}?status=open"
    return [Panel(_("To decide"), [Task(_("referrals waiting too long"), stale_count(tenancy), url, urgent=True)])]
