from django.urls import path

from . import views

app_name = "money"

urlpatterns = [
    path("", views.index, name="index"),
    path("ung-ho/", views.donation_list, name="donation_list"),
    path("ung-ho/moi/", views.donation_new, name="donation_new"),
    path("ung-ho/doc-so-tien/", views.amount_preview, name="amount_preview"),
    path("ung-ho/<int:pk>/bien-nhan/", views.receipt, name="receipt"),
    path("ung-ho/<int:pk>/dieu-chinh/", views.donation_reverse_view, name="donation_reverse"),
    path("nha-hao-tam/", views.donor_list, name="donor_list"),
    path("nha-hao-tam/goi-y/", views.donor_search, name="donor_search"),
    path("nha-hao-tam/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("chuong-trinh/<int:pk>/", views.campaign_overview, name="campaign_overview"),
]
