from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("vind/", views.finder, name="finder"),
    path("knooppunt/<int:pk>/", views.hub_detail, name="hub"),
]
