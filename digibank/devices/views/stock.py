"""The technician's and coordinator's screens: the stock, a device's page with its next steps,
donors and intake, erasure, repair, the ready check, transfers, recycling and the stock-take.

Thin views: permission, form, one service, redirect or render. Reading needs DEVICES_VIEW, every
write DEVICES_MANAGE. A failed post shows the same page again with the form's errors (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.clients.access import AccessLogged, Shows
from digibank.core.roles import Perm
from digibank.core.views import (
    ButtonView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    StaffView,
    add_service_errors,
    submit,
)
from digibank.network.selectors import active_partners, own_digibank

from .. import services
from ..forms.stock import (
    BatchForm,
    CollectionForm,
    DeviceFilterForm,
    DeviceForm,
    DonorForm,
    ErasureImportForm,
    ErasureRecordForm,
    MoveForm,
    ReadyCheckForm,
    ReadyForm,
    RecycleForm,
    RepairCloseForm,
    RepairOpenForm,
    RetireForm,
    ScanForm,
    SoftwareProfileForm,
    StockTakeStartForm,
    TransferForm,
)
from ..lifecycle import STOCK_STATES, State, holds_data, next_states, ready_needs, takes_erasure, takes_ready_check
from ..models import (
    CollectionBatch,
    Device,
    Donor,
    ErasureRecord,
    IntakeBatch,
    RepairTicket,
    SoftwareProfile,
    StockTake,
)
from ..stock import (
    ON_THE_SHELF,
    active_profiles,
    collections_of,
    device_by_tag,
    device_search,
    donors_of,
    hubs_of,
    loans_of_device,
    stock_summary,
    stocktake_result,
)
from ..tags import normalise_tag

EVENTS_PER_PAGE = 25
RECENT = 20  # erasures, repairs, checks and loans shown on a device's page, newest first
# Moves that are not one button on the device's page: ready and retired have a form of their own,
# repair goes with a ticket that says what is wrong, and "wiped" comes with a passed erasure.
NOT_A_BUTTON = (State.READY, State.RETIRED, State.IN_REPAIR, State.WIPED)
MOVE_LABELS: dict[str, Any] = {State.WIPING: gettext_lazy("Start wiping")}


def keep_query(request, drop: str = "page") -> str:
    """The query string of the page without `drop`, to put before `page=` in the pagination links."""
    params = [(k, v) for k, v in request.GET.items() if k != drop and v]
    return urlencode(params) + "&" if params else ""


def ready_missing(device: Device) -> list[str]:
    """What a device still needs before it may be marked ready (lifecycle.ready_needs), in plain words."""
    return [str(need.label) for need in ready_needs(device)]


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


class WritesNeedManage:
    """Reading the page needs the view's permission; posting to it needs DEVICES_MANAGE."""

    permission: str | None
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
        return services.device_transition(
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
            return services.erasure_import(
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
        return services.erasure_record(device=device, actor=self.request.user, **data)


class ReadyCheckCreate(DeviceAction):
    form_key = "check_form"
    success_message = gettext_lazy("The ready check is recorded.")

    def make_form(self, device, request):
        return ReadyCheckForm(request.POST, profiles=self.profiles())

    def run(self, device, data):
        return services.ready_check_record(
            device=device, actor=self.request.user, software_profile=data["software_profile"], items=data["items"]
        )


class RepairOpen(DeviceAction):
    form_key = "repair_form"
    success_message = gettext_lazy("The repair ticket is opened.")

    def make_form(self, device, request):
        return RepairOpenForm(request.POST)

    def run(self, device, data):
        return services.repair_open(device=device, actor=self.request.user, **data)


class DeviceTransfer(DeviceAction):
    form_key = "transfer_form"
    success_message = gettext_lazy("The device is moved to the other hub.")

    def make_form(self, device, request):
        return TransferForm(request.POST, hubs=self.other_hubs(device))

    def run(self, device, data):
        return services.device_transfer(device=device, actor=self.request.user, **data)


class DeviceRecycle(DeviceAction):
    form_key = "recycle_form"
    success_message = gettext_lazy("The device is handed over for recycling.")

    def make_form(self, device, request):
        return RecycleForm(request.POST, collections=self.collections())

    def run(self, device, data):
        return services.device_recycle(device=device, actor=self.request.user, **data)


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
                services.device_update(device=device, actor=request.user, **changed)

        if submit(request, form, update, _("Changes saved.")):
            return redirect("devices:device", pk=device.pk)
        return self.render_form(device, form, status=400)


class DeviceLabel(StaffView, ScopedMixin, generic.View):
    """The label of one device, to print again when it is lost or worn."""

    permission = Perm.DEVICES_VIEW
    model = Device

    def get(self, request, pk):
        from ..documents import device_labels_pdf

        device = get_object_or_404(self.get_queryset(), pk=pk)
        return pdf_response(device_labels_pdf([device]), f"label-{device.asset_tag}")


class ErasureCertificate(StaffView, ScopedMixin, generic.View):
    permission = Perm.DEVICES_VIEW
    model = ErasureRecord

    def get(self, request, pk):
        from ..documents import erasure_certificate_pdf

        record = get_object_or_404(self.get_queryset().select_related("device", "operator"), pk=pk)
        return pdf_response(erasure_certificate_pdf(record), f"erasure-{record.number}")


# --- repairs ---------------------------------------------------------------------------------


class RepairList(ScopedListView):
    """The open repair tickets, oldest first: the work waiting."""

    permission = Perm.DEVICES_VIEW
    model = RepairTicket
    template_name = "devices/stock/repair_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(status=RepairTicket.Status.OPEN)
            .select_related("device", "device__hub", "technician")
            .order_by("opened_at", "pk")
        )


class RepairClose(StaffView, ScopedMixin, generic.View):
    permission = Perm.DEVICES_MANAGE
    model = RepairTicket
    template_name = "devices/stock/repair_close.html"

    def load(self, pk) -> RepairTicket:
        return get_object_or_404(self.get_queryset().select_related("device", "technician"), pk=pk)

    def render_form(self, ticket, form, status=200):
        return render(self.request, self.template_name, {"object": ticket, "form": form}, status=status)

    def get(self, request, pk):
        ticket = self.load(pk)
        return self.render_form(ticket, RepairCloseForm(instance=ticket))

    def post(self, request, pk):
        ticket = self.load(pk)
        form = RepairCloseForm(request.POST, instance=ticket)
        if submit(
            request,
            form,
            lambda data: services.repair_close(ticket=ticket, actor=request.user, **data),
            _("The repair is done."),
        ):
            return redirect("devices:device", pk=ticket.device_id)
        return self.render_form(ticket, form, status=400)


# --- donors and intake -----------------------------------------------------------------------


class DonorList(ListWithCreate):
    permission = Perm.DEVICES_VIEW
    model = Donor
    template_name = "devices/stock/donor_list.html"
    form_class = DonorForm
    created_message = gettext_lazy("Donor added.")
    created_url_name = "devices:donor"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("partner")
            .annotate(batch_count=Count("batches"))
            .order_by("name", "pk")
        )

    def form_kwargs(self):
        partners = active_partners(self.tenancy)
        return {"partners": partners}

    def create(self, data):
        return services.donor_create(digibank=own_digibank(self.tenancy), actor=self.request.user, **data)


