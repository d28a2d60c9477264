"""Stock's screens: the device list with its summary, and stock-takes."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.core.roles import Perm
from digibank.core.views import (
    ButtonView,
    ScopedListView,
    ScopedMixin,
    StaffView,
    add_service_errors,
)
from digibank.devices.common.views import ListWithCreate, WritesNeedManage, keep_query
from digibank.devices.register.forms import DeviceFilterForm
from digibank.devices.register.lifecycle import (
    State,
)
from digibank.devices.register.models import Device
from digibank.devices.register.selectors import device_by_tag, device_search, hubs_of
from digibank.devices.stock import services as stock_services
from digibank.devices.stock.forms import ScanForm, StockTakeStartForm
from digibank.devices.stock.models import StockTake
from digibank.devices.stock.selectors import ON_THE_SHELF, stock_summary, stocktake_result
from digibank.devices.tags import normalise_tag

# --- the stock list --------------------------------------------------------------------------


class DeviceList(ScopedListView):
    """The stock: counts per hub, type, state and grade, and the devices that match the filters.
    A scanned label opens its device at once."""

    permission = Perm.DEVICES_VIEW
    model = Device
    template_name = "devices/stock/device_list.html"

    def get(self, request, *args, **kwargs):
        self.filters = DeviceFilterForm(request.GET or None, hubs=hubs_of(self.tenancy))
        self.filters.is_valid()
        self.filter_data = getattr(self.filters, "cleaned_data", {})
        self.tag_not_found = ""
        query = self.filter_data.get("q", "")
        if query:
            device = device_by_tag(self.tenancy, query)
            if device is not None:
                return redirect("devices:device", pk=device.pk)
            self.tag_not_found = query if normalise_tag(query) else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.tag_not_found:
            return device_search(self.tenancy).none()
        return device_search(
            self.tenancy,
            hub=self.filter_data.get("hub"),
            kind=self.filter_data.get("kind", ""),
            state=self.filter_data.get("state", ""),
            grade=self.filter_data.get("grade", ""),
            query=self.filter_data.get("q", ""),
        )

    def get_context_data(self, **kwargs):
        hub = self.filter_data.get("hub")
        return super().get_context_data(
            filters=self.filters,
            summary=stock_summary(self.tenancy, hub=hub),
            summary_hub=hub,
            tag_not_found=self.tag_not_found,
            keep_query=keep_query(self.request),
            **kwargs,
        )


# --- stock-take ------------------------------------------------------------------------------


class StockTakeList(ListWithCreate):
    permission = Perm.DEVICES_VIEW
    model = StockTake
    template_name = "devices/stock/stocktake_list.html"
    form_class = StockTakeStartForm
    created_message = gettext_lazy("Stock-take started: scan every label at this hub.")
    created_url_name = "devices:stocktake"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("hub", "started_by")
            .annotate(scan_count=Count("scans"))
            .order_by("-started_at", "-pk")
        )

    def form_kwargs(self):
        return {"hubs": hubs_of(self.tenancy).filter(closed_on__isnull=True)}

    def create(self, data):
        return stock_services.stocktake_start(hub=data["hub"], actor=self.request.user)


def scan_message(scan, hub_id: int) -> tuple[Callable[..., None], str]:
    """What the person scanning hears about the label just scanned."""
    device = scan.device
    if device is None:
        return messages.warning, _("%(code)s is not a device of your digibank.") % {"code": scan.scanned}
    if device.hub_id != hub_id:
        return messages.warning, _("%(device)s is recorded at another hub: %(hub)s.") % {
            "device": device,
            "hub": device.hub.name,
        }
    if device.state not in ON_THE_SHELF:
        return messages.warning, _("%(device)s is recorded as %(state)s.") % {
            "device": device,
            "state": State(device.state).label,
        }
    return messages.success, _("Scanned: %(device)s.") % {"device": device}


class StockTakeDetail(WritesNeedManage, StaffView, ScopedMixin, generic.View):
    """One scan box: each scan posts and the page comes back, so a scanner that types the tag and
    Enter works without touching anything. Below it, what was scanned and the result so far."""

    permission = Perm.DEVICES_VIEW
    model = StockTake
    template_name = "devices/stock/stocktake_detail.html"

    def load(self, pk) -> StockTake:
        return get_object_or_404(self.get_queryset().select_related("hub", "started_by"), pk=pk)

    def render_page(self, stocktake, form=None, status=200):
        scans = stocktake.scans.select_related("device", "device__hub").order_by("-scanned_at", "-pk")
        page = Paginator(scans, 50).get_page(self.request.GET.get("page"))
        can_scan = stocktake.closed_at is None and self.tenancy.can(Perm.DEVICES_MANAGE)
        context = {
            "object": stocktake,
            "form": (form or ScanForm()) if can_scan else None,
            "scans": page,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "result": stocktake_result(stocktake),
            "on_the_shelf": ON_THE_SHELF,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(self.load(pk))

    def post(self, request, pk):
        stocktake = self.load(pk)
        form = ScanForm(request.POST)
        if form.is_valid():
            try:
                scan = stock_services.stocktake_scan(
                    stocktake=stocktake, code=form.cleaned_data["code"], actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                say, text = scan_message(scan, stocktake.hub_id)
                say(request, text)
                return redirect("devices:stocktake", pk=stocktake.pk)
        return self.render_page(stocktake, form, status=400)


class StockTakeClose(ButtonView):
    permission = Perm.DEVICES_MANAGE
    model = StockTake
    success = gettext_lazy("The stock-take is finished.")

    def act(self, obj):
        stock_services.stocktake_close(stocktake=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:stocktake", kwargs={"pk": obj.pk})
