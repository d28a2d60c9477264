"""The public site: no log-in, plain Dutch (B1), works without JavaScript. Reads only."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.network import selectors

PROBLEMS = {
    "unknown_postal_code": _(
        "We do not know this postal code. Type the 4 digits of your postal code, for example 9000."
    ),
    "outside_flanders": _("This postal code is not in Flanders. Digibanks work in Flanders."),
    "outside_flanders_name": _("This place is not in Flanders. Digibanks work in Flanders."),
    "unknown_name": _("We cannot find a municipality with this name. Check the spelling, or type your postal code."),
}


def home(request):
    return render(request, "public/home.html", {"query": ""})


def finder(request):
    """Vind een digibank: the hubs that serve a postal code or municipality, open-now first computed."""
    query = request.GET.get("q", "").strip()[:100]
    lookup = selectors.find_place(query)
    hubs = []
    now = timezone.now()
    today = timezone.localdate()
    if lookup.municipality:
        for hub in selectors.hubs_serving(lookup.municipality):
            hub.open_now = hub.is_open_at(now)
            hub.today = hub.hours_on(today)
            hubs.append(hub)
    problem = lookup.problem
    if problem == "outside_flanders" and not query.isdigit():
        problem = "outside_flanders_name"
    message = PROBLEMS.get(problem, "")
    return render(
        request,
        "public/finder.html",
        {"query": query, "lookup": lookup, "hubs": hubs, "message": message},
        status=200,
    )


def hub_detail(request, pk: int):
    hub = selectors.public_hub(pk)
    if hub is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "public/hub.html",
        {"hub": hub, "week": hub.week(today), "open_now": hub.is_open_at(timezone.now()), "today": today},
    )
