from django.urls import path

from . import views

app_name = "impact"
urlpatterns = [path("bereik/", views.Reach.as_view(), name="reach")]
