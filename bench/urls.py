"""The product's URLs plus the two baselines every figure is compared with."""

from django.urls import path

from relief.urls import urlpatterns as product_urlpatterns

from . import views

urlpatterns = [
    path("bench/baseline/", views.baseline_page, name="bench_baseline"),
    path("bench/signed-in/", views.signed_in_page, name="bench_signed_in"),
    path("bench/insert/", views.baseline_insert, name="bench_insert"),
    *product_urlpatterns,
]
