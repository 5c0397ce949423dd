from django.urls import path

from . import import_views as lists
from . import views

app_name = "district"

urlpatterns = [
    path("", views.home, name="home"),
    path("phan-bo/", views.allocate, name="allocate"),
    path("de-nghi/", views.requests, name="requests"),
    path("de-nghi/<int:pk>/", views.request_decide, name="request_decide"),
    path("thu-hoi/", views.recalls, name="recalls"),
    path("nhan-tui/", views.labels, name="labels"),
    path("huy-tui/", views.write_offs, name="write_offs"),
    path("huy-tui/<int:pk>/", views.write_off_decision, name="write_off_decision"),
    path("bao-bo-sot/", views.missed_reports, name="missed_reports"),
    path("bao-bo-sot/<int:pk>/chuyen/", views.missed_report_route, name="missed_report_route"),
    path("ho/", views.households, name="households"),
    path("ho/<int:pk>/", views.household, name="household"),
    path("ho/duyet/", views.households_verify, name="households_verify"),
    path("ho/trung/", views.duplicates, name="duplicates"),
    path("ho/trung/giu/", views.duplicates_resolve, name="duplicates_resolve"),
    path("nhap/ho/", lists.import_households, name="import_households"),
    path("nhap/ho/phuong/", lists.import_households_ward, name="import_households_ward"),
    path("nhap/ho/dong-loi.xlsx", lists.import_households_rejected, name="import_households_rejected"),
    path("nhap/ho/cot/", lists.import_households_mapping, name="import_households_mapping"),
    path("nhap/ho/dien/", lists.import_households_categories, name="import_households_categories"),
    path("nhap/ho/tien-do/<uuid:key>/", lists.import_households_progress, name="import_households_progress"),
    path("nhap/ho/xac-nhan/", lists.import_households_confirm, name="import_households_confirm"),
    path("nhap/viec/<int:pk>/", lists.import_job, name="import_job"),
    path("nhap/viec/<int:pk>/nhap-lai/", lists.import_job_again, name="import_job_again"),
    path("nhap/ho/mau.xlsx", lists.import_households_template, name="import_households_template"),
    path("nhap/ung-ho/", lists.import_donations, name="import_donations"),
    path("nhap/ung-ho/xac-nhan/", lists.import_donations_confirm, name="import_donations_confirm"),
    path("nhap/ung-ho/mau.xlsx", lists.import_donations_template, name="import_donations_template"),
    path("xuat/<slug:kind>.xlsx", lists.export, name="export"),
]
