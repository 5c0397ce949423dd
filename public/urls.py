from django.urls import path

from . import views as public_views

app_name = "public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("bien-nhan/", public_views.receipt_check, name="receipt_check"),
    path("chuong-trinh/<slug:code>/", public_views.campaign, name="campaign"),
]
