"""The access log as a mechanism: a staff screen or API endpoint that shows people says what it shows,
and the mixin writes the line. A new page gets its line by naming what it shows, not by a call.

    class LoanDetail(AccessLogged, ScopedDetailView):
        shows = Shows("loan", client="object.client")

    class LoanViewSet(AccessLoggedViewSet, ...):
        shows = {"list": Shows("api loans", client=None, action=SEARCH),
                 "retrieve": Shows("api loan {object.number}", client="object.client")}

One line per request and person shown: who (the signed-in user), which client (or none, for a list or a
search: the log never says what was searched for) and what (the screen or endpoint, never personal data).
A screen logs every GET it answers, and a POST answered with a page (a form shown again with its errors)
unless `on_post` is False; a redirect after a write is not a read, the write logs itself. An endpoint logs
the GETs it answers with a success. A 404, a refusal or an error logs nothing: nobody was shown.

Writes keep logging themselves in `services` (create, change, erase) and `rights` (export)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.views import generic
from rest_framework import generics, permissions

from .models import AccessLog, Client
from .services import log_access, log_accesses

READ = AccessLog.Action.READ
SEARCH = AccessLog.Action.SEARCH


@dataclass(frozen=True)
class Shows:
    """What a screen or endpoint shows of people.

    what: the screen or endpoint as the log names it; `{object.number}` and the like are filled in
        from the view's object (a loan number, never a person's data).
    client: the path from the view to the person shown: "object" when the view's object is the client,
        "object.client" for a loan; the value may also be a set of clients (the borrowers of a device),
        or None (nobody shown this time). `client=None` declares a list or a search: logged naming nobody.
    action: READ, or SEARCH for a search box.
    on_post: a screen's POST answered with a page shows the person as well (False: the POST's answer is
        logged otherwise, as the export is).
    """

    what: str
    client: str | None = "object"
    action: str = READ
    on_post: bool = True


def shown_clients(view, shows: Shows) -> list[Client]:
    """The clients the view's response shows, by the path `shows.client`; none when it names nobody."""
    if shows.client is None:
        return []
    try:
        found = attrgetter(shows.client)(view)
    except AttributeError:  # the view stopped before it found the person (a bad card number)
        return []
    if found is None:
        return []
    clients = [found] if isinstance(found, Client) else list(found)
    return sorted({client for client in clients if client is not None}, key=lambda client: client.pk)


def log_shown(view, shows: Shows) -> None:
    """Write the lines for one answered request of `view` (it has `request` and `tenancy`)."""
    actor = view.request.user
    tenancy = getattr(view, "tenancy", None)
    if tenancy is None or not actor.is_authenticated:  # sent to log in or to choose a digibank: nothing shown
        return
    what = shows.what.format(object=getattr(view, "object", None)) if "{" in shows.what else shows.what
    if shows.client is None:
        digibank_id = tenancy.digibank_id
        if digibank_id is not None:
            log_access(actor=actor, digibank_id=digibank_id, action=shows.action, what=what)
        return
    log_accesses(actor=actor, clients=shown_clients(view, shows), action=shows.action, what=what)


def log_search(view, what: str) -> None:
    """A search whose answer names people although the view is a write (the possible duplicates)."""
    log_shown(view, Shows(what, client=None, action=SEARCH))


class AccessLogged(generic.View):
    """For a staff screen: `shows` says what its page shows of people. A view with a condition (the
    search box logs only when something was searched) overrides `logs_access`. A View itself, so its
    `dispatch` always wraps the view's handler, wherever it is named among the bases."""

    shows: Shows
    request: Any
    tenancy: Any

    def logs_access(self) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        answered = request.method in ("GET", "HEAD") or (self.shows.on_post and not _is_redirect(response))
        if answered and self.logs_access():
            log_shown(self, self.shows)
        return response


class AccessLoggedViewSet(generics.GenericAPIView):
    """For an API viewset: `shows` maps an action (`list`, `retrieve`, an extra action's name) to what
    its answer shows of people. The object of a detail action is the one `get_object` found."""

    shows: dict[str, Shows] = {}

    def get_object(self):
        self.object = super().get_object()
        return self.object

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        shows = self.shows.get(getattr(self, "action", None) or "")
        if shows is not None and request.method in permissions.SAFE_METHODS and 200 <= response.status_code < 300:
            log_shown(self, shows)
        return response


def _is_redirect(response) -> bool:
    return 300 <= response.status_code < 400
