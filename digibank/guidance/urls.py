"""Guidance's screens, under /staff/begeleiding/ (app_name "guidance")."""

from django.urls import path

from digibank.guidance.e_services import views as e_services_views
from digibank.guidance.helpers import views as helpers_views

app_name = "guidance"
urlpatterns = [
    path("e-diensten/", e_services_views.EServiceList.as_view(), name="e_services"),
    path("e-diensten/nieuw/", e_services_views.EServiceCreate.as_view(), name="e_service_new"),
    path("e-diensten/<int:pk>/", e_services_views.EServiceEdit.as_view(), name="e_service"),
    path("digihelpers/", helpers_views.HelperList.as_view(), name="helpers"),
    path("digihelpers/nieuw/", helpers_views.HelperCreate.as_view(), name="helper_new"),
    path("digihelpers/<int:pk>/", helpers_views.HelperPage.as_view(), name="helper"),
    path("digihelpers/<int:pk>/tijden/", helpers_views.AvailabilityAdd.as_view(), name="helper_time_add"),
    path("digihelpers/tijden/<int:pk>/weg/", helpers_views.AvailabilityRemove.as_view(), name="helper_time_remove"),
    path("digihelpers/<int:pk>/uren/", helpers_views.HoursRecord.as_view(), name="helper_hours"),
    path("digihelpers/uren/", helpers_views.HoursOverview.as_view(), name="helpers_overview"),
    path("digihelpers/wie-helpt/", helpers_views.HelperFinder.as_view(), name="helper_finder"),
]
