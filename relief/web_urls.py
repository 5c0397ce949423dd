from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts, two_factor_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", two_factor_views.LoginView.as_view(), name="login"),
    path("dang-nhap/ma-xac-thuc/", two_factor_views.verify, name="two_factor_verify"),
    path("tai-khoan/xac-thuc-hai-buoc/", two_factor_views.enrol, name="two_factor_enrol"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", accounts.account, name="account"),
    path("tai-khoan/dang-xuat-moi-noi/", accounts.log_out_everywhere, name="log_out_everywhere"),
    path("tai-khoan/doi-mat-khau/", accounts.PasswordChangeView.as_view(), name="password_change"),
]
