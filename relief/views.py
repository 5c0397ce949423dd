from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Campaign


@login_required
def home(request):
    """Where a person lands after logging in; each role's own pages hang off this one."""
    campaigns = Campaign.objects.visible_to(request.user).select_related("district")
    return render(request, "relief/home.html", {"campaigns": campaigns})
