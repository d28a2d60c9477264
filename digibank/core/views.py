"""Base views for staff screens. Every staff view inherits from one of these, so none can forget the
permission check or the tenancy scope."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import generic

from .tenancy import tenancy_of


class StaffView(LoginRequiredMixin, generic.View):
    """A logged-in staff member holding `permission` in the digibank they work in: one permission, or
    a tuple of them any of which suffices (as the API's `read_permission`; a page for a digibank's staff
    and the Department alike). `permission = None` lets in anyone logged in (to choose a digibank); an
    empty permission lets in nobody."""

    permission: str | tuple[str, ...] | None = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.tenancy = tenancy_of(request)
        if self.permission is not None:
            wanted = (self.permission,) if isinstance(self.permission, str) else self.permission
            # The one that lets the person in, or else the first: it says whether to choose a digibank.
            deciding = next((perm for perm in wanted if perm and self.tenancy.can(perm)), wanted[0] if wanted else "")
            if self.tenancy.needs_choice and not deciding.startswith("department."):
                return redirect(f"{reverse('staff:choose')}?next={request.path}")
            if not deciding or not self.tenancy.can(deciding):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedMixin:
    """Objects and lists come only from rows the tenancy may see; another digibank's row is a 404."""

    model: Any
    tenancy: Any

    def get_queryset(self):
        return self.scope(self.model.objects.all())

    def scope(self, queryset):
        return queryset.visible_to(self.tenancy)


class ScopedListView(StaffView, ScopedMixin, generic.ListView):
    paginate_by = settings.PAGE_SIZE


class ScopedDetailView(StaffView, ScopedMixin, generic.DetailView):
    pass


class ButtonView(StaffView, ScopedMixin, generic.View):
    """One button, no input: run the service on the object, say how it went (a refusal as an
    error message), back to where the button was."""

    success: Any = ""

    def load(self, pk):
        return get_object_or_404(self.get_queryset(), pk=pk)

    def act(self, obj) -> object:
        raise NotImplementedError

    def back(self, obj) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        obj = self.load(pk)
        try:
            self.act(obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message(obj))
        return redirect(self.back(obj))

    def success_message(self, obj) -> str:
        return str(self.success)


def submit(request, form, action: Callable[[dict[str, Any]], object], success: str) -> bool:
    """The one path of a form post: a valid form runs one service with its cleaned data; the
    service's ValidationError lands next to the fields, its success becomes a message. True when
    the service ran, so the view redirects; False, so it shows the form again."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


def add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field_name, errors in error.error_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def health(request):
    """For the load balancer, and the benchmark's floor: the whole middleware stack, no work."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


FAVICON = Path(__file__).parent / "static" / "digibank" / "favicon.ico"


def favicon(request):
    """Browsers ask for /favicon.ico at the root whatever the page says; a day in their cache."""
    from django.http import HttpResponse

    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
