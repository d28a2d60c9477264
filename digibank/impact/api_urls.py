from django.urls import path

from . import api

urlpatterns = [
    path("impact/reach/", api.ReachView.as_view(), name="impact-reach"),
    path("circularity/", api.CircularityView.as_view(), name="impact-circularity"),
    path("circularity/department/", api.DepartmentCircularityView.as_view(), name="impact-circularity-department"),
    path("impact/e-service-feedback/", api.DepartmentFeedbackView.as_view(), name="impact-e-service-feedback"),
    path("emission-factors/", api.EmissionFactorsView.as_view(), name="impact-emission-factors"),
]
