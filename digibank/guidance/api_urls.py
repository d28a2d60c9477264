from django.urls import path
from rest_framework.routers import SimpleRouter

from digibank.guidance.contacts import api as contacts_api
from digibank.guidance.e_services import api as e_services_api
from digibank.guidance.feedback import api as feedback_api

router = SimpleRouter()
router.register("e-services", e_services_api.EServiceViewSet)
router.register("help-contacts", contacts_api.HelpContactViewSet)
router.register("follow-ups", contacts_api.FollowUpViewSet)

urlpatterns = [
    *router.urls,
    path("e-service-feedback/", feedback_api.FeedbackView.as_view(), name="e-service-feedback"),
]
