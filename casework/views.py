from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from kirklees.audit.reads import Kind as ReadKind
from kirklees.audit.reads import record_read
from kirklees.govuk.forms import posted, query_without_page
from kirklees.govuk.submissions import AlreadySubmitted, submission_check
from kirklees.govuk.uploads import download_name
from kirklees.permissions import require
from kirklees.redirects import redirect_to_next
from kirklees.refusals import Refused, Stale, add_refusal
from wards.models import MeetingAction

from . import calendar_admin, forms, permissions, referral_replies, retention, selectors, services
from .filters import CaseListFilter, QueueFilter
from .models import Case, Category, EscalationStep, OutcomeCategory
from .permissions import ACTION_LABELS
from .referral_emails import referral_emails_for
from .resident_updates import updates_for_cases
from .sla import WorkingCalendar


def _page(request, queryset):
    paginator = Paginator(queryset, settings.CASES_PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


@login_required
def my_cases(request):
    if not request.user.is_councillor:
        raise PermissionDenied("My cases is for councillors.")
    filterset = CaseListFilter(request.GET or None, queryset=selectors.cases_owned_by(request.user))
    page = _page(request, filterset.qs.order_by("-created_at", "-id"))
    return render(request, "casework/my_cases.html", {
        "filter": filterset, "page": page, "query": query_without_page(request),
        "today": timezone.localdate(), "counts": selectors.case_status_counts(selectors.cases_owned_by(request.user)),
        "access": permissions.case_access_for(request.user),
        "read_only_until": permissions.read_only_until(request.user),
    })


@login_required
def queue(request):
    if not permissions.can_use_queue(request.user):
        raise PermissionDenied("The advocacy queue is for the Support & Liaison Team.")
    filterset = QueueFilter(request.GET or None, queryset=selectors.queue_cases(request.user))
    page = _page(request, filterset.qs)
    return render(request, "casework/queue.html", {
        "filter": filterset, "page": page, "query": query_without_page(request),
        "assign_form": forms.BulkAssignForm(), "next": request.get_full_path(), "today": timezone.localdate(),
        "unmatched_emails": referral_replies.unmatched_email_count(request.user),
    })


@login_required
@require_POST
def queue_assign(request):
    if not permissions.can_use_queue(request.user):
        raise PermissionDenied("The advocacy queue is for the Support & Liaison Team.")
    form = forms.BulkAssignForm(request.POST)
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        count = services.cases_bulk_assign(by=request.user, case_ids=form.cleaned_data["cases"],
                                           assignee=assignee)
        messages.success(request, f"{count} case{'s' if count != 1 else ''} assigned to {assignee}.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect_to_next(request, "casework:queue")


def _meeting_action_for_new_case(request) -> MeetingAction | None:
    """The ward meeting action a new case comes from (?action=), if the councillor may use it."""
    pk = request.GET.get("action")
    if not pk:
        return None
    return permissions.get_meeting_action_for_new_case(request.user, pk)


def _case_create_from(request, form, meeting_action) -> Case:
    data = form.cleaned_data
    resident = data["existing_resident"]
    return services.case_create(
        by=request.user, resident=resident, resident_details=None if resident else form.resident_details(),
        **{k: data[k] for k in ["ward", "category", "summary", "details", "enquiry_type", "priority", "sensitive",
                                "capacity", "lawful_basis", "special_category_condition"]},
        refer_to_advocacy=data.get("refer_to_advocacy", False), meeting_action=meeting_action,
        updates_by=data["updates_by"],
        submission_key=data["submission_key"],
    )


def _already_submitted(request, earlier: AlreadySubmitted, message: str, fallback="casework:my-cases"):
    """A form sent a second time: say so, and go where the first send's result is."""
    messages.info(request, message)
    return redirect(earlier.result_url or fallback)


def _out_of_office(request):
    """The New case page for a councillor not in office: why not, and whom to ask (403)."""
    councillor = request.user.councillor
    return render(request, "casework/out_of_office.html", {
        "councillor": councillor, "read_only_until": permissions.read_only_until(request.user),
        "not_begun": permissions.term_not_begun(councillor),
    }, status=403)


@login_required
def case_create(request):
    if not permissions.can_create_case(request.user):
        raise PermissionDenied("Only councillors record cases.")
    if not permissions.may_create_case_now(request.user):
        return _out_of_office(request)
    meeting_action = _meeting_action_for_new_case(request)
    if meeting_action is not None and meeting_action.status != MeetingAction.Status.OPEN:
        messages.error(request, f"That action is {meeting_action.get_status_display().lower()}. "
                                "Open it again before making a case from it.")
        return redirect(reverse("wards:meeting-detail", kwargs={"pk": meeting_action.meeting_id})
                        + f"#action-{meeting_action.pk}")
    initial = {}
    if meeting_action is not None:
        initial = {"summary": Truncator(meeting_action.description).chars(200),
                   "ward": meeting_action.meeting.ward_id}
    form = forms.CaseCreateForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST":
        try:
            # Sent again, its first send's resident would now match and the form ask about them.
            submission_check(request.POST.get("submission_key"))
            case = _case_create_from(request, form, meeting_action) if form.is_valid() else None
        except AlreadySubmitted as earlier:
            return _already_submitted(request, earlier, "This case was recorded when you first sent it: "
                                                         "it has not been recorded twice.")
        except Refused as refusal:  # the meeting action was closed while they were typing
            add_refusal(form, refusal)
            case = None
        if case is not None:
            messages.success(request, f"Case {case.reference} recorded"
                             + (" and referred to the advocacy service." if case.advocacy else "."))
            return redirect(case)
    return render(request, "casework/case_create.html", {"form": form, "meeting_action": meeting_action})


@login_required
def case_detail(request, reference):
    case = permissions.get_case_for_user(request.user, reference,
                                         queryset=Case.objects.select_related("meeting_action__meeting"))
    services.case_record_sensitive_view(case=case, by=request.user)
    record_read(request.user, ReadKind.CASE_VIEWED, obj=case, label=case.reference, request=request)
    actions = permissions.case_actions_for(request.user, case)
    calendar = WorkingCalendar.load()
    referrals = list(selectors.case_referrals(case).select_related("officer", "consent_recorded_by"))
    emails = referral_emails_for(referrals) if referrals else {}
    replies = referral_replies.latest_replies_for(referrals) if referrals else {}
    for referral in referrals:
        referral.overdue_by = calendar.overdue_by(referral.due_date) if referral.is_pending else 0
        referral.emails = emails.get(referral.pk, [])
        referral.reply = replies.get(referral.pk)
    return render(request, "casework/case_detail.html", {
        "case": case,
        "overdue_by": calendar.overdue_by(case.due_date) if case.is_active else 0,
        "timeline": selectors.case_timeline(case),
        "referrals": referrals,
        "attachments": selectors.case_attachments(case),
        "resident_update_rows": updates_for_cases([case.pk]).get(case.pk, []),
        "actions": [(ACTION_LABELS[name], _action_url(case, name), name in PRIMARY_ACTIONS)
                    for name in actions if name not in INLINE_ACTIONS],
        "can": set(actions),
        "note_form": forms.NoteForm(case=case, user=request.user),
        "confirm_form": forms.ConfirmForm(case=case, user=request.user),
        "read_only_until": permissions.read_only_until(request.user),
        "manages_retention": permissions.can_manage_retention(request.user),
    })


# Actions done with one button (or the note box) on the case page itself.
INLINE_ACTIONS = {"refer_to_advocacy", "confirm", "add_note", "change_basis", "change_updates"}
# The usual next step, shown as the main button.
PRIMARY_ACTIONS = {"accept", "record_response", "info_received"}


def _action_url(case, name: str) -> str:
    if name == "add_attachment":
        return reverse("casework:case-add-attachment", kwargs={"reference": case.reference})
    return reverse("casework:case-action", kwargs={"reference": case.reference,
                                                   "action": name.replace("_", "-")})


@dataclass(frozen=True)
class ActionView:
    form: type
    service: Callable
    done: str
    button: str = "Continue"
    hint: str = ""


ACTION_VIEWS = {
    "edit": ActionView(forms.CaseEditForm, services.case_update, "Case details saved", "Save changes"),
    "edit_resident": ActionView(forms.ResidentEditForm, services.resident_update, "Resident's details saved",
                                "Save changes", "Changes show on every case this resident has."),
    "change_basis": ActionView(forms.CaseBasisForm, services.case_change_basis, "How the case is held saved",
                               "Save changes", "Who decides what happens to the resident’s details, and on what "
                               "basis the law lets us hold them. The change is recorded on the timeline."),
    "change_updates": ActionView(forms.CaseUpdatesForm, services.case_change_updates,
                                 "Updates to the resident saved", "Save",
                                 "Only with the resident’s consent. They are told the case reference and what has "
                                 "happened (accepted, passed to a service, resolved), nothing else, at the address "
                                 "on their record. The change is recorded on the timeline."),
    "refer_to_advocacy": ActionView(forms.ConfirmForm, services.case_refer_to_advocacy,
                                    "Referred to the advocacy service", "Refer to advocacy"),
    "accept": ActionView(forms.AcceptForm, services.case_accept, "Case accepted", "Accept case"),
    "assign": ActionView(forms.AssignForm, services.case_assign, "Case assigned", "Assign"),
    "decline": ActionView(forms.DeclineForm, services.case_decline, "Case declined and returned to the councillor",
                          "Decline case"),
    "request_info": ActionView(forms.RequestInfoForm, services.case_request_info,
                               "Case paused while we wait for the resident", "Record request",
                               "The case's clock stops until the resident answers."),
    "info_received": ActionView(forms.InfoReceivedForm, services.case_info_received,
                                "Information recorded", "Record information"),
    "refer_to_service": ActionView(forms.ReferToServiceForm, services.case_refer_to_service,
                                   "Referral recorded: it is being emailed to the service", "Send referral"),
    "record_response": ActionView(forms.ResponseForm, services.referral_record_response,
                                  "Response recorded", "Record response"),
    "resolve": ActionView(forms.ResolveForm, services.case_resolve, "Case resolved", "Resolve case",
                          "The councillor will be asked to confirm the resolution."),
    "confirm": ActionView(forms.ConfirmForm, services.case_confirm, "Resolution confirmed and case closed",
                          "Confirm and close"),
    "reopen": ActionView(forms.ReopenForm, services.case_reopen, "Case reopened", "Reopen case"),
    "withdraw": ActionView(forms.WithdrawForm, services.case_withdraw, "Case withdrawn", "Withdraw case"),
}


READ_KINDS = {"edit": ReadKind.CASE_EDIT_OPENED, "edit_resident": ReadKind.RESIDENT_EDIT_OPENED}


def _service_kwargs(form) -> dict:
    if hasattr(form, "service_kwargs"):
        return form.service_kwargs()
    return dict(form.cleaned_data)


@login_required
def case_action(request, reference, action):
    """One page per action: GET shows its form, POST runs its service. 403 if never allowed."""
    name = action.replace("-", "_")
    spec = ACTION_VIEWS.get(name)
    if spec is None:
        raise Http404("No such action")
    case = permissions.get_case_for_action(request.user, reference, name)
    if request.method == "GET" and name in READ_KINDS:  # forms that show the case's personal data
        record_read(request.user, READ_KINDS[name], obj=case, label=case.reference, request=request)
    initial = {}
    if name == "record_response" and request.method == "GET" and request.GET.get("reply", "").isdigit():
        # "Edit it first": the form filled in with the emailed reply's text.
        reply = case.replies.filter(pk=int(request.GET["reply"]), referral__responded_at__isnull=True).first()
        if reply is not None:
            initial = {"referral": reply.referral_id, "response": reply.text}
    form = spec.form(posted(request), case=case, user=request.user, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            spec.service(case=case, by=request.user, **_service_kwargs(form))
        except Stale as stale:  # show the case as it is now, and let the form send the new version
            case.refresh_from_db()
            status = add_refusal(form, stale)
            form.refresh_version(case)
        except (Refused, ValidationError) as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, spec.done)
            return redirect(case)
    return render(request, "casework/case_action.html", {
        "case": case, "form": form, "spec": spec, "action": name, "title": ACTION_LABELS[name],
        "possible_now": permissions.may_now(request.user, name, case),
    }, status=status)


@login_required
@require_POST
def case_add_note(request, reference):
    case = permissions.get_case_for_action(request.user, reference, "add_note")
    form = forms.NoteForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        try:
            services.case_add_note(case=case, by=request.user, text=form.cleaned_data["text"],
                                   submission_key=form.cleaned_data["submission_key"])
        except AlreadySubmitted as earlier:
            return _already_submitted(request, earlier, "This note was added when you first sent it: "
                                                         "it has not been added twice.", fallback=case)
        messages.success(request, "Note added")
        return redirect(case)
    return render(request, "casework/case_action.html", {
        "case": case, "form": form, "action": "add_note", "title": ACTION_LABELS["add_note"],
        "spec": ActionView(forms.NoteForm, services.case_add_note, "", "Add note"), "possible_now": True,
    })


@login_required
def case_add_attachment(request, reference):
    case = permissions.get_case_for_action(request.user, reference, "add_attachment")
    form = forms.AttachmentForm(posted(request), request.FILES if request.method == "POST" else None,
                                case=case, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.case_add_attachment(case=case, by=request.user, upload=form.cleaned_data["upload"])
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, "File added")
            return redirect(case)
    return render(request, "casework/case_action.html", {
        "case": case, "form": form, "action": "add_attachment", "title": ACTION_LABELS["add_attachment"],
        "spec": ActionView(forms.AttachmentForm, services.case_add_attachment, "", "Upload file"),
        "possible_now": permissions.may_now(request.user, "add_attachment", case), "multipart": True,
    }, status=status)


@login_required
def attachment_download(request, reference, pk):
    attachment = permissions.get_attachment_for_user(request.user, reference, pk)
    record_read(request.user, ReadKind.ATTACHMENT_DOWNLOADED, obj=attachment,
                label=f"{reference}: {attachment.original_name}", request=request)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=download_name(attachment.original_name, attachment.content_type),
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- ward meeting actions ---------------------------------------------------------------------


@login_required
def meeting_action_link(request, pk):
    """The cases linked to a ward meeting action that this user may read, and a box to link another.

    The meeting page itself only counts linked cases: everyone on the staff may read it.
    """
    action = permissions.get_meeting_action_for_linking(request.user, pk)
    form = forms.MeetingActionLinkForm(posted(request), user=request.user, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_link_meeting_action(case=form.case, action=action, by=request.user)
        except PermissionDenied:
            form.add_error("reference", form.NOT_FOUND)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{form.case.reference} linked to the action")
            return redirect(reverse("wards:meeting-detail", kwargs={"pk": action.meeting_id}) + f"#action-{action.pk}")
    linked = selectors.cases_linked_to_meeting_action(request.user, action)
    return render(request, "casework/meeting_action_link.html", {"form": form, "action": action, "linked": linked})


# --- the liaison manager's targets and calendar -------------------------------------------------


@login_required
def targets(request):
    require(permissions.can_manage_targets(request.user))
    form = forms.ClosureDayForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            calendar_admin.closure_day_add(by=request.user, **form.cleaned_data)
        except Refused as refusal:  # the day is one already, perhaps added by another request a moment before
            add_refusal(form, refusal)
        else:
            messages.success(request, "Closure day added. Due dates set from now on skip it.")
            return redirect("casework:targets")
    return render(request, "casework/targets.html", {
        "categories": Category.objects.all(),
        "closures": selectors.closure_days_recent(),
        "ladder": EscalationStep.objects.all(),
        "form": form,
    })


@login_required
def category_targets(request, pk):
    category = permissions.get_category_for_target_setting(request.user, pk)
    form = forms.CategoryTargetsForm(posted(request), category=category)
    if request.method == "POST" and form.is_valid():
        calendar_admin.category_targets_update(category=category, by=request.user, **form.cleaned_data)
        messages.success(request, f"Targets for {category} saved")
        return redirect("casework:targets")
    return render(request, "casework/category_targets.html", {"form": form, "category": category})


@login_required
@require_POST
def closure_day_remove(request, pk):
    closure = permissions.get_closure_day_for_manager(request.user, pk)
    calendar_admin.closure_day_remove(by=request.user, closure=closure)
    messages.success(request, "Closure day removed")
    return redirect("casework:targets")


@login_required
def outcome_categories(request):
    """The list of resolution outcomes the resolve form offers: add one here, rename or retire it on its page."""
    require(permissions.can_manage_targets(request.user))
    form = forms.OutcomeCategoryForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            calendar_admin.outcome_category_add(by=request.user, name=form.cleaned_data["name"])
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, "Outcome added")
            return redirect("casework:outcome-categories")
    return render(request, "casework/outcome_categories.html", {
        "outcomes": OutcomeCategory.objects.all(), "form": form}, status=status)


@login_required
def outcome_category(request, pk):
    category = permissions.get_outcome_category_for_manager(request.user, pk)
    form = forms.OutcomeCategoryForm(posted(request), initial={"name": category.name})
    status = 200
    if request.method == "POST" and "retire" in request.POST:
        try:
            calendar_admin.outcome_category_retire(by=request.user, category=category,
                                                   retired=request.POST["retire"] == "yes")
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, f"‘{category}’ {'retired' if category.retired else 'back in use'}")
            return redirect("casework:outcome-categories")
    elif request.method == "POST" and form.is_valid():
        try:
            calendar_admin.outcome_category_rename(by=request.user, category=category, name=form.cleaned_data["name"])
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, "Outcome renamed")
            return redirect("casework:outcome-categories")
    return render(request, "casework/outcome_category.html", {"form": form, "category": category},
                  status=status)


