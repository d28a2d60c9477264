from django.urls import path

from .views import figures

urlpatterns = [
    path("circulariteit/", figures.Circularity.as_view(), name="circularity"),
    path("circulariteit/vlaanderen/", figures.CircularityDepartment.as_view(), name="circularity_department"),
    path("co2-factoren/", figures.EmissionFactors.as_view(), name="factors"),
]
