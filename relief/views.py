from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .models import Campaign

# Where each role starts its day.
LANDING = {
    "ward_officer": "ward:home",
    "district_staff": "district:home",
    "admin": "district:home",
    "leader": "leaders:dashboard",
}


@require_GET
@login_required
def home(request):
    """Send each person to their role's own pages; someone with no role yet sees what they can and whom to ask."""
    user = request.user
    landing = LANDING.get(user.role) or ("district:home" if user.is_superuser else None)
    if landing:
        return redirect(landing)
    campaigns = Campaign.objects.visible_to(user).select_related("district")
    return render(request, "relief/home.html", {"campaigns": campaigns})
