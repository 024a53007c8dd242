from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from . import permissions, selectors_intel
from .models import Service


@login_required
def ward_list(request):
    """Every ward, the arrangement in force first and older ones marked, with links to ward data."""
    permissions.require(permissions.can_view_ward_data(request.user))
    today = timezone.localdate()
    user = request.user
    return render(request, "wards/ward_list.html", {
        "arrangements": selectors_intel.ward_arrangements(today),
        "services": Service.objects.filter(is_active=True),
        "today": today,
        "admin": permissions.can_manage_reference_data(user),
        "can_brief": permissions.can_write_briefings(user),
        "own_ward_id": permissions.councillor_ward_id(user),
    })
