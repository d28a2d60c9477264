"""The device bank of the bench network (bench/generate.py calls `generate_stock`): for every
digibank a desk worker and a technician, its lending rules and agreement, software profiles, donors
and their batches, 1,000 devices with their whole history (intake, erasures, ready checks, repairs,
transitions), 10,000 past loans and the loans open now, from its own `random.Random`.

Written past the services, with COPY, but each row is what the services would have written for the
same story: `Life` below walks each device through the lifecycle table (`lifecycle.allowed` is
checked at every step), sets `needs_erasure`, `ready_checked`, the grade and the software profile
as `move_device`, `erasure_record`, `ready_check_record` and `device_transition` do, and writes the
DeviceEvent, ErasureRecord, ReadyCheck, RepairTicket, Loan, LoanItem and ClientEvent rows they
would. No simple-history rows, as for the rest of the bench data.

The story is set before NOW (30 November 2026, the last registration of the bench clients): loans
begin once clients are registered (January 2024), go to a client registered before, and one client
never has two loans at once."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import random
from collections.abc import Iterable, Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

SEED = 2026
DEVICES_PER_DIGIBANK = 1_000
PAST_LOANS_PER_DIGIBANK = 10_000
PASSWORD_NOTE = "same password as the coordinators"

EPOCH = dt.datetime(2023, 12, 1, tzinfo=dt.UTC)  # a time is a float: days since EPOCH (see moment())
NOW_X = (dt.date(2026, 11, 30) - EPOCH.date()).days + 0.999  # 30 November 2026, end of the desk day
FIRST_LEND_X = (dt.date(2024, 1, 22) - EPOCH.date()).days  # two weeks after the first registrations
BRUSSELS = ZoneInfo("Europe/Brussels")

# Per digibank: the main devices (lent on their own) and the accessories (lent with a laptop).
MAIN_KINDS = {"laptop": 660, "desktop": 30, "tablet": 40, "smartphone": 20, "monitor": 20, "hotspot": 20}
ACCESSORY_KINDS = {"charger": 150, "mouse": 25, "bag": 25, "headset": 10}
DATA_KINDS = {"laptop", "desktop", "tablet", "smartphone"}
# Where the main devices are now, in shares of 100.
STATES_NOW = {
    "on_loan": 40,
    "ready": 12,
    "returned": 11,
    "recycled": 18,
    "retired": 4,
    "in_repair": 4,
    "received": 5,
    "wiped": 3,
    "wiping": 2,
    "handed_over": 1,
}
# The share of devices in these states that were lent before (the others are fresh from intake).
LENT_BEFORE = {"in_repair": 0.6, "wiped": 0.6, "wiping": 0.6, "retired": 0.7, "recycled": 0.75}
AFTER_READY = {"on_loan", "ready", "handed_over"}  # the past loans end with the device ready again

LAPTOPS = [  # make, model, processor, screen, serial prefix
    ("Lenovo", "ThinkPad T480", "Intel Core i5-8350U", "14.0", "PF"),
    ("Lenovo", "ThinkPad T490", "Intel Core i5-8365U", "14.0", "PF"),
    ("Lenovo", "ThinkPad L590", "Intel Core i5-8265U", "15.6", "PF"),
    ("Lenovo", "ThinkPad X280", "Intel Core i5-8250U", "12.5", "PF"),
    ("Dell", "Latitude 5490", "Intel Core i5-8350U", "14.0", ""),
    ("Dell", "Latitude 7490", "Intel Core i7-8650U", "14.0", ""),
    ("Dell", "Latitude 5500", "Intel Core i5-8365U", "15.6", ""),
    ("HP", "EliteBook 840 G5", "Intel Core i5-8350U", "14.0", "5CG"),
    ("HP", "EliteBook 840 G6", "Intel Core i5-8365U", "14.0", "5CG"),
    ("HP", "ProBook 450 G7", "Intel Core i5-10210U", "15.6", "5CD"),
    ("Fujitsu", "LifeBook U748", "Intel Core i5-8250U", "14.0", "DSAC"),
    ("Acer", "TravelMate P215-52", "Intel Core i5-10210U", "15.6", "NX"),
]
DESKTOPS = [
    ("Dell", "OptiPlex 7060", "Intel Core i5-8500", ""),
    ("HP", "EliteDesk 800 G4", "Intel Core i5-8500", "CZC"),
    ("Lenovo", "ThinkCentre M720q", "Intel Core i5-8400T", "MJ"),
]
TABLETS = [
    ("Samsung", "Galaxy Tab A8", "10.5"),
    ("Lenovo", "Tab M10", "10.1"),
    ("Apple", "iPad (9e generatie)", "10.2"),
]
PHONES = [("Samsung", "Galaxy A52", "6.5"), ("Google", "Pixel 6a", "6.1"), ("Apple", "iPhone SE (2020)", "4.7")]
MONITORS = [("Dell", "P2419H", "23.8"), ("HP", "E24 G4", "23.8"), ("Philips", "243V7QDAB", "23.8")]
HOTSPOTS = [("Huawei", "E5576-320"), ("TP-Link", "M7350")]
ACCESSORIES = {
    "charger": [("Lenovo", "65W USB-C"), ("Dell", "65W oplader"), ("HP", "65W Smart oplader")],
    "mouse": [("Logitech", "B100"), ("Logitech", "M185")],
    "bag": [("Targus", "Classic 15.6 inch"), ("Dicota", "Eco Base 14-15.6")],
    "headset": [("Jabra", "Evolve 20"), ("Logitech", "H390")],
}
PROFILES = [  # name, operating system, office software, other software
    ("Linux Mint", "Linux Mint 22", "LibreOffice 24", "Firefox, Thunderbird, itsme-koppeling"),
    ("Windows 11", "Windows 11 Pro", "LibreOffice 24", "Firefox, eID-middleware"),
    ("ChromeOS Flex", "ChromeOS Flex", "Google Docs (online)", ""),
    ("Android", "Android 13", "Google Docs", "itsme, MyMinfin, Mijn Burgerprofiel"),
]
WEIGHT_KG = {"laptop": (1.4, 2.4), "desktop": (4.5, 8.0), "tablet": (0.45, 0.6), "smartphone": (0.15, 0.22),
             "monitor": (3.5, 6.0), "hotspot": (0.1, 0.2)}  # fmt: skip
FAULTS = [
    "Scherm flikkert",
    "Toetsenbord: enkele toetsen werken niet",
    "Batterij laadt niet op",
    "Start niet op",
    "Scharnier gebroken",
    "Wifi werkt niet",
    "Ventilator maakt lawaai",
]
WORK_DONE = [
    "Scherm vervangen",
    "Toetsenbord vervangen",
    "Nieuwe batterij geplaatst",
    "Geheugen opnieuw geplaatst, moederbord gereinigd",
    "Scharnier vervangen",
    "Wifikaart vervangen",
    "Ventilator gereinigd en koelpasta vernieuwd",
]
RETIRE_REASONS = [
    "Moederbord defect, herstel niet de moeite",
    "Scherm gebroken, geen onderdelen meer",
    "Te oud: krijgt geen updates meer",
    "Waterschade",
    "Batterij opgezwollen",
]
DONOR_NAMES = [
    "Agentschap Digitaal Vlaanderen",
    "KBC Groep",
    "Proximus",
    "Colruyt Group",
    "Universiteit Gent",
    "KU Leuven",
    "Stad {m}",
    "Provincie {p}",
    "Bpost",
    "Telenet",
    "Argenta",
    "Belfius",
    "VDAB {m}",
    "Huis van het Kind {m}",
    "Rotary Club {m}",
    "Lions Club {m}",
    "{s} Accountancy bv",
    "{s} & Partners advocaten",
]
PROVINCES = {"10000": "Antwerpen", "20001": "Vlaams-Brabant", "30000": "West-Vlaanderen",
             "40000": "Oost-Vlaanderen", "70000": "Limburg"}  # fmt: skip
RECYCLERS = ["Recupel", "De Kringwinkel", "Out of Use", "Sortbat"]


def moment(x: float) -> dt.datetime:
    """The time x (days since EPOCH), on the desk hours of its day: the fraction of the day falls
    between 8:00 and 17:00 UTC. Monotonic, so the order of a story is kept."""
    day = math.floor(x)
    return EPOCH + dt.timedelta(days=day, hours=8, seconds=round((x - day) * 9 * 3600))


def x_at(at: dt.datetime) -> float:
    """The inverse of moment(): a time outside the desk hours counts as their start or end."""
    since = at - EPOCH
    day = since.days
    hours = (since.seconds - 8 * 3600) / (9 * 3600)
    return day + min(max(hours, 0.0), 0.9999)


def x_of(day: dt.date) -> float:
    return float((day - EPOCH.date()).days)


def local_date(at: dt.datetime) -> dt.date:
    return at.astimezone(BRUSSELS).date()


class Codes:
    """Seeded codes as digibank.devices.tags.new_code makes them, unique against all generated."""

    def __init__(self, rng: random.Random, prefix: str, taken: set[str]):
        self.rng, self.prefix, self.taken = rng, prefix, taken

    def new(self) -> str:
        from digibank.clients.numbers import ALPHABET, check_character

        while True:
            body = "".join(self.rng.choice(ALPHABET) for _ in range(7))
            compact = body + check_character(body)
            code = f"{self.prefix}-{compact[:4]}-{compact[4:]}"
            if code not in self.taken:
                self.taken.add(code)
                return code


class Dev:
    __slots__ = (
        "id", "kind", "batch", "hub_id", "tag", "spec", "received_x", "state", "changed_at", "grade",
        "profile", "needs_erasure", "ready_checked", "condition", "storage_serial", "weight_kg",
        "collection_id", "owner_id", "medium", "accessory", "category", "lent_before", "description",
        "profile_id",
    )  # fmt: skip

    def __init__(self, kind: str):
        self.id = None
        self.kind = kind
        self.state = ""
        self.grade = ""
        self.profile = None  # the one it gets at each ready check
        self.profile_id = None  # once it had one
        self.needs_erasure = kind in DATA_KINDS
        self.ready_checked = False
        self.condition = "good"
        self.storage_serial = ""
        self.weight_kg = None
        self.collection_id = None
        self.owner_id = None
        self.accessory = None  # of a main device: the accessory lent with it
        self.category = ""
        self.lent_before = False


class LoanRow:
    __slots__ = ("id", "number", "devices", "hub_id", "out_x", "in_x", "ext_x", "client", "actor", "signed",
                 "conditions_ok", "due_on", "extensions", "returned_conditions")  # fmt: skip

    def __init__(self, devices: list[Dev], out_x: float, actor: int):
        self.id = None
        self.devices = devices
        self.hub_id = devices[0].hub_id
        self.out_x = out_x
        self.in_x: float | None = None
        self.ext_x: float | None = None
        self.client = None  # index into the digibank's clients
        self.actor = actor
        self.signed = False
        self.extensions = 0
        self.returned_conditions: list[str] = []


class Ticket:
    __slots__ = ("id", "device", "fault", "work_done", "parts", "minutes", "technician", "opened", "closed")


class Life:
    """One digibank's stock and its history, written as the services would write it."""

    def __init__(self, bank: dict, rng: random.Random, codes: dict[str, Codes]):
        from django.conf import settings
        from django.utils import translation

        from digibank.devices.refurbishment.models import ErasureRecord
        from digibank.devices.register.lifecycle import Kind, State, allowed

        self.bank, self.rng, self.codes = bank, rng, codes
        self.allowed, self.State = allowed, State
        with translation.override(settings.LANGUAGE_CODE):  # what a request at the desk would write
            self.kind_label = {k: str(Kind(k).label) for k in Kind.values}
            self.level_label = {v: str(ErasureRecord.Level(v).label) for v in ErasureRecord.Level.values}
        self.events: list[tuple] = []
        self.erasures: list[tuple] = []
        self.checks: list[tuple] = []
        self.tickets: list[Ticket] = []
        self.loans: list[LoanRow] = []
        self.handovers: list[tuple[Dev, float]] = []
        self.tech, self.desk, self.coord = bank["tech"], bank["desk"], bank["coord"]

    # --- what the services do, step by step -----------------------------------------------------

    def event(self, dev: Dev, kind: str, at: dt.datetime, actor: int, **fields) -> None:
        self.events.append(
            (dev, kind, fields.get("from_state", ""), fields.get("to_state", ""), fields.get("from_hub"),
             fields.get("to_hub"), fields.get("note", "")[:300], fields.get("ref", ""), actor, at)
        )  # fmt: skip

    def move(self, dev: Dev, target: str, at: dt.datetime, actor: int, note: str = "", ref="") -> None:
        """register.services.move_device"""
        assert self.allowed(dev.state, target), (dev.kind, dev.state, target)
        source = dev.state
        dev.state, dev.changed_at = target, at
        if target in ("returned", "in_repair", "wiping"):
            dev.ready_checked = False
        if target == "returned" and dev.kind in DATA_KINDS:
            dev.needs_erasure = True
        self.event(dev, "transition", at, actor, from_state=source, to_state=target, note=note, ref=ref)

    def intake(self, dev: Dev, x: float, batch: dict) -> None:
        at = moment(x)
        dev.state, dev.changed_at, dev.received_x = "received", at, x
        self.event(dev, "intake", at, batch["received_by_id"], to_state="received", to_hub=dev.hub_id,
                   ref=batch)  # fmt: skip

    def erase(self, dev: Dev, x: float, passed: bool = True) -> None:
        """services.erasure_record"""
        assert dev.kind in DATA_KINDS and dev.state in ("received", "wiping", "returned", "in_repair"), dev.state
        at = moment(x)
        level, method, tool, verification = dev.medium[1]
        number = self.codes["W"].new()
        serial = dev.medium[2]
        result = "passed" if passed else "failed"
        self.erasures.append((dev, number, level, method, tool, dev.medium[0], serial, self.tech,
                              local_date(at), result, verification, at))  # fmt: skip
        self.event(dev, "erasure", at, self.tech, note=f"{self.level_label[level]} {result}", ref=number)
        if dev.state != "wiping":
            self.move(dev, "wiping", at + dt.timedelta(seconds=1), self.tech, ref=number)
        if passed:
            dev.needs_erasure = False
            if not dev.storage_serial and serial:
                dev.storage_serial = serial
            self.move(dev, "wiped", at + dt.timedelta(seconds=2), self.tech, ref=number)

    def check(self, dev: Dev, x: float) -> None:
        """services.ready_check_record"""
        assert dev.state in ("wiped", "in_repair"), dev.state
        at = moment(x)
        self.checks.append((dev, dev.profile[0], self.tech, at))
        dev.ready_checked, dev.profile_id = True, dev.profile[0]
        self.event(dev, "check", at, self.tech, note=dev.profile[1])

    def ready(self, dev: Dev, x: float) -> None:
        """services.device_transition to ready, with its guards"""
        if dev.kind in DATA_KINDS:
            assert not dev.needs_erasure and dev.ready_checked, dev.id
        if not dev.grade or self.rng.random() < 0.05:
            dev.grade = self.rng.choices("ABC", weights=[25, 50, 25])[0]
        self.move(dev, "ready", moment(x), self.tech)

    def refurbish(self, dev: Dev, start: float, end: float) -> None:
        """From received or returned to ready between start and end: wiped with a recorded erasure,
        checked and graded (a data-holding device), or looked at and graded (any other)."""
        span = end - start
        if dev.kind not in DATA_KINDS:
            self.ready(dev, end)
            return
        if dev.state == "returned" and self.rng.random() < 0.04:
            ticket = self.repair_open(dev, start + 0.15 * span)
            self.repair_close(ticket, start + 0.4 * span)
        if self.rng.random() < 0.01:  # a failed erasure first, then the tool is run again
            self.erase(dev, start + 0.5 * span, passed=False)
        self.erase(dev, start + 0.55 * span)
        self.check(dev, start + 0.8 * span)
        self.ready(dev, end)

    def repair_open(self, dev: Dev, x: float) -> Ticket:
        at = moment(x)
        ticket = Ticket()
        ticket.device, ticket.fault, ticket.technician, ticket.opened, ticket.closed = (
            dev, self.rng.choice(FAULTS), self.tech, at, None
        )  # fmt: skip
        ticket.work_done, ticket.parts, ticket.minutes = "", "", 0
        self.tickets.append(ticket)
        if dev.state != "in_repair":
            self.move(dev, "in_repair", at, self.tech, note=ticket.fault)
        self.event(dev, "repair", at + dt.timedelta(seconds=1), self.tech, note=ticket.fault, ref=ticket)
        return ticket

    def repair_close(self, ticket: Ticket, x: float) -> None:
        at = moment(x)
        index = FAULTS.index(ticket.fault)
        ticket.work_done, ticket.closed = WORK_DONE[index], at
        ticket.parts = WORK_DONE[index].split()[0].lower() if index in (0, 1, 2, 4, 5) else ""
        ticket.minutes = self.rng.choice([20, 30, 45, 60, 90, 120])
        self.event(ticket.device, "repair", at, self.tech, note=ticket.work_done, ref=ticket)

    def retire(self, dev: Dev, x: float) -> None:
        self.move(dev, "retired", moment(x), self.tech, note=self.rng.choice(RETIRE_REASONS))

    def recycle(self, dev: Dev, collection: dict) -> None:
        low, high = WEIGHT_KG[dev.kind]
        dev.weight_kg = Decimal(f"{self.rng.uniform(low, high):.2f}")
        dev.collection_id = collection["id"]
        at = moment(collection["x"] + 0.5)
        self.move(dev, "recycled", at, self.coord, ref=f"collection:{collection['id']}", note=collection["reference"])

    def check_out(self, devices: list[Dev], x: float) -> LoanRow:
        loan = LoanRow(devices, x, self.rng.choice([self.desk, self.desk, self.coord]))
        loan.signed = self.rng.random() < 0.75
        at = moment(x)
        for dev in devices:
            self.move(dev, "on_loan", at, loan.actor, ref=loan)
        self.loans.append(loan)
        return loan

    def check_in(self, loan: LoanRow, x: float) -> None:
        loan.in_x = x
        at = moment(x)
        for dev in loan.devices:
            condition = "good" if self.rng.random() < 0.85 else "fair"
            loan.returned_conditions.append(condition)
            self.move(dev, "returned", at, loan.actor, ref=loan)
            dev.condition = condition

    # --- one device's life ----------------------------------------------------------------------

    def live(self, dev: Dev, n_loans: int, plan: dict) -> None:
        """Walk a main device (and the accessory lent with it) from intake to where it is now."""
        rng = self.rng
        accessory = dev.accessory
        self.intake(dev, dev.received_x, dev.batch)
        if accessory is not None:
            self.intake(accessory, dev.received_x + 0.0005, dev.batch)
        category, rules = dev.category, self.bank["rules"]
        ever_ready = dev.lent_before or category in AFTER_READY
        if ever_ready:
            self.refurbish(dev, dev.received_x + 0.01, plan["t0"])
            if accessory is not None:
                self.ready(accessory, min(dev.received_x + rng.uniform(0.2, 3), plan["t0"]))
        t = plan.get("l0", 0.0)
        for shelf, length, refurb in plan["cycles"]:
            out_x = t + shelf
            bundle = [dev] if accessory is None else [dev, accessory]
            loan = self.check_out(bundle, out_x)
            in_x = out_x + length
            self.extend_maybe(loan, in_x)
            self.check_in(loan, in_x)
            t = in_x
            if refurb:
                self.refurbish(dev, in_x + 0.01, in_x + refurb)
                if accessory is not None:
                    self.ready(accessory, in_x + refurb / 2)
                t = in_x + refurb
        # Now: where the device is.
        end = plan["end"]
        if category == "on_loan":
            bundle = [dev] if accessory is None else [dev, accessory]
            loan = self.check_out(bundle, plan["open_x"])
            due = plan["open_x"] + rules["loan_days"]
            if NOW_X > due - 5 and rules["extensions_allowed"] and rng.random() < 0.6:
                ext = max(plan["open_x"] + 0.5, due - rng.uniform(1, 5))
                if ext < NOW_X:
                    loan.ext_x = ext
        elif category == "handed_over":
            self.handovers.append((dev, plan["handover_x"]))
            self.move(dev, "handed_over", moment(plan["handover_x"]), self.desk, note="Definitief geschonken")
        elif category in ("ready", "returned"):
            pass
        else:
            tail = plan["tail_x"]
            if accessory is not None and accessory.state == "returned":
                self.ready(accessory, min(end + rng.uniform(0.05, 2), NOW_X))
            if category == "wiping":
                self.move(dev, "wiping", moment(tail), self.tech)
            elif category == "wiped":
                self.erase(dev, tail)
            elif category == "in_repair":
                self.repair_open(dev, tail)
            elif category == "retired":
                self.retire(dev, tail)
            elif category == "recycled":
                self.retire(dev, tail)
                self.recycle(dev, plan["collection"])
        if accessory is not None and accessory.state == "received" and category in ("retired", "recycled", "ready"):
            self.ready(accessory, dev.received_x + rng.uniform(0.2, 3))

    def extend_maybe(self, loan: LoanRow, in_x: float) -> None:
        rules = self.bank["rules"]
        due = loan.out_x + rules["loan_days"]
        if in_x > due and rules["extensions_allowed"] and self.rng.random() < 0.8:
            loan.ext_x = max(loan.out_x + 0.5, due - self.rng.uniform(1, 5))


