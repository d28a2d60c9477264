"""The waiting-room screen, at /wachtkamer/<secret>/: no log-in, the hub's secret is the key."""

from django.urls import path

from digibank.guidance.queue import views

app_name = "waiting_room"
urlpatterns = [path("<str:token>/", views.waiting_room, name="screen")]
