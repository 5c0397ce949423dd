"""A person's own account: change the password, and log out of every other device at once."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from .models import User


def sessions_end_elsewhere(*, request):
    """Invalidate every session of the request's user except this one (see ``User._get_session_auth_hash``)."""
    User.objects.filter(pk=request.user.pk).update(session_generation=F("session_generation") + 1)
    request.user.refresh_from_db(fields=["session_generation"])
    update_session_auth_hash(request, request.user)


@require_GET
@login_required
def account(request):
    return render(request, "registration/account.html")


@require_POST
@login_required
def log_out_everywhere(request):
    sessions_end_elsewhere(request=request)
    messages.success(request, "Đã đăng xuất khỏi mọi thiết bị khác. Phiên làm việc này vẫn giữ nguyên.")
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view: the old password, then a new one the strong validators accept; other sessions end."""

    success_url = reverse_lazy("account")

    def form_valid(self, form):
        messages.success(self.request, "Đã đổi mật khẩu. Các thiết bị khác phải đăng nhập lại.")
        return super().form_valid(form)