def loan_length(rng: random.Random, loan_days: int, extension_days: int) -> float:
    draw = rng.random()
    if draw < 0.30:
        return rng.uniform(7, max(8, 0.5 * loan_days))
    if draw < 0.85:
        return rng.uniform(0.85 * loan_days, 1.02 * loan_days)
    return loan_days + rng.uniform(3, extension_days + 5)


def allocate(weights: list[float], caps: list[int], minima: list[int], total: int) -> list[int]:
    """Split `total` over the devices in proportion to their weights, within their minima and caps."""
    weight_sum = sum(weights)
    quota = [total * w / weight_sum for w in weights]
    counts = [min(c, max(m, math.floor(q))) for q, c, m in zip(quota, caps, minima, strict=True)]
    while sum(counts) != total:
        diff = total - sum(counts)
        if diff > 0:
            room = sorted((i for i in range(len(counts)) if counts[i] < caps[i]), key=lambda i: counts[i] - quota[i])
            if not room:
                raise RuntimeError("the devices cannot hold that many loans")
            for i in room[:diff]:
                counts[i] += 1
        else:
            spare = sorted((i for i in range(len(counts)) if counts[i] > minima[i]), key=lambda i: quota[i] - counts[i])
            for i in spare[:-diff]:
                counts[i] -= 1
    return counts


