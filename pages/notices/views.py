"""The privacy notice and the accessibility statement: public pages (no sign-in), and the page a
liaison manager changes their text on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kirklees.govuk.forms import posted
from kirklees.refusals import Refused, add_refusal

from . import permissions, selectors, services
from .forms import NoticeForm
from .models import Notice


def _show(request, notice: Notice):
    return render(
        request,
        "notices/notice.html",
        {
            "text": selectors.notice_current(notice),
            "notice": notice,
            "can_edit": permissions.can_edit_notices(request.user),
        },
    )


def privacy(request):
    return _show(request, Notice.PRIVACY)


def accessibility(request):
    return _show(request, Notice.ACCESSIBILITY)


@login_required
def edit(request, slug):
    notice = permissions.get_notice_for_editor(request.user, slug)
    current = selectors.notice_current(notice)
    form = NoticeForm(posted(request), initial={"body": current.body})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(by=request.user, notice=notice, body=form.cleaned_data["body"])
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, f"{notice.label} saved. The public page shows it now.")
            return redirect(f"notices:{notice.value}")
    return render(
        request,
        "notices/notice_edit.html",
        {
            "form": form,
            "notice": notice,
            "current": current,
            "history": selectors.notice_history(notice),
        },
        status=status,
    )
