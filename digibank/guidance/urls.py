"""Guidance's screens, under /staff/begeleiding/ (app_name "guidance")."""

from django.urls import path

from digibank.guidance.contacts import views as contacts_views
from digibank.guidance.e_services import views as e_services_views
from digibank.guidance.feedback import views as feedback_views

app_name = "guidance"
urlpatterns = [
    path("e-diensten/", e_services_views.EServiceList.as_view(), name="e_services"),
    path("e-diensten/nieuw/", e_services_views.EServiceCreate.as_view(), name="e_service_new"),
    path("e-diensten/<int:pk>/", e_services_views.EServiceEdit.as_view(), name="e_service"),
    path("contacten/", contacts_views.ContactList.as_view(), name="contacts"),
    path("contacten/nieuw/", contacts_views.ContactNew.as_view(), name="contact_new"),
    path("contacten/<int:pk>/", contacts_views.ContactDetail.as_view(), name="contact"),
    path("contacten/<int:pk>/annuleren/", contacts_views.ContactCancel.as_view(), name="contact_cancel"),
    path("opvolgingen/", contacts_views.FollowUpList.as_view(), name="follow_ups"),
    path("opvolgingen/<int:pk>/klaar/", contacts_views.FollowUpDone.as_view(), name="follow_up_done"),
    path("e-diensten/feedback/", feedback_views.Feedback.as_view(), name="feedback"),
]