def device_spec(rng: random.Random, kind: str, serials: set[str], partner_make: str = "") -> dict:
    def serial(prefix: str, length: int) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
        while True:
            value = prefix + "".join(rng.choice(alphabet) for _ in range(length))
            if value not in serials:
                serials.add(value)
                return value

    spec: dict = {"make": "", "model_name": "", "serial_number": "", "processor": "", "memory_gb": None,
                  "storage_gb": None, "screen_inches": None, "battery_health": None}  # fmt: skip
    if kind == "laptop":
        make, model, cpu, screen, prefix = rng.choice(LAPTOPS)
        spec.update(make=make, model_name=model, processor=cpu, screen_inches=Decimal(screen),
                    serial_number=serial(prefix, 8 - len(prefix) if prefix else 7),
                    memory_gb=rng.choices([4, 8, 16], weights=[10, 60, 30])[0],
                    storage_gb=rng.choices([128, 256, 512], weights=[15, 60, 25])[0],
                    battery_health=rng.randint(55, 100))  # fmt: skip
    elif kind == "desktop":
        make, model, cpu, prefix = rng.choice(DESKTOPS)
        spec.update(make=make, model_name=model, processor=cpu, serial_number=serial(prefix, 7),
                    memory_gb=rng.choice([8, 16]), storage_gb=rng.choice([256, 512]))  # fmt: skip
    elif kind in ("tablet", "smartphone"):
        make, model, screen = rng.choice(TABLETS if kind == "tablet" else PHONES)
        spec.update(make=make, model_name=model, screen_inches=Decimal(screen), serial_number=serial("R", 10),
                    storage_gb=rng.choice([32, 64, 128]), battery_health=rng.randint(70, 100))  # fmt: skip
    elif kind == "monitor":
        make, model, screen = rng.choice(MONITORS)
        spec.update(make=make, model_name=model, screen_inches=Decimal(screen), serial_number=serial("CN", 10))
    elif kind == "hotspot":
        make, model = rng.choice(HOTSPOTS)
        spec.update(make=make, model_name=model, serial_number=serial("HS", 10))
    else:
        options = ACCESSORIES[kind]
        make, model = next((o for o in options if o[0] == partner_make), rng.choice(options))
        spec.update(make=make, model_name=model)
    return spec


