"""What the device bank's screens share: keeping the query in links, the PDF response, lists with a
create form, and writes that need the manage permission."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from digibank.core.roles import Perm
from digibank.core.views import (
    ButtonView,
    ScopedListView,
    submit,
)


def keep_query(request, drop: str = "page") -> str:
    """The query string of the page without `drop`, to put before `page=` in the pagination links."""
    params = [(k, v) for k, v in request.GET.items() if k != drop and v]
    return urlencode(params) + "&" if params else ""


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


class WritesNeedManage:
    """Reading the page needs the view's permission; posting to it needs DEVICES_MANAGE."""

    permission: str | tuple[str, ...] | None
    write_permission = Perm.DEVICES_MANAGE

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            self.permission = self.write_permission
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ListWithCreate(WritesNeedManage, ScopedListView):
    """A list with the form to add one more under it; a failed post shows both again (400)."""

    form_class: type[forms.BaseForm]
    created_message: Any = ""
    created_url_name = ""  # the page of what was created

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def make_form(self, data=None):
        return self.form_class(data, **self.form_kwargs())

    def create(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def created_url(self, obj) -> str:
        return reverse(self.created_url_name, kwargs={"pk": obj.pk})

    def get_context_data(self, **kwargs):
        if "form" not in kwargs and self.tenancy.can(Perm.DEVICES_MANAGE):
            kwargs["form"] = self.make_form()
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        created: list[Any] = []
        if submit(request, form, lambda data: created.append(self.create(data)), str(self.created_message)):
            return redirect(self.created_url(created[0]))
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ButtonAction(ButtonView):
    permission = Perm.LOANS_MANAGE