class DonorDetail(ScopedDetailView):
    permission = Perm.DEVICES_VIEW
    model = Donor
    template_name = "devices/stock/donor_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("partner")

    def get_context_data(self, **kwargs):
        batches = (
            self.object.batches.select_related("hub")
            .annotate(device_count=Count("devices"))
            .order_by("-received_on", "-pk")
        )
        page = Paginator(batches, 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(batches=page, page_obj=page, is_paginated=page.has_other_pages(), **kwargs)


class BatchList(ScopedListView):
    permission = Perm.DEVICES_VIEW
    model = IntakeBatch
    template_name = "devices/stock/batch_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("donor", "hub")
            .annotate(device_count=Count("devices"))
            .order_by("-received_on", "-pk")
        )


class BatchCreate(StaffView, generic.View):
    """A donor's hand-over at a hub; the items are added on the batch's page."""

    permission = Perm.DEVICES_MANAGE
    template_name = "devices/stock/batch_form.html"

    def make_form(self, data=None):
        donors = donors_of(self.tenancy)
        hubs = hubs_of(self.tenancy).filter(closed_on__isnull=True)
        initial = {"donor": self.request.GET.get("donor")} if data is None else None
        return BatchForm(data, initial=initial, donors=donors, hubs=hubs)

    def get(self, request):
        return render(request, self.template_name, {"form": self.make_form()})

    def post(self, request):
        form = self.make_form(request.POST)
        created: list[IntakeBatch] = []

        def receive(data):
            created.append(services.batch_receive(digibank=own_digibank(self.tenancy), actor=request.user, **data))

        if submit(request, form, receive, _("Batch opened: now add its items.")):
            return redirect("devices:batch", pk=created[0].pk)
        return render(request, self.template_name, {"form": form}, status=400)


