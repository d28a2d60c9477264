from rest_framework.routers import SimpleRouter

from digibank.guidance.e_services import api as e_services_api
from digibank.guidance.referrals import api as referrals_api

router = SimpleRouter()
router.register("e-services", e_services_api.EServiceViewSet)
router.register("referrals", referrals_api.ReferralViewSet, basename="referral")

urlpatterns = [*router.urls]
