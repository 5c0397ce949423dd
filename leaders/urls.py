from django.urls import path

from . import views as leader_views

app_name = "leaders"

urlpatterns = [
    path("", leader_views.dashboard, name="dashboard"),
    path("phuong/<int:pk>/", leader_views.ward, name="ward"),
    path("xuat-excel/", leader_views.export, name="export"),
    path("bao-cao/", leader_views.report, name="report"),
]
