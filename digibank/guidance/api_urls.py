from django.urls import path
from rest_framework.routers import SimpleRouter

from digibank.guidance.appointments import api as appointments_api
from digibank.guidance.e_services import api as e_services_api

router = SimpleRouter()
router.register("e-services", e_services_api.EServiceViewSet)
router.register("slots", appointments_api.SlotViewSet)
router.register("appointments", appointments_api.AppointmentViewSet)

urlpatterns = [
    *router.urls,
    path("public/appointments/", appointments_api.PublicBookingView.as_view(), name="api-public-appointments"),
]
