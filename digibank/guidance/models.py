"""Django finds an app's models in its `models` module: guidance's live in its features, and this
module only gathers them. Import a model from its feature, not from here."""

from digibank.guidance.e_services.models import EService
from digibank.guidance.referrals.models import Referral, ReferralSettings

__all__ = ["EService", "Referral", "ReferralSettings"]