def erasure_medium(rng: random.Random, kind: str) -> tuple:
    """(medium, (level, method, tool, verification), disk serial) for one device, the same each wipe."""
    if kind in ("tablet", "smartphone"):
        return ("phone", ("purge", "Cryptografisch wissen (fabrieksinstellingen)", "Fabrieksreset", "none"), "")
    medium = rng.choices(["ssd", "nvme", "hdd"], weights=[55, 35, 10])[0]
    disk = f"S{rng.randint(10**8, 10**9 - 1)}" if medium != "hdd" else f"WD-WX{rng.randint(10**7, 10**8 - 1)}"
    if medium == "nvme" and rng.random() < 0.3:
        return (medium, ("purge", "Sanitize Crypto Erase (ATA/SCSI/NVMe)", "nwipe 0.37", "none"), disk)
    return (medium, ("clear", "PRNG Stream", rng.choice(["nwipe 0.36", "nwipe 0.37"]), "last"), disk)


# --- one digibank --------------------------------------------------------------------------------


def build(bank: dict, rng: random.Random, codes: dict[str, Codes], serials: set[str]) -> Life:
    """The devices of one digibank and their history, in memory: ids come when it is written."""
    life = Life(bank, rng, codes)
    rules = bank["rules"]
    devices: list[Dev] = []
    mains: list[Dev] = []
    for kind, count in MAIN_KINDS.items():
        for _ in range(count):
            dev = Dev(kind)
            dev.spec = device_spec(rng, kind, serials)
            if kind in DATA_KINDS:
                dev.medium = erasure_medium(rng, kind)
                dev.storage_serial = dev.medium[2] if rng.random() < 0.7 else ""
                profiles = bank["profiles"]
                dev.profile = (
                    profiles[3]
                    if kind in ("tablet", "smartphone")
                    else rng.choices(profiles[:3], weights=[50, 40, 10])[0]
                )
            mains.append(dev)
    states = [s for s, share in STATES_NOW.items() for _ in range(round(share * len(mains) / 100))]
    states += ["on_loan"] * (len(mains) - len(states))
    rng.shuffle(states)
    for dev, state in zip(mains, states[: len(mains)], strict=True):
        if dev.kind not in DATA_KINDS and state in ("wiping", "wiped"):
            state = "received"
        dev.category = state
        dev.lent_before = state in AFTER_READY or state == "returned" or rng.random() < LENT_BEFORE.get(state, 0)
    laptops = [d for d in mains if d.kind == "laptop"]
    accessories = []
    partners = rng.sample(laptops, sum(ACCESSORY_KINDS.values()))
    for kind, count in ACCESSORY_KINDS.items():
        for _ in range(count):
            laptop = partners.pop()
            acc = Dev(kind)
            acc.spec = device_spec(rng, kind, serials, laptop.spec["make"])
            laptop.accessory = acc
            accessories.append(acc)

    # When each came in: the lent ones over the years, the fresh ones in the last weeks.
    collections = bank["collections"]
    for dev in mains:
        if dev.lent_before:
            dev.received_x = rng.uniform(FIRST_LEND_X - 30, NOW_X - 150)
        elif dev.category == "received":
            dev.received_x = rng.uniform(NOW_X - 30, NOW_X - 0.1)
        elif dev.category == "retired":
            dev.received_x = rng.uniform(NOW_X - 80, NOW_X - 5)
        elif dev.category == "recycled":  # broken at intake, gone with a collection
            collection = rng.choice(collections)
            dev.received_x = max(0.0, collection["x"] - rng.uniform(15, 120))
        else:
            dev.received_x = rng.uniform(NOW_X - 45, NOW_X - 1)
    # Batches: a donor brings a few to a few dozen at once, at one hub; a laptop and its accessory together.
    mains.sort(key=lambda d: d.received_x)
    batches = []
    i = 0
    while i < len(mains):
        size = rng.randint(8, 45)
        group = mains[i : i + size]
        i += size
        day = math.floor(group[0].received_x)
        batch = {"hub_id": rng.choice(bank["lending_hubs"]), "donor_id": rng.choice(bank["donors"]),
                 "received_on": (EPOCH + dt.timedelta(days=day)).date(),
                 "received_by_id": life.tech if rng.random() < 0.8 else life.coord,
                 "reference": f"PO-{(EPOCH + dt.timedelta(days=day)).year}-{rng.randint(100, 999)}"
                 if rng.random() < 0.4 else "",
                 "devices": group, "x": day + 0.05}  # fmt: skip
        batches.append(batch)
        for j, dev in enumerate(group):
            dev.batch, dev.hub_id, dev.received_x = batch, batch["hub_id"], day + 0.05 + j * 0.002
            if dev.accessory is not None:
                dev.accessory.batch, dev.accessory.hub_id = batch, batch["hub_id"]
    devices = []
    for dev in mains:
        devices.append(dev)
        if dev.accessory is not None:
            devices.append(dev.accessory)

    # The plan of each main device: first ready (t0), the span its past loans fill, where it ends.
    plans: list[dict] = []
    for dev in mains:
        plan: dict = {"cycles": []}
        category = dev.category
        if dev.lent_before:
            plan["t0"] = dev.received_x + (rng.uniform(1, 14) if dev.kind in DATA_KINDS else rng.uniform(0.5, 6))
            plan["l0"] = max(plan["t0"], FIRST_LEND_X + rng.uniform(0, 10))
        if category == "on_loan":
            plan["open_x"] = NOW_X - rng.uniform(0.05, rules["loan_days"] * 1.25)
            plan["end"] = plan["open_x"] - rng.uniform(0.05, 4)
        elif category == "ready":
            plan["end"] = NOW_X - rng.uniform(0.02, 50)
        elif category == "handed_over":
            plan["end"] = NOW_X - rng.uniform(10, 200)
        elif category == "returned":
            plan["end"] = NOW_X - rng.uniform(0.02, 20)
        elif category == "recycled" and dev.lent_before:
            eligible = [c for c in collections if c["x"] >= plan["l0"] + 40]
            collection = rng.choice(eligible)
            plan["collection"] = collection
            plan["tail_x"] = collection["x"] - rng.uniform(3, min(60, collection["x"] - plan["l0"] - 30))
            plan["end"] = plan["tail_x"] - rng.uniform(0.1, 3)
        elif category == "recycled":
            plan["collection"] = collection = min(
                (c for c in collections if c["x"] > dev.received_x + 2), key=lambda c: c["x"]
            )
            plan["tail_x"] = rng.uniform(dev.received_x + 0.5, collection["x"] - 0.5)
            plan["end"] = dev.received_x
        else:  # wiping, wiped, in_repair, retired, received: something happens in the last weeks
            earliest = {"wiping": 20, "wiped": 30, "in_repair": 40, "retired": 80, "received": 0}[category]
            plan["end"] = NOW_X - rng.uniform(3, max(4, earliest)) if dev.lent_before else dev.received_x
            plan["tail_x"] = min(max(plan["end"], dev.received_x) + rng.uniform(0.1, 3), NOW_X)
        if dev.lent_before and plan["end"] < plan["l0"] + 1:  # came in too late to be lent before
            plan["end"] = plan["l0"]
        if category == "on_loan":
            plan["open_x"] = max(plan["open_x"], plan["end"] + 0.05)
        if category == "handed_over":
            plan["handover_x"] = min(plan["end"] + rng.uniform(0.5, 8), NOW_X)
        plans.append(plan)

    # Share the past loans over the devices that were lent before, by how long they were in use.
    lenders = [i for i, dev in enumerate(mains) if dev.lent_before]
    spans = [max(0.0, plans[i]["end"] - plans[i]["l0"]) for i in lenders]
    caps = [math.floor(span / 8) for span in spans]
    minima = [0 if mains[i].category in AFTER_READY else 1 for i in lenders]
    counts = allocate(spans, caps, [min(m, c) for m, c in zip(minima, caps, strict=True)], PAST_LOANS_PER_DIGIBANK)
    for i, n in zip(lenders, counts, strict=True):
        if n:
            plans[i]["cycles"] = lay_out(rng, mains[i], n, plans[i], rules)
        elif mains[i].category not in AFTER_READY:  # no loan fits: it goes on from intake
            mains[i].lent_before = False

    for dev, plan in zip(mains, plans, strict=True):
        if dev.category == "returned" and not plan["cycles"]:
            raise RuntimeError("a returned device needs a loan")
        life.live(dev, len(plan["cycles"]), plan)
    life.devices, life.batches = devices, batches  # type: ignore[attr-defined]
    return life


