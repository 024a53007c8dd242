from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from kirklees.notifications.models import OutboundEmail
from kirklees.notifications.services import outbound_emails_failing

from .models import JobRun
from .services import jobs_latest_runs


@login_required
def job_list(request):
    if not request.user.is_liaison_manager:
        raise PermissionDenied("The scheduled jobs page is for liaison managers.")
    return render(request, "jobs/job_list.html", {
        "jobs": jobs_latest_runs(),
        "recent": JobRun.objects.all()[:30],
        "failing_emails": outbound_emails_failing()[:50],
        "max_attempts": OutboundEmail.MAX_ATTEMPTS,
    })
