"""Handover at the end of a term and at a boundary change (issue 13): the liaison managers' pages.

They live here, at the top, beside the boundary change whose moves they finish: the cases come from
casework, the successors from councillors, the letters go out through kirklees.notifications.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from casework import handover, permissions
from casework.models import CaseEvent
from councillors.models import Councillor
from kirklees.audit.reads import Kind as ReadKind
from kirklees.audit.reads import record_read
from kirklees.govuk.forms import posted
from kirklees.permissions import require
from kirklees.refusals import Refused, add_refusal
from pages.forms.handover import HandoverForm


@login_required
def handover_list(request):
    require(permissions.can_hand_over(request.user))
    return render(request, "pages/handover/list.html", {"councillors": handover.handover_councillors()})


@login_required
def handover_councillor(request, pk):
    require(permissions.can_hand_over(request.user))
    councillor = get_object_or_404(Councillor.objects.select_related("user", "ward"), pk=pk)
    cases = list(handover.handover_cases_for(councillor))
    successors = handover.successors_by_ward({case.ward_id for case in cases}, leaving=councillor)
    form = HandoverForm(posted(request), cases=cases, successors=successors)
    status = 200
    if request.method == "POST" and form.vanished:
        messages.error(request, "Some of these cases were handed over by someone else while you were choosing. "
                                "Nothing has been handed over: check the cases, then choose again.")
        return redirect("handover:councillor", pk=councillor.pk)
    if request.method == "POST" and form.is_valid():
        try:
            result = handover.cases_hand_over(by=request.user, councillor=councillor, decisions=form.decisions(),
                                              outcome=form.cleaned_data["outcome"])
        except handover.HandoverStale as error:
            messages.error(request, error.message)
            return redirect("handover:councillor", pk=councillor.pk)
        except Refused as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, _done(result))
            return redirect("handover:councillor", pk=councillor.pk)
    return render(request, "pages/handover/councillor.html", {
        "councillor": councillor, "form": form, "reason": handover.handover_reason_text(councillor),
        "letters": handover.handover_letters_for(councillor),
    }, status=status)


def _done(result: handover.HandoverResult) -> str:
    parts = [f"{n} to {name}" for name, n in result.successor.items()]
    if result.team:
        parts.append(f"{result.team} to {handover.TEAM_NAME}")
    if result.emailed:
        parts.append(f"{result.emailed} closed with a letter by email")
    if result.to_post:
        parts.append(f"{len(result.to_post)} closed with a letter to print and post "
                     f"({', '.join(result.to_post)}: open each under ‘Letters to residents’)")
    return f"{result.total} case{'s' if result.total != 1 else ''} handed over: " + "; ".join(parts) + "."


@login_required
def handover_letter(request, reference):
    case, event = permissions.get_handover_letter_for_user(request.user, reference)
    record_read(request.user, ReadKind.CASE_VIEWED, obj=case, label=f"{case.reference} letter", request=request)
    return render(request, "pages/handover/letter.html", {
        **handover.handover_letter(case, event), "emailed": event.text.startswith(handover.EMAILED),
        "event": event, "kinds": CaseEvent.Kind,
    })
