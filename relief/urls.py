from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("phuong/nhap/", include("district.ward_urls")),
    path("phuong/", include("households.urls")),
    path("quan/tien/", include("donations.urls")),
    path("quan/", include("district.urls")),
    path("lanh-dao/", include("leaders.urls")),
    path("cong-khai/", include("public.urls")),
    path("", include("relief.web_urls")),
]
