from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Service, Ward


@login_required
def ward_list(request):
    return render(request, "wards/ward_list.html", {
        "wards": Ward.objects.order_by("-valid_from", "name"),
        "services": Service.objects.filter(is_active=True),
    })
