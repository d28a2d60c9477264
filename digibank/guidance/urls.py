"""Guidance's screens, under /staff/begeleiding/ (app_name "guidance")."""

from django.urls import path

from digibank.guidance.e_services import views as e_services_views
from digibank.guidance.queue import views as queue_views

app_name = "guidance"
urlpatterns = [
    path("e-diensten/", e_services_views.EServiceList.as_view(), name="e_services"),
    path("e-diensten/nieuw/", e_services_views.EServiceCreate.as_view(), name="e_service_new"),
    path("e-diensten/<int:pk>/", e_services_views.EServiceEdit.as_view(), name="e_service"),
    path("wachtrij/", queue_views.QueueHubs.as_view(), name="queue"),
    path("wachtrij/<int:pk>/", queue_views.QueueTake.as_view(), name="queue_take"),
    path("wachtrij/<int:pk>/balie/", queue_views.QueueDesk.as_view(), name="queue_desk"),
    path("wachtrij/<int:pk>/scherm/", queue_views.ScreenRenew.as_view(), name="queue_screen_renew"),
    path("wachtrij/nummer/<int:pk>/", queue_views.QueueTicketPage.as_view(), name="queue_ticket"),
    path("wachtrij/nummer/<int:pk>/geholpen/", queue_views.TicketServed.as_view(), name="queue_ticket_served"),
    path("wachtrij/nummer/<int:pk>/weg/", queue_views.TicketLeft.as_view(), name="queue_ticket_left"),
]
