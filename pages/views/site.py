from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from kirklees.health import health_report


@login_required
def home(request):
    """Each role starts where its work is."""
    user = request.user
    if user.is_councillor:
        return redirect("account:councillor-account")
    if user.is_liaison:
        return redirect("casework:queue")
    if user.is_ward_data_admin:
        return redirect("wards:list")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "home_no_role.html")


def favicon(request):
    """Browsers and bookmarking tools ask for /favicon.ico whatever the page links: send them to GOV.UK
    Frontend's, which the static files serve."""
    return redirect(static("govuk/assets/images/favicon.ico"), permanent=True)


def healthz(request):
    """For the operators' monitoring, as JSON: 503 when people cannot use the service."""
    ok, report = health_report()
    response = JsonResponse(report, status=200 if ok else 503)
    patch_cache_control(response, no_store=True)
    return response


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
