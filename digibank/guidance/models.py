"""Django finds an app's models in its `models` module: guidance's live in its features, and this
module only gathers them. Import a model from its feature, not from here."""

from digibank.guidance.appointments.models import AgendaFeed, Appointment, Slot
from digibank.guidance.contacts.models import FollowUp, HelpContact
from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers.models import Availability, Digihelper, HelperHours
from digibank.guidance.queue.models import QueueScreen, QueueTicket
from digibank.guidance.referrals.models import Referral, ReferralSettings

__all__ = [
    "AgendaFeed",
    "Appointment",
    "Availability",
    "Digihelper",
    "EService",
    "FollowUp",
    "HelpContact",
    "HelperHours",
    "QueueScreen",
    "QueueTicket",
    "Referral",
    "ReferralSettings",
    "Slot",
]