class BatchDetail(WritesNeedManage, StaffView, ScopedMixin, generic.View):
    """Intake: the items of a batch, and the form to add the next one. After "Add" the same page
    comes back with an empty form, so a pile of laptops is taken in with the keyboard alone."""

    permission = Perm.DEVICES_VIEW
    model = IntakeBatch
    template_name = "devices/stock/batch_detail.html"

    def load(self, pk) -> IntakeBatch:
        return get_object_or_404(self.get_queryset().select_related("donor", "hub", "received_by"), pk=pk)

    def render_page(self, batch, form=None, status=200):
        devices = batch.devices.order_by("-received_at", "-pk")
        page = Paginator(devices, 25).get_page(self.request.GET.get("page"))
        if form is None and self.tenancy.can(Perm.DEVICES_MANAGE):
            kind = self.request.GET.get("kind", "")
            form = DeviceForm(initial={"kind": kind} if kind else None)
        context = {
            "object": batch,
            "form": form,
            "devices": page,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "keep_query": keep_query(self.request),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(self.load(pk))

    def post(self, request, pk):
        batch = self.load(pk)
        form = DeviceForm(request.POST)
        if form.is_valid():
            try:
                device = services.device_intake(batch=batch, actor=request.user, **form.device_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Added: %(device)s. Stick its label on it.") % {"device": device})
                # The next item is most often of the same type: keep it chosen, the rest empty.
                return redirect(f"{request.path}?{urlencode({'kind': device.kind})}")
        return self.render_page(batch, form, status=400)


class BatchLabels(StaffView, ScopedMixin, generic.View):
    permission = Perm.DEVICES_VIEW
    model = IntakeBatch

    def get(self, request, pk):
        from ..documents import batch_labels_pdf

        batch = get_object_or_404(self.get_queryset().select_related("donor", "hub"), pk=pk)
        return pdf_response(batch_labels_pdf(batch), f"labels-batch-{batch.pk}")


class BatchCertificate(StaffView, ScopedMixin, generic.View):
    """The donor's summary certificate: every item of the batch and how its data was erased."""

    permission = Perm.DEVICES_VIEW
    model = IntakeBatch

    def get(self, request, pk):
        from ..documents import batch_certificate_pdf

        batch = get_object_or_404(self.get_queryset().select_related("donor", "hub"), pk=pk)
        return pdf_response(batch_certificate_pdf(batch), f"certificate-batch-{batch.pk}")


# --- software profiles -----------------------------------------------------------------------


class SoftwareProfileList(ListWithCreate):
    permission = Perm.DEVICES_MANAGE
    model = SoftwareProfile
    template_name = "devices/stock/profile_list.html"
    form_class = SoftwareProfileForm
    created_message = gettext_lazy("Software profile added.")

    def get_queryset(self):
        return super().get_queryset().order_by("-active", "name")

    def create(self, data):
        return services.software_profile_create(digibank=own_digibank(self.tenancy), actor=self.request.user, **data)

    def created_url(self, obj):
        return self.request.path


# --- recycling -------------------------------------------------------------------------------


class CollectionList(ListWithCreate):
    permission = Perm.DEVICES_MANAGE
    model = CollectionBatch
    template_name = "devices/stock/collection_list.html"
    form_class = CollectionForm
    created_message = gettext_lazy("Collection added: retired devices can now be handed over with it.")
    created_url_name = "devices:collection"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(device_count=Count("devices"), total_kg=Sum("devices__weight_kg"))
            .order_by("-handed_over_on", "-pk")
        )

    def create(self, data):
        return services.collection_create(digibank=own_digibank(self.tenancy), actor=self.request.user, **data)


class CollectionDetail(ScopedDetailView):
    permission = Perm.DEVICES_MANAGE
    model = CollectionBatch
    template_name = "devices/stock/collection_detail.html"

    def get_context_data(self, **kwargs):
        devices = self.object.devices.select_related("hub").order_by("asset_tag")
        totals = devices.aggregate(count=Count("pk"), kg=Sum("weight_kg"))
        page = Paginator(devices, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            devices=page, page_obj=page, is_paginated=page.has_other_pages(), totals=totals, **kwargs
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
        return services.stocktake_start(hub=data["hub"], actor=self.request.user)


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
                scan = services.stocktake_scan(stocktake=stocktake, code=form.cleaned_data["code"], actor=request.user)
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
        services.stocktake_close(stocktake=obj, actor=self.request.user)

    def back(self, obj):
        return reverse("devices:stocktake", kwargs={"pk": obj.pk})
