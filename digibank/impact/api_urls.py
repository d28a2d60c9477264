from django.urls import path

from .api import ReachView

urlpatterns = [path("impact/reach/", ReachView.as_view(), name="impact-reach")]
