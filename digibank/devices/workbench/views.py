"""A device's page with its next steps (the forms its state allows) and the actions posted from it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.clients.access import AccessLogged, Shows
from digibank.core.roles import Perm
from digibank.core.views import (
    ScopedMixin,
    StaffView,
    submit,
)
from digibank.devices.common.api import pdf_response
from digibank.devices.lending.selectors import loans_of_device
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.forms import (
    ErasureImportForm,
    ErasureRecordForm,
    ReadyCheckForm,
    RecycleForm,
    RepairOpenForm,
)
from digibank.devices.refurbishment.models import ErasureRecord
from digibank.devices.refurbishment.selectors import active_profiles, collections_of
from digibank.devices.register import services as register_services
from digibank.devices.register.forms import DeviceForm, MoveForm, ReadyForm, RetireForm, TransferForm
from digibank.devices.register.lifecycle import (
    STOCK_STATES,
    State,
    holds_data,
    next_states,
    ready_needs,
    takes_erasure,
    takes_ready_check,
)
from digibank.devices.register.models import Device
from digibank.devices.register.selectors import hubs_of
from digibank.devices.stock import services as stock_services

EVENTS_PER_PAGE = 25


RECENT = 20  # erasures, repairs, checks and loans shown on a device's page, newest first


# Moves that are not one button on the device's page: ready and retired have a form of their own,
# repair goes with a ticket that says what is wrong, and "wiped" comes with a passed erasure.
NOT_A_BUTTON = (State.READY, State.RETIRED, State.IN_REPAIR, State.WIPED)


MOVE_LABELS: dict[str, Any] = {State.WIPING: gettext_lazy("Start wiping")}


def ready_missing(device: Device) -> list[str]:
    """What a device still needs before it may be marked ready (lifecycle.ready_needs), in plain words."""
    return [str(need.label) for need in ready_needs(device)]


# --- a device's page and its next steps ------------------------------------------------------


class DevicePage(AccessLogged, ScopedMixin):
    """Renders a device's page; an action that fails puts its bound form in place of the empty one."""

    model = Device
    # The borrowers' names are a read of their records: logged like any other.
    shows = Shows("device page", client="borrowers")
    template_name = "devices/stock/device_detail.html"
    request: Any

    def get_queryset(self):
        return super().get_queryset().select_related("hub", "batch__donor", "software_profile", "collection")

    def load(self, pk) -> Device:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def page_forms(self, device: Device) -> dict[str, Any]:
        """The forms of the steps this device can take now, for someone who may take them."""
        if not self.tenancy.can(Perm.DEVICES_MANAGE):
            return {}
        steps = set(next_states(device.state))
        found: dict[str, Any] = {}
        if State.READY in steps and not ready_missing(device):
            found["ready_form"] = ReadyForm()
        if State.RETIRED in steps:
            found["retire_form"] = RetireForm()
        if takes_erasure(device):
            found["import_form"] = ErasureImportForm()
            found["erasure_form"] = ErasureRecordForm(
                initial={"medium_serial": device.storage_serial, "level": ErasureRecord.Level.CLEAR}
            )
        if takes_ready_check(device):
            found["check_form"] = ReadyCheckForm(profiles=self.profiles())
        if device.state == State.IN_REPAIR or State.IN_REPAIR in steps:
            found["repair_form"] = RepairOpenForm()
        if device.state in STOCK_STATES:
            found["transfer_form"] = TransferForm(hubs=self.other_hubs(device))
        if device.state == State.RETIRED:
            found["recycle_form"] = RecycleForm(collections=self.collections())
        return found

    def profiles(self):
        return active_profiles(self.tenancy)

    def other_hubs(self, device: Device):
        return hubs_of(self.tenancy).filter(closed_on__isnull=True).exclude(pk=device.hub_id)

    def collections(self):
        return collections_of(self.tenancy)

    def page_context(self, device: Device, bound: dict[str, Any] | None = None) -> dict[str, Any]:
        show_borrower = self.tenancy.can(Perm.CLIENTS_VIEW)
        loan_items = loans_of_device(device, with_borrower=show_borrower)
        if show_borrower:
            self.borrowers = {item.loan.client for item in loan_items if item.loan.client is not None}
        events = Paginator(device.events.select_related("actor", "from_hub", "to_hub"), EVENTS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        page_forms = {**self.page_forms(device), **(bound or {})}
        moves = [
            (target, MOVE_LABELS.get(target, State(target).label))
            for target in next_states(device.state)
            if target not in NOT_A_BUTTON and (target != State.WIPING or holds_data(device.kind))
        ]
        return {
            "object": device,
            "device": device,
            "holds_data": holds_data(device.kind),
            "ready_missing": ready_missing(device) if State.READY in next_states(device.state) else [],
            "can_manage": self.tenancy.can(Perm.DEVICES_MANAGE),
            "show_borrower": show_borrower,
            "moves": moves if self.tenancy.can(Perm.DEVICES_MANAGE) else [],
            "move_form": page_forms.pop("move_form", None),
            "erasures": list(device.erasures.select_related("operator")[:RECENT]),
            "repairs": list(device.repairs.select_related("technician")[:RECENT]),
            "checks": list(device.ready_checks.select_related("software_profile", "checked_by")[:RECENT]),
            "loan_items": list(loan_items[:RECENT]),
            "events": events,
            "page_obj": events,
            "is_paginated": events.has_other_pages(),
            **page_forms,
        }

    def render_page(self, device: Device, bound: dict[str, Any] | None = None, status: int = 200):
        return render(self.request, self.template_name, self.page_context(device, bound), status=status)


class DeviceDetail(StaffView, DevicePage, generic.View):
    permission = Perm.DEVICES_VIEW

    def get(self, request, pk):
        return self.render_page(self.load(pk))


class DeviceAction(StaffView, DevicePage, generic.View):
    """One step on a device's page: a form, one service, back to the page."""

    permission = Perm.DEVICES_MANAGE
    form_key = ""
    success_message: Any = ""

    def make_form(self, device: Device, request) -> forms.Form:
        raise NotImplementedError

    def run(self, device: Device, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request, pk):
        device = self.load(pk)
        form = self.make_form(device, request)
        if submit(request, form, lambda data: self.run(device, data), str(self.success_message)):
            return redirect("devices:device", pk=device.pk)
        return self.render_page(device, {self.form_key: form}, status=400)


class DeviceTransition(DeviceAction):
    """A move by hand: start wiping, send to repair, mark ready with a grade, retire with a reason."""

    success_message = gettext_lazy("The state of the device is changed.")

    def make_form(self, device, request):
        # Each kind of move has its own form on the page; the prefix of what was posted tells which.
        form_class: type[forms.Form] = MoveForm
        for candidate in (ReadyForm, RetireForm):
            if f"{candidate.prefix}-target" in request.POST:
                form_class = candidate
        self.form_key = f"{form_class.prefix}_form"
        return form_class(request.POST)

    def run(self, device, data):
        return refurbishment_services.device_transition(
            device=device,
            target=data["target"],
            actor=self.request.user,
            note=data.get("note", ""),
            grade=data.get("grade", ""),
        )


class ErasureImport(DeviceAction):
    """The erasure tool's own log: its disk serial must be the device's."""

    form_key = "import_form"
    success_message = gettext_lazy("The erasure report is imported.")

    def make_form(self, device, request):
        return ErasureImportForm(request.POST, request.FILES)

    def run(self, device, data):
        try:
            return refurbishment_services.erasure_import(
                device=device, actor=self.request.user, log_text=data["log"], medium=data["medium"]
            )
        except ValidationError as error:
            # The message belongs next to what the technician gave: the file or the pasted text.
            if data.get("log_file") and hasattr(error, "error_dict") and "log" in error.error_dict:
                error.error_dict["log_file"] = error.error_dict.pop("log")
            raise


class ErasureRecordCreate(DeviceAction):
    form_key = "erasure_form"
    success_message = gettext_lazy("The erasure is recorded.")

    def make_form(self, device, request):
        return ErasureRecordForm(request.POST)

    def run(self, device, data):
        return refurbishment_services.erasure_record(device=device, actor=self.request.user, **data)


class ReadyCheckCreate(DeviceAction):
    form_key = "check_form"
    success_message = gettext_lazy("The ready check is recorded.")

    def make_form(self, device, request):
        return ReadyCheckForm(request.POST, profiles=self.profiles())

    def run(self, device, data):
        return refurbishment_services.ready_check_record(
            device=device, actor=self.request.user, software_profile=data["software_profile"], items=data["items"]
        )


class RepairOpen(DeviceAction):
    form_key = "repair_form"
    success_message = gettext_lazy("The repair ticket is opened.")

    def make_form(self, device, request):
        return RepairOpenForm(request.POST)

    def run(self, device, data):
        return refurbishment_services.repair_open(device=device, actor=self.request.user, **data)


class DeviceTransfer(DeviceAction):
    form_key = "transfer_form"
    success_message = gettext_lazy("The device is moved to the other hub.")

    def make_form(self, device, request):
        return TransferForm(request.POST, hubs=self.other_hubs(device))

    def run(self, device, data):
        return stock_services.device_transfer(device=device, actor=self.request.user, **data)


class DeviceRecycle(DeviceAction):
    form_key = "recycle_form"
    success_message = gettext_lazy("The device is handed over for recycling.")

    def make_form(self, device, request):
        return RecycleForm(request.POST, collections=self.collections())

    def run(self, device, data):
        return refurbishment_services.device_recycle(device=device, actor=self.request.user, **data)


class DeviceUpdate(StaffView, ScopedMixin, generic.View):
    """Correct a device's details; its state only moves through the steps on its page."""

    permission = Perm.DEVICES_MANAGE
    model = Device
    template_name = "devices/stock/device_form.html"

    def render_form(self, device, form, status=200):
        return render(self.request, self.template_name, {"object": device, "form": form}, status=status)

    def get(self, request, pk):
        device = get_object_or_404(self.get_queryset(), pk=pk)
        return self.render_form(device, DeviceForm(instance=device))

    def post(self, request, pk):
        device = get_object_or_404(self.get_queryset(), pk=pk)
        form = DeviceForm(request.POST, instance=device)

        def update(data):
            changed = {name: value for name, value in form.device_fields().items() if name in form.changed_data}
            if changed:
                register_services.device_update(device=device, actor=request.user, **changed)

        if submit(request, form, update, _("Changes saved.")):
            return redirect("devices:device", pk=device.pk)
        return self.render_form(device, form, status=400)


class DeviceLabel(StaffView, ScopedMixin, generic.View):
    """The label of one device, to print again when it is lost or worn."""

    permission = Perm.DEVICES_VIEW
    model = Device

    def get(self, request, pk):
        from digibank.devices.register.documents import device_labels_pdf

        device = get_object_or_404(self.get_queryset(), pk=pk)
        return pdf_response(device_labels_pdf([device]), f"label-{device.asset_tag}")