def lay_out(rng: random.Random, dev: Dev, n: int, plan: dict, rules: dict) -> list[tuple[float, float, float]]:
    """n loans, each (shelf time, loan, refurbishing after it) in days, that fill the span from the
    first ready moment (l0) to the end: ready again, or back at the desk for the last loan."""
    data = dev.kind in DATA_KINDS
    raw = []
    for j in range(n):
        shelf = rng.uniform(0.1, 10)
        length = loan_length(rng, rules["loan_days"], rules["extension_days"])
        last_without = j == n - 1 and dev.category not in AFTER_READY
        refurb = 0.0 if last_without else (rng.uniform(2, 12) if data else rng.uniform(0.3, 4))
        raw.append([shelf, length, refurb])
    span = plan["end"] - plan["l0"]
    total = sum(a + b + c for a, b, c in raw)
    factor = span / total
    if factor <= 1:
        return [(a * factor, b * factor, c * factor) for a, b, c in raw]
    stretch = min(factor, 1.25)
    shelves = sum(a for a, _, _ in raw)
    rest = span - stretch * sum(b for _, b, _ in raw) - sum(c for _, _, c in raw)
    return [(rest * a / shelves, b * stretch, c) for a, b, c in raw]


def assign_clients(life: Life, clients: list[tuple]) -> None:
    """Each loan to a client registered before it, who has no other loan at that time."""
    rng = life.rng
    registered = [c[1] for c in clients]
    busy = [-1.0] * len(clients)
    for loan in sorted(life.loans, key=lambda loan: loan.out_x):
        k = bisect.bisect_right(registered, loan.out_x - 0.05)
        if k == 0:
            raise RuntimeError(f"no client registered before {moment(loan.out_x)}")
        chosen = None
        for _ in range(60):
            index = rng.randrange(k)
            if busy[index] < loan.out_x - 0.01:
                chosen = index
                break
        if chosen is None:
            start = rng.randrange(k)
            chosen = next((i % k for i in range(start, start + k) if busy[i % k] < loan.out_x - 0.01), None)
        if chosen is None:
            raise RuntimeError(f"every client registered before {moment(loan.out_x)} has a loan then")
        loan.client = chosen
        busy[chosen] = loan.in_x if loan.in_x is not None else math.inf
    for dev, x in life.handovers:
        k = bisect.bisect_right(registered, x - 0.05)
        dev.owner_id = clients[rng.randrange(k)][0]


