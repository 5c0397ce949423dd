"""A ward officer's own household list (/phuong/nhap/): the district's import pages, for the officer's ward."""

from django.urls import path

from . import import_views

app_name = "ward_import"

urlpatterns = [
    path("", import_views.ward_import_households, name="households"),
    path("xac-nhan/", import_views.ward_import_households_confirm, name="confirm"),
    path("dong-loi/", import_views.ward_import_households_rejected, name="rejected"),
    path("mau/", import_views.ward_import_households_template, name="template"),
    path("tien-do/<uuid:key>/", import_views.ward_import_progress, name="progress"),
    path("viec/<int:pk>/", import_views.ward_import_job, name="job"),
    path("viec/<int:pk>/nhap-lai/", import_views.ward_import_job_again, name="job_again"),
]
