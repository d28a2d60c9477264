from django.urls import path
from rest_framework.routers import SimpleRouter

from digibank.guidance.appointments import api as appointments_api
from digibank.guidance.contacts import api as contacts_api
from digibank.guidance.e_services import api as e_services_api
from digibank.guidance.feedback import api as feedback_api
from digibank.guidance.helpers import api as helpers_api
from digibank.guidance.queue import api as queue_api
from digibank.guidance.referrals import api as referrals_api

router = SimpleRouter()
router.register("e-services", e_services_api.EServiceViewSet)
router.register("help-contacts", contacts_api.HelpContactViewSet)
router.register("follow-ups", contacts_api.FollowUpViewSet)
router.register("slots", appointments_api.SlotViewSet)
router.register("appointments", appointments_api.AppointmentViewSet)
router.register("queue-tickets", queue_api.QueueTicketViewSet)
router.register("digihelpers", helpers_api.DigihelperViewSet)
router.register("helper-hours", helpers_api.HelperHoursViewSet)
router.register("helper-availability", helpers_api.HelperAvailabilityViewSet, basename="helper-availability")
router.register("referrals", referrals_api.ReferralViewSet, basename="referral")

urlpatterns = [
    *router.urls,
    path("public/appointments/", appointments_api.PublicBookingView.as_view(), name="api-public-appointments"),
    path("e-service-feedback/", feedback_api.FeedbackView.as_view(), name="e-service-feedback"),
]
