from django.urls import path

from . import booking, views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("vind/", views.finder, name="finder"),
    path("knooppunt/<int:pk>/", views.hub_detail, name="hub"),
    path("afspraak/", booking.start, name="book"),
    path("afspraak/knooppunt/<int:pk>/", booking.hub_slots, name="book_hub"),
    path("afspraak/tijdstip/<int:pk>/", booking.book, name="book_slot"),
    path("afspraak/mijn/<str:token>/", booking.booking, name="booking"),
    path("afspraak/mijn/<str:token>/annuleren/", booking.cancel, name="booking_cancel"),
    path("agenda/<str:token>.ics", booking.agenda_feed, name="agenda_feed"),
]
