"""Guidance's screens, under /staff/begeleiding/ (app_name "guidance")."""

from django.urls import path

from digibank.guidance.e_services import views as e_services_views

app_name = "guidance"
urlpatterns = [
    path("e-diensten/", e_services_views.EServiceList.as_view(), name="e_services"),
    path("e-diensten/nieuw/", e_services_views.EServiceCreate.as_view(), name="e_service_new"),
    path("e-diensten/<int:pk>/", e_services_views.EServiceEdit.as_view(), name="e_service"),
]
