"""Django finds an app's models in its `models` module: the device bank's live in its features,
and this module only gathers them. Import a model from its feature, not from here."""

from digibank.devices.intake.models import Donor, IntakeBatch
from digibank.devices.lending.models import AgreementText, Incident, LendingRules, Loan, LoanItem, Reminder
from digibank.devices.refurbishment.models import (
    CollectionBatch,
    ErasureRecord,
    ReadyCheck,
    RepairTicket,
    SoftwareProfile,
)
from digibank.devices.register.models import Condition, Device, DeviceEvent, Grade
from digibank.devices.stock.models import StockTake, StockTakeScan
from digibank.devices.waiting_list.models import DeviceRequest, Offer, QueueMove

__all__ = [
    "Donor",
    "IntakeBatch",
    "AgreementText",
    "LendingRules",
    "Loan",
    "LoanItem",
    "Incident",
    "Reminder",
    "SoftwareProfile",
    "ErasureRecord",
    "RepairTicket",
    "ReadyCheck",
    "CollectionBatch",
    "Grade",
    "Condition",
    "Device",
    "DeviceEvent",
    "StockTake",
    "StockTakeScan",
    "DeviceRequest",
    "QueueMove",
    "Offer",
]
