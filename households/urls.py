"""The ward officer's pages, mounted at /phuong/."""

from django.urls import path

from . import views

app_name = "ward"

urlpatterns = [
    path("", views.home, name="home"),
    path("ho/", views.household_list, name="households"),
    path("ho/them/", views.household_create, name="household_create"),
    path("ho/<int:pk>/", views.household_detail, name="household"),
    path("ho/<int:pk>/hien-so/", views.household_reveal, name="household_reveal"),
    path("ho/<int:pk>/sua/", views.household_edit, name="household_edit"),
    path("ho/<int:pk>/trao-tui/", views.hand_out, name="hand_out"),
    path("phat-nhanh/", views.queue, name="queue"),
    path("phat-nhanh/quet/", views.scan, name="scan"),
    path("luot-trao/<int:pk>/huy/", views.cancel_hand_out, name="cancel_hand_out"),
    path("tui/<int:pk>/", views.bag_detail, name="bag"),
    path("de-nghi/", views.ward_requests, name="requests"),
    path("de-nghi/<int:pk>/", views.ward_request_detail, name="request"),
    path("huy-tui/", views.write_offs, name="write_offs"),
    path("bao-bo-sot/", views.missed_reports, name="missed_reports"),
    path("bao-bo-sot/<int:pk>/", views.missed_report, name="missed_report"),
    path("bao-bo-sot/<int:pk>/hien-so/", views.missed_report_reveal, name="missed_report_reveal"),
    path("danh-sach-ky-nhan/", views.signature_list, name="signature_list"),
]