# --- retention, legal holds and erasure (issue 13) ----------------------------------------------


@login_required
def retention_page(request):
    """The liaison manager's retention page: the periods, who is due to be anonymised in the next
    30 days, and the cases on legal hold."""
    require(permissions.can_manage_retention(request.user))
    form = forms.RetentionPeriodsForm(posted(request), years=retention.retention_years())
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for kind in Case.EnquiryType.values:
                retention.retention_period_set(by=request.user, enquiry_type=kind, years=form.cleaned_data[kind])
        messages.success(request, "Retention periods saved. The next run of the retention job uses them.")
        return redirect("casework:retention")
    due = Paginator(retention.residents_due_for_anonymisation(), settings.CASES_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "casework/retention.html", {
        "form": form, "due": due, "query": query_without_page(request), "within_days": retention.DUE_WITHIN_DAYS,
        "held": retention.cases_on_legal_hold(),
    })


@login_required
def case_legal_hold(request, reference):
    """Place a legal hold on a case, or lift it: either way with a reason, on the timeline."""
    case = permissions.get_case_for_retention(request.user, reference)
    form = forms.LegalHoldForm(posted(request), case=case)
    status = 200
    if request.method == "POST" and form.is_valid():
        lifting = case.legal_hold
        change = retention.case_legal_hold_clear if lifting else retention.case_legal_hold_set
        try:
            change(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, "Legal hold lifted" if lifting else "Legal hold placed")
            return redirect(case)
    return render(request, "casework/legal_hold.html", {"case": case, "form": form}, status=status)