# --- writing -------------------------------------------------------------------------------------


def reserve_ids(cursor, model, count: int) -> list[int]:
    if not count:
        return []
    table = model._meta.db_table
    cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [count])
    return [row[0] for row in cursor.fetchall()]


def copy_rows(cursor, model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows into the model's table; `columns` must name every column but the id (or with it),
    so nothing is left to a default the database does not have (Django keeps defaults in Python)."""
    required = {f.column for f in model._meta.concrete_fields if not f.primary_key}
    given = set(columns) - {"id"}
    assert given == required, (model.__name__, sorted(required - given), sorted(given - required))
    table = model._meta.db_table
    written = 0
    with cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def write(life: Life, clients: list[tuple], cursor) -> dict[str, int]:
    from digibank.clients.models import ClientEvent
    from digibank.devices.lending.models import Loan, LoanItem
    from digibank.devices.refurbishment.models import READY_CHECKLIST, ErasureRecord, ReadyCheck, RepairTicket
    from digibank.devices.register.models import Device, DeviceEvent

    bank, rules = life.bank, life.bank["rules"]
    devices: list[Dev] = life.devices  # type: ignore[attr-defined]
    for dev, pk in zip(devices, reserve_ids(cursor, Device, len(devices)), strict=True):
        dev.id = pk
    for loan, pk in zip(life.loans, reserve_ids(cursor, Loan, len(life.loans)), strict=True):
        loan.id = pk
    for ticket, pk in zip(life.tickets, reserve_ids(cursor, RepairTicket, len(life.tickets)), strict=True):
        ticket.id = pk
    for dev in devices:
        parts = (life.kind_label[dev.kind], dev.spec["make"], dev.spec["model_name"])
        dev.description = " ".join(p for p in parts if p)
    counts = {}
    counts["devices"] = copy_rows(
        cursor, Device,
        ["id", "digibank_id", "batch_id", "hub_id", "asset_tag", "kind", "make", "model_name", "serial_number",
         "processor", "memory_gb", "storage_gb", "storage_serial", "screen_inches", "battery_health", "condition",
         "notes", "state", "grade", "software_profile_id", "needs_erasure", "ready_checked", "state_changed_at",
         "received_at", "weight_kg", "collection_id", "owner_id"],
        ((d.id, bank["id"], d.batch["id"], d.hub_id, life.codes["T"].new(), d.kind, d.spec["make"],
          d.spec["model_name"], d.spec["serial_number"], d.spec["processor"], d.spec["memory_gb"],
          d.spec["storage_gb"], d.storage_serial, d.spec["screen_inches"], d.spec["battery_health"], d.condition,
          "", d.state, d.grade, d.profile_id, d.needs_erasure,
          d.ready_checked, d.changed_at, moment(d.received_x), d.weight_kg, d.collection_id, d.owner_id)
         for d in devices),
    )  # fmt: skip

    def ref(value) -> str:
        if isinstance(value, LoanRow):
            return f"loan:{value.id}"
        if isinstance(value, Ticket):
            return f"repair:{value.id}"
        if isinstance(value, dict):
            return f"batch:{value['id']}"
        return value

    counts["device events"] = copy_rows(
        cursor, DeviceEvent,
        ["device_id", "kind", "from_state", "to_state", "from_hub_id", "to_hub_id", "note", "ref", "actor_id",
         "occurred_at"],
        ((e[0].id, e[1], e[2], e[3], e[4], e[5], e[6], ref(e[7]), e[8], e[9]) for e in life.events),
    )  # fmt: skip
    counts["erasures"] = copy_rows(
        cursor, ErasureRecord,
        ["device_id", "number", "level", "method", "tool", "medium", "medium_serial", "operator_id", "performed_on",
         "result", "verification", "report", "report_sha256", "recorded_at"],
        ((e[0].id, *e[1:11], "", "", e[11]) for e in life.erasures),
    )  # fmt: skip
    checklist = json.dumps({k: True for k in READY_CHECKLIST})
    counts["ready checks"] = copy_rows(
        cursor,
        ReadyCheck,
        ["device_id", "software_profile_id", "items", "checked_by_id", "checked_at"],
        ((c[0].id, c[1], checklist, c[2], c[3]) for c in life.checks),
    )
    counts["repair tickets"] = copy_rows(
        cursor, RepairTicket,
        ["id", "device_id", "fault", "work_done", "parts_used", "minutes_spent", "technician_id", "trainee",
         "status", "opened_at", "closed_at"],
        ((t.id, t.device.id, t.fault, t.work_done, t.parts, t.minutes, t.technician, "",
          "done" if t.closed else "open", t.opened, t.closed) for t in life.tickets),
    )  # fmt: skip

    deposit = rules["deposit"]
    conditions = json.dumps({"loan_days": rules["loan_days"], "deposit": f"{deposit:.2f}"})
    client_events: list[tuple] = []
    loan_rows = []
    for loan in life.loans:
        client = clients[loan.client]
        out = moment(loan.out_x)
        starts_on = local_date(out)
        due_on = starts_on + dt.timedelta(days=rules["loan_days"])
        summary = ", ".join(d.description for d in loan.devices)[:200]
        client_events.append((client[0], "loan_out", out, loan.actor, summary, f"devices.loan:{loan.id}"))
        if loan.ext_x is not None:
            ext = moment(loan.ext_x)
            due_on = max(due_on, local_date(ext)) + dt.timedelta(days=rules["extension_days"])
            loan.extensions = 1
            client_events.append((client[0], "loan_extended", ext, loan.actor, due_on.isoformat(),
                                  f"devices.loan:{loan.id}"))  # fmt: skip
        closed = moment(loan.in_x) if loan.in_x is not None else None
        if closed is not None:
            client_events.append((client[0], "loan_returned", closed, loan.actor, "", f"devices.loan:{loan.id}"))
            status, deposit_status = "returned", ("returned" if deposit > 0 else "none")
        else:
            status, deposit_status = "on_loan", ("held" if deposit > 0 else "none")
        loan_rows.append(
            (loan.id, bank["id"], life.codes["L"].new(), client[0], None, loan.hub_id, status, starts_on, due_on,
             loan.extensions, deposit, deposit_status, "paid" if deposit > 0 else "", bank["agreement"],
             out + dt.timedelta(minutes=2) if loan.signed else None, client[2] if loan.signed else "",
             conditions, "", out, loan.actor, out, loan.actor, closed, loan.actor if closed else None)
        )  # fmt: skip
    counts["loans"] = copy_rows(
        cursor, Loan,
        ["id", "digibank_id", "number", "client_id", "partner_id", "hub_id", "status", "starts_on", "due_on",
         "extensions", "deposit", "deposit_status", "deposit_payment", "agreement_id", "signed_at",
         "signed_by_name", "conditions", "goals_plan", "created_at", "created_by_id", "checked_out_at",
         "checked_out_by_id", "closed_at",
         "closed_by_id"],
        loan_rows,
    )  # fmt: skip
    counts["loan items"] = copy_rows(
        cursor, LoanItem,
        ["loan_id", "device_id", "open", "returned_at", "returned_condition", "missing"],
        ((loan.id, dev.id, loan.in_x is None, moment(loan.in_x) if loan.in_x is not None else None,
          loan.returned_conditions[k] if loan.in_x is not None else "", False)
         for loan in life.loans for k, dev in enumerate(loan.devices)),
    )  # fmt: skip
    for dev, x in life.handovers:
        client_events.append((dev.owner_id, "device_handed_over", moment(x), life.desk, dev.description,
                              f"devices.device:{dev.id}"))  # fmt: skip
    client_events.sort(key=lambda e: e[2])
    counts["client events"] = copy_rows(
        cursor, ClientEvent, ["client_id", "kind", "occurred_at", "actor_id", "summary", "ref"], client_events
    )
    # record_event counts every event as activity (for retention).
    last: dict[int, dt.datetime] = {}
    for client_id, _, at, *_ in client_events:
        last[client_id] = at  # sorted by time: the last one stays
    cursor.execute(
        """UPDATE clients_client c SET last_activity_at = v.last
           FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, last)
           WHERE c.id = v.id AND c.last_activity_at < v.last""",
        [list(last), list(last.values())],
    )
    return counts


# --- the step ------------------------------------------------------------------------------------


def ensure_staff(password_hash: str) -> dict[int, dict[str, int]]:
    """A desk worker `bench-desk-N` and a technician `bench-tech-N` beside each coordinator
    `bench-coord-N`; their user ids per digibank id (with the coordinator's)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from digibank.core.roles import Role
    from digibank.network.models import Membership

    User = get_user_model()
    coordinators = {
        m.digibank_id: (int(m.user.username.rsplit("-", 1)[1]), m.user_id)
        for m in Membership.objects.filter(
            role=Role.COORDINATOR, user__username__startswith="bench-coord-"
        ).select_related("user")
    }
    wanted = {"desk": Role.DESK, "tech": Role.TECHNICIAN}
    existing = {u.username: u.pk for u in User.objects.filter(username__regex=r"^bench-(desk|tech)-\d+$")}
    with transaction.atomic():
        for digibank_id, (n, _) in sorted(coordinators.items(), key=lambda i: i[1][0]):
            for short, role in wanted.items():
                username = f"bench-{short}-{n}"
                if username in existing:
                    continue
                user = User.objects.create(
                    username=username,
                    password=password_hash,
                    first_name={"desk": "Baliemedewerker", "tech": "Technicus"}[short],
                    last_name=str(n),
                    email=f"{username}@example.be",
                )
                Membership.objects.create(user=user, digibank_id=digibank_id, role=role)
                existing[username] = user.pk
    return {
        digibank_id: {"coord": coord, "desk": existing[f"bench-desk-{n}"], "tech": existing[f"bench-tech-{n}"], "n": n}
        for digibank_id, (n, coord) in coordinators.items()
    }


def setup_bank(digibank, staff: dict, rng: random.Random) -> dict:
    """The small rows of one digibank, with bulk_create: rules, agreement, profiles, donors, collections."""
    import names

    from digibank.devices.intake.models import Donor
    from digibank.devices.lending.models import AgreementText, LendingRules
    from digibank.devices.lending.services import DEFAULT_AGREEMENT
    from digibank.devices.refurbishment.models import CollectionBatch, SoftwareProfile
    from digibank.network.models import Hub, Partner, enterprise_number_for

    rules = LendingRules(
        digibank=digibank,
        residents_only=rng.random() < 0.8,
        max_devices_per_client=rng.choice([1, 1, 1, 2]),
        loan_days=rng.choice([91, 91, 91, 61, 61, 30]),
        extensions_allowed=rng.choice([1, 1, 2]),
        deposit=Decimal(rng.choice(["0", "0", "0", "0", "20", "25", "50"])),
    )  # no training, income, goals-plan or yearly condition: the bench lends without an attestation
    rules.full_clean(exclude=["digibank"], validate_unique=False)
    rules.save()
    agreement = AgreementText.objects.create(
        digibank=digibank, version=1, text=DEFAULT_AGREEMENT, published_by_id=staff["coord"],
        published_at=moment(FIRST_LEND_X - 20),
    )  # fmt: skip
    profiles = SoftwareProfile.objects.bulk_create(
        [SoftwareProfile(digibank=digibank, name=n, operating_system=o, office_software=s, other_software=x)
         for n, o, s, x in PROFILES]
    )  # fmt: skip
    partners = list(Partner.objects.filter(digibank=digibank).order_by("pk"))
    place = digibank.name.removeprefix("Digibank Regio ")
    province = PROVINCES.get(next(iter(digibank.service_area.values_list("province", flat=True)), ""), "Antwerpen")
    donors, seen = [], set()
    for partner in rng.sample(partners, min(6, len(partners))):
        if partner.name not in seen:
            seen.add(partner.name)
            donors.append(Donor(digibank=digibank, name=partner.name, partner=partner,
                                enterprise_number=partner.enterprise_number, email=partner.email))  # fmt: skip
    for template in rng.sample(DONOR_NAMES, 8):
        name = template.format(m=place, p=province, s=rng.choice(names.SURNAMES[:80]))
        if name not in seen:
            seen.add(name)
            domain = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
            donors.append(Donor(digibank=digibank, name=name,
                                enterprise_number=enterprise_number_for(rng.randint(2_000_000, 9_999_999)),
                                email=f"ict@{domain}.example.be"))  # fmt: skip
    for donor in donors:
        donor.created_at = moment(FIRST_LEND_X - 60)
    donors = Donor.objects.bulk_create(donors)
    collections = []
    for year, month in [(y, m) for y in (2024, 2025, 2026) for m in (3, 6, 9, 12)]:
        day = dt.date(year, month, 28)
        if x_of(day) > NOW_X - 60:
            break
        collections.append(
            CollectionBatch(
                digibank=digibank,
                recycler=rng.choice(RECYCLERS),
                reference=f"REC-{year}{month:02d}-{rng.randint(1000, 9999)}",
                handed_over_on=day,
                created_by_id=staff["coord"],
                created_at=moment(x_of(day) + 0.4),
            )  # fmt: skip
        )
    collections = CollectionBatch.objects.bulk_create(collections)
    hubs = list(Hub.objects.filter(digibank=digibank, closed_on__isnull=True).order_by("pk"))
    lending = [h.pk for h in hubs if h.offers_lending] or [h.pk for h in hubs]
    return {
        "id": digibank.pk,
        **staff,
        "rules": {
            "loan_days": rules.loan_days,
            "extension_days": rules.extension_days,
            "extensions_allowed": rules.extensions_allowed,
            "deposit": rules.deposit,
        },  # fmt: skip
        "agreement": agreement.pk,
        "profiles": [(p.pk, p.name) for p in profiles],
        "donors": [d.pk for d in donors],
        "lending_hubs": lending * 3 + [h.pk for h in hubs],  # most devices at a hub that lends
        "collections": [{"id": c.pk, "x": x_of(c.handed_over_on), "reference": c.reference} for c in collections],
    }


def generate_stock(password_hash: str) -> dict[str, int]:
    """The stock of every digibank that has none yet, each in its own transaction, from its own
    seeded generator. Returns the counts written."""
    from django.db import connection, transaction
    from django.db.models import Count

    from digibank.clients.models import Client
    from digibank.devices.intake.models import IntakeBatch
    from digibank.devices.lending.models import Loan
    from digibank.devices.refurbishment.models import ErasureRecord
    from digibank.devices.register.models import Device
    from digibank.network.models import Digibank

    staff = ensure_staff(password_hash)
    digibanks = list(Digibank.objects.order_by("pk").annotate(n_devices=Count("devices")))
    missing = [d for d in digibanks if d.n_devices == 0]
    totals: dict[str, int] = {}
    if not missing:
        return totals
    taken = {
        "T": set(Device.objects.values_list("asset_tag", flat=True)),
        "L": set(Loan.objects.values_list("number", flat=True)),
        "W": set(ErasureRecord.objects.values_list("number", flat=True)),
    }
    serials = set(Device.objects.exclude(serial_number="").values_list("serial_number", flat=True))
    for count, digibank in enumerate(missing, start=1):
        n = staff[digibank.pk]["n"]
        rng = random.Random(f"{SEED}-stock-{n}")
        codes = {prefix: Codes(rng, prefix, taken[prefix]) for prefix in taken}
        clients = [
            (pk, x_at(registered), f"{first} {last}")
            for pk, registered, first, last in Client.objects.filter(digibank=digibank, status="active")
            .order_by("registered_at", "pk")
            .values_list("pk", "registered_at", "first_name", "last_name")
        ]
        with transaction.atomic():
            bank = setup_bank(digibank, staff[digibank.pk], rng)
            life = build(bank, rng, codes, serials)
            assign_clients(life, clients)
            batches = IntakeBatch.objects.bulk_create(
                [IntakeBatch(digibank=digibank, donor_id=b["donor_id"], hub_id=b["hub_id"],
                             received_on=b["received_on"], reference=b["reference"],
                             received_by_id=b["received_by_id"], created_at=moment(b["x"]))
                 for b in life.batches]  # type: ignore[attr-defined]
            )  # fmt: skip
            for row, batch in zip(life.batches, batches, strict=True):  # type: ignore[attr-defined]
                row["id"] = batch.pk
            with connection.cursor() as cursor:
                written = write(life, clients, cursor.cursor)
        written["intake batches"] = len(batches)
        for name, value in written.items():
            totals[name] = totals.get(name, 0) + value
        if count % 10 == 0:
            print(f"  stock of {count} digibanks")
    return totals


CHECKS = {
    "an open loan item whose device is not on loan": """
        SELECT count(*) FROM devices_loanitem i JOIN devices_device d ON d.id = i.device_id
        WHERE i.open AND d.state <> 'on_loan'""",
    "a device on loan without an open loan item": """
        SELECT count(*) FROM devices_device d WHERE d.state = 'on_loan'
        AND NOT EXISTS (SELECT 1 FROM devices_loanitem i WHERE i.device_id = d.id AND i.open)""",
    "an open item on a loan that is not on loan, or a loan on loan without one": """
        SELECT count(*) FROM devices_loan l WHERE (l.status = 'on_loan') <> EXISTS
            (SELECT 1 FROM devices_loanitem i WHERE i.loan_id = l.id AND i.open)""",
    "a client with two loans at once": """
        SELECT count(*) FROM devices_loan a JOIN devices_loan b ON a.client_id = b.client_id AND a.id < b.id
        WHERE a.checked_out_at < coalesce(b.closed_at, 'infinity')
          AND b.checked_out_at < coalesce(a.closed_at, 'infinity')""",
    "a device on two loans at once": """
        SELECT count(*) FROM devices_loanitem i JOIN devices_loanitem j ON i.device_id = j.device_id AND i.id < j.id
        JOIN devices_loan a ON a.id = i.loan_id JOIN devices_loan b ON b.id = j.loan_id
        WHERE a.checked_out_at < coalesce(b.closed_at, 'infinity')
          AND b.checked_out_at < coalesce(a.closed_at, 'infinity')""",
    "a loan before its client registered, or to a client of another digibank": """
        SELECT count(*) FROM devices_loan l JOIN clients_client c ON c.id = l.client_id
        WHERE l.checked_out_at < c.registered_at OR c.digibank_id <> l.digibank_id""",
    "a loan, erasure or event after NOW": f"""
        SELECT (SELECT count(*) FROM devices_loan WHERE checked_out_at > '{moment(NOW_X).isoformat()}'
                OR closed_at > '{moment(NOW_X).isoformat()}')
             + (SELECT count(*) FROM devices_deviceevent WHERE occurred_at > '{moment(NOW_X).isoformat()}')""",
    "a ready data-holding device not wiped, checked, graded and with a profile": """
        SELECT count(*) FROM devices_device d WHERE d.state = 'ready'
        AND d.kind IN ('laptop', 'desktop', 'tablet', 'smartphone')
        AND (d.needs_erasure OR NOT d.ready_checked OR d.grade NOT IN ('A', 'B', 'C') OR d.software_profile_id IS NULL
             OR NOT EXISTS (SELECT 1 FROM devices_erasurerecord e WHERE e.device_id = d.id AND e.result = 'passed'))""",
    "a device whose state is not where its last transition led": """
        SELECT count(*) FROM devices_device d WHERE d.state <> (SELECT e.to_state FROM devices_deviceevent e
            WHERE e.device_id = d.id AND e.to_state <> '' ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)""",
    "a transition that does not start where the previous one ended": """
        SELECT count(*) FROM (SELECT from_state, kind, lag(to_state) OVER (PARTITION BY device_id
            ORDER BY occurred_at, id) AS before FROM devices_deviceevent WHERE to_state <> '') t
        WHERE kind = 'transition' AND from_state IS DISTINCT FROM before""",
}


def check_stock() -> list[str]:
    """What the services guarantee, checked on the generated rows: each problem with its count."""
    from django.db import connection

    from digibank.devices.register.lifecycle import allowed

    problems = []
    with connection.cursor() as cursor:
        for what, sql in CHECKS.items():
            cursor.execute(sql)
            found = cursor.fetchone()[0]
            if found:
                problems.append(f"{found} × {what}")
        cursor.execute(
            "SELECT from_state, to_state, count(*) FROM devices_deviceevent WHERE kind = 'transition' GROUP BY 1, 2"
        )
        for source, target, found in cursor.fetchall():
            if not allowed(source, target):
                problems.append(f"{found} × a transition from {source} to {target}, which the lifecycle refuses")
    return problems
