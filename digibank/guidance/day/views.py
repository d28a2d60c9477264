"""The hub's day on one screen, for the desk: today's appointments, the queue, the help contacts logged,
the open follow-ups and the incoming referrals. It only reads; each part links to the screen of the
feature where the work is done."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from digibank.clients.access import AccessLogged, Shows
from digibank.core.roles import Perm
from digibank.core.views import StaffView
from digibank.guidance.day import selectors
from digibank.guidance.days import day_asked


class HubDayView(AccessLogged, StaffView):
    permission = (Perm.CONTACTS_LOG, Perm.APPOINTMENTS_MANAGE, Perm.QUEUE_MANAGE, Perm.REFERRALS_HANDLE)
    template_name = "guidance/day/hub_day.html"
    shows = Shows("hub day view", client="clients_shown")
    clients_shown: list = []

    def get(self, request):
        hubs, hub = selectors.hub_choice(self.tenancy, request.user, request.GET.get("hub"))
        day = day_asked(request)
        context = {
            "hubs": hubs,
            "hub": hub,
            "day": day,
            "today": timezone.localdate(),
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "may": {
                "appointments": self.tenancy.can(Perm.APPOINTMENTS_MANAGE),
                "queue": self.tenancy.can(Perm.QUEUE_MANAGE),
                "contacts": self.tenancy.can(Perm.CONTACTS_LOG),
                "referrals": self.tenancy.can(Perm.REFERRALS_HANDLE),
            },
        }
        if hub is not None:
            context["hub_day"] = found = selectors.hub_day(self.tenancy, hub, day)
            self.clients_shown = found.clients
        return render(request, self.template_name, context)
