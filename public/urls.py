from django.urls import path

from . import views as public_views

app_name = "public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("bien-nhan/", public_views.receipt_check, name="receipt_check"),
    path("chuong-trinh/<slug:code>/", public_views.campaign, name="campaign"),
    path("chuong-trinh/<slug:code>/bao-bo-sot/", public_views.report_missed_view, name="report_missed"),
    path("theo-doi/", public_views.report_status, name="report_status"),
]
