"""The Department's figures, under /staff/: the reach under departement/, the circularity figures
and the CO2e factors where the device bank's screens have always had them."""

from django.urls import path

from . import views

app_name = "impact"
urlpatterns = [
    path("departement/bereik/", views.Reach.as_view(), name="reach"),
    path("toestellen/circulariteit/", views.Circularity.as_view(), name="circularity"),
    path("toestellen/circulariteit/vlaanderen/", views.CircularityDepartment.as_view(), name="circularity_department"),
    path("departement/e-diensten/", views.FeedbackDepartment.as_view(), name="feedback_department"),
    path("toestellen/co2-factoren/", views.EmissionFactors.as_view(), name="factors"),
]
