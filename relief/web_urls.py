from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", accounts.account, name="account"),
    path("tai-khoan/dang-xuat-moi-noi/", accounts.log_out_everywhere, name="log_out_everywhere"),
    path("tai-khoan/doi-mat-khau/", accounts.PasswordChangeView.as_view(), name="password_change"),
]