@login_required
def resident_erase(request, reference):
    """Erase this resident's data: what will go, the request and the decision, then the result."""
    case = permissions.get_case_for_retention(request.user, reference)
    resident = case.resident
    if resident.is_anonymised:
        messages.info(request, "This resident’s data has already been erased or anonymised.")
        return redirect(case)
    form = forms.ErasureForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            decided = retention.erasure_request_decide(resident=resident, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            return redirect("casework:erasure-request", pk=decided.pk)
    return render(request, "casework/resident_erase.html", {
        "case": case, "form": form, "goes": retention.erasure_what_goes(resident),
    }, status=status)


@login_required
def erasure_request(request, pk):
    decided = permissions.get_erasure_request_for_user(request.user, pk)
    return render(request, "casework/erasure_request.html", {
        "decided": decided, "redaction": retention.erasure_redaction(decided),
        "cases": Case.objects.filter(resident_id=decided.resident_id).order_by("reference")
        .values_list("reference", flat=True),
    })


# --- emailed replies ----------------------------------------------------------------------------


@login_required
@require_POST
def reply_record(request, reference, pk):
    """ "Reply received — record it as the response?": one click, through the same service as "Record response"."""
    case = permissions.get_case_for_action(request.user, reference, "record_response")
    reply = case.replies.select_related("referral__service").filter(pk=pk, referral__isnull=False).first()
    if reply is None:
        raise Http404("No such reply")
    version = request.POST.get("version", "")
    try:
        services.referral_record_response(case=case, by=request.user, version=int(version) if version.isdigit() else 0,
                                          referral=reply.referral, response=reply.text)
    except (Stale, Refused) as refusal:
        add_refusal(request, refusal)
    else:
        messages.success(request, "Response recorded")
    return redirect(case)


@login_required
def unmatched_emails(request):
    emails = referral_replies.unmatched_emails_for(request.user)
    return render(request, "casework/unmatched_emails.html", {"page": _page(request, emails)})


@login_required
def unmatched_email(request, pk):
    inbound = permissions.get_unmatched_email_for_user(request.user, pk)
    form = forms.UnmatchedEmailAttachForm(request.POST if request.POST.get("do") == "attach" else None)
    status = 200
    if request.method == "POST" and request.POST.get("do") == "discard":
        try:
            referral_replies.unmatched_email_discard(by=request.user, inbound=inbound)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, "Email discarded")
        return redirect("casework:unmatched-emails")
    if request.method == "POST" and form.is_valid():
        try:
            case = referral_replies.unmatched_email_attach(by=request.user, inbound=inbound,
                                                           reference=form.cleaned_data["reference"])
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, f"Email added to {case.reference}")
            return redirect(case)
    return render(request, "casework/unmatched_email.html", {"email": inbound, "form": form}, status=status)


@login_required
def unmatched_email_original(request, pk):
    inbound = permissions.get_unmatched_email_for_user(request.user, pk)
    if not inbound.raw:
        raise Http404("This email was not kept")
    record_read(request.user, ReadKind.ATTACHMENT_DOWNLOADED, obj=inbound, label=f"unmatched email {inbound.pk}",
                request=request)
    response = FileResponse(inbound.raw.open("rb"), as_attachment=True, filename=f"email-{inbound.pk}.eml",
                            content_type="message/rfc822")
    response["Cache-Control"] = "private, no-store"
    return response
