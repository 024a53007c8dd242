"""Who can open what: every URL name, opened with GET by each kind of person, against a table.

The table below is the whole answer, written out, so that a change in who can reach what shows up
as a changed line in a diff and has to be made on purpose. A URL name that is not in the table
fails the test ("add X to the matrix"), and so does a name in the table that no longer exists.

Each name is opened on objects from one small world (`world`): a councillor with a case (and a
file on it) in their ward, the liaison officer assigned to them, a liaison manager, a ward data
admin and a superuser with no role, plus one of each thing the pages show. A name may also have
variants, `name@variant`, that open it on someone else's object (`VARIANTS`): another councillor's
case, to show that guessing a reference gives nothing away.

The codes are the HTTP statuses: 200 the page, 302 a redirect (to sign in, for anonymous people,
or onwards after a step), 403 a page the person may know exists but may not use, 404 one they may
not know exists (or no such object), 405 a page that takes no GET (a POST-only action). The
people are made by the project's factories (tests/factories), so whatever every account of a
kind must have (an MFA authenticator for staff, say) is added there once.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import ClosureDay, ErasureRequest, OutcomeCategory
from councillors.models import PoliticalGroup, RoleProfileVersion
from engagement.models import ResponseImport
from kirklees.mailin.services import inbound_message_receive
from pages.sar import services as sar_services
from kirklees.notifications.services import unsubscribe_token
from kirklees.users.models import User
from wards.models import ImportBatch

from ..factories.casework import CategoryFactory, make_case
from ..factories.councillors import CouncillorFactory
from ..factories.engagement import ExerciseFactory, ensure_themes
from ..factories.kirklees import UserFactory
from ..factories.learning import EventFactory, ResourceFactory
from ..factories.stories import StoryFactory
from ..factories.wards import (BriefingFactory, FundingAwardFactory, FundingSchemeFactory, MeetingActionFactory,
                               OfficerFactory, PlaceFactory, PriorityFactory, ServiceFactory, WardFactory,
                               WardFigureFactory, WardMeetingFactory)
from ..samples import PDF
from .url_names import url_names

# The columns, in order. To add a kind of person, add it here, in `people` and a code to every row.
PEOPLE = ["anonymous", "councillor", "liaison", "manager", "data_admin", "superuser"]

MATRIX: dict[str, tuple[int, int, int, int, int, int]] = {
    # name (@variant: on someone else's object)      anon cllr liais mngr data super
    'access:people':                                 (302, 403, 403, 200, 403, 200),
    'access:person':                                 (302, 403, 403, 200, 403, 200),
    'audit:search':                                  (302, 403, 403, 200, 403, 403),
    'account:councillor-account':                    (302, 200, 403, 403, 403, 403),
    'account:councillor-account-for':                (302, 403, 200, 200, 403, 403),
    'account:councillor-account-for@theirs':         (302, 403, 404, 200, 403, 403),
    'account:supported-councillors':                 (302, 403, 200, 200, 403, 403),
    'account_inactive':                              (200, 200, 200, 200, 200, 200),
    'account_login':                                 (200, 302, 302, 302, 302, 302),
    'account_logout':                                (302, 200, 200, 200, 200, 200),
    'account_reset_password':                        (200, 200, 200, 200, 200, 200),
    'account_reset_password_done':                   (200, 200, 200, 200, 200, 200),
    'account_reset_password_from_key':               (200, 200, 200, 200, 200, 200),
    'account_reset_password_from_key_done':          (200, 200, 200, 200, 200, 200),
    'admin:index':                                   (302, 302, 302, 302, 302, 200),
    'boundary:change':                               (302, 403, 403, 403, 200, 200),
    'casework:attachment-download':                  (302, 200, 200, 200, 404, 404),
    'casework:attachment-download@theirs':           (302, 404, 404, 404, 404, 404),
    'casework:attachment-download@through-mine':     (302, 404, 404, 404, 404, 404),
    'casework:case-action':                          (302, 200, 403, 403, 404, 404),
    'casework:case-action@change-updates':           (302, 200, 403, 403, 404, 404),
    'casework:case-action@theirs':                   (302, 404, 404, 404, 404, 404),
    'casework:case-add-attachment':                  (302, 200, 403, 403, 404, 404),
    'casework:case-add-note':                        (302, 405, 405, 405, 405, 405),
    'casework:case-create':                          (302, 200, 403, 403, 403, 403),
    'casework:case-detail':                          (302, 200, 200, 200, 404, 404),
    'casework:case-detail@theirs':                   (302, 404, 404, 404, 404, 404),
    'casework:category-targets':                     (302, 403, 403, 200, 403, 403),
    'casework:closure-day-remove':                   (302, 405, 405, 405, 405, 405),
    'casework:case-legal-hold':                      (302, 403, 403, 200, 404, 404),
    'casework:case-legal-hold@theirs':               (302, 404, 404, 404, 404, 404),
    'casework:erasure-request':                      (302, 403, 403, 200, 403, 403),
    'casework:meeting-action-link':                  (302, 200, 200, 200, 403, 403),
    'casework:meeting-action-link@other-ward':       (302, 403, 200, 200, 403, 403),
    'casework:my-cases':                             (302, 200, 403, 403, 403, 403),
    'casework:queue':                                (302, 403, 200, 200, 403, 403),
    'casework:queue-assign':                         (302, 405, 405, 405, 405, 405),
    'casework:resident-erase':                       (302, 403, 403, 200, 404, 404),
    'casework:resident-erase@theirs':                (302, 404, 404, 404, 404, 404),
    'casework:reply-record':                         (302, 405, 405, 405, 405, 405),
    'casework:outcome-categories':                   (302, 403, 403, 200, 403, 403),
    'casework:outcome-category':                     (302, 403, 403, 200, 403, 403),
    'casework:retention':                            (302, 403, 403, 200, 403, 403),
    'casework:targets':                              (302, 403, 403, 200, 403, 403),
    'casework:unmatched-email':                      (302, 403, 200, 200, 403, 403),
    'casework:unmatched-email-original':             (302, 403, 200, 200, 403, 403),
    'casework:unmatched-emails':                     (302, 403, 200, 200, 403, 403),
    'councillors:add':                               (302, 403, 403, 403, 200, 200),
    'councillors:advocacy':                          (302, 403, 403, 200, 403, 200),
    'councillors:edit':                              (302, 403, 403, 403, 200, 200),
    'councillors:group-add':                         (302, 403, 403, 403, 200, 200),
    'councillors:group-edit':                        (302, 403, 403, 403, 200, 200),
    'councillors:groups':                            (302, 403, 403, 403, 200, 200),
    'councillors:list':                              (302, 403, 200, 200, 200, 200),
    'councillors:role-profile':                      (302, 200, 200, 200, 200, 200),
    'councillors:role-profile-advance':              (302, 405, 405, 405, 405, 405),
    'councillors:role-profile-diff':                 (302, 200, 200, 200, 200, 200),
    'councillors:role-profile-edit':                 (302, 403, 403, 200, 403, 200),
    'councillors:role-profile-new':                  (302, 403, 403, 200, 403, 200),
    'councillors:role-profile-version':              (302, 200, 200, 200, 200, 200),
    'dataimport:confirm':                            (302, 405, 405, 405, 405, 405),
    'dataimport:export':                             (302, 403, 403, 403, 200, 200),
    'dataimport:index':                              (302, 403, 403, 403, 200, 200),
    'dataimport:preview':                            (302, 403, 403, 403, 200, 200),
    'dataimport:template':                           (302, 403, 403, 403, 200, 200),
    'engagement:create':                             (302, 403, 200, 200, 403, 200),
    'engagement:detail':                             (302, 403, 200, 200, 403, 200),
    'engagement:edit':                               (302, 403, 200, 200, 403, 200),
    'engagement:import':                             (302, 403, 200, 200, 403, 200),
    'engagement:import-preview':                     (302, 403, 200, 200, 403, 200),
    'engagement:import-template':                    (302, 403, 200, 200, 403, 200),
    'engagement:list':                               (302, 200, 200, 200, 403, 200),
    'engagement:paper':                              (302, 403, 200, 200, 403, 200),
    'engagement:propose-priority':                   (302, 405, 405, 405, 405, 405),
    'engagement:responses-csv':                      (302, 403, 200, 200, 403, 200),
    'engagement:results':                            (302, 404, 200, 200, 403, 200),
    'engagement:results-csv':                        (302, 404, 200, 200, 403, 200),
    'engagement:results@published':                  (302, 200, 200, 200, 403, 200),
    'engagement:survey':                             (200, 200, 200, 200, 200, 200),
    'engagement:survey-thanks':                      (200, 200, 200, 200, 200, 200),
    'engagement:theme-comments':                     (302, 404, 200, 200, 403, 200),
    'engagement:transition':                         (302, 405, 405, 405, 405, 405),
    'handover:councillor':                           (302, 403, 403, 200, 403, 403),
    'handover:letter':                               (302, 403, 403, 404, 403, 403),  # a case not closed at handover
    'handover:list':                                 (302, 403, 403, 200, 403, 403),
    'healthz':                                       (200, 200, 200, 200, 200, 200),
    'home':                                          (302, 302, 302, 302, 302, 302),
    'jobs:list':                                     (302, 403, 403, 200, 403, 403),
    'learning:book':                                 (302, 405, 405, 405, 405, 405),
    'learning:cancel-booking':                       (302, 405, 405, 405, 405, 405),
    'learning:event':                                (302, 200, 200, 200, 200, 200),
    'learning:event-attendees-csv':                  (302, 403, 200, 200, 403, 403),
    'learning:event-cancel':                         (302, 403, 200, 200, 403, 403),
    'learning:event-create':                         (302, 403, 200, 200, 403, 403),
    'learning:event-edit':                           (302, 403, 200, 200, 403, 403),
    'learning:events':                               (302, 200, 200, 200, 200, 200),
    'learning:my-bookings':                          (302, 200, 200, 200, 200, 200),
    'learning:resource-create':                      (302, 403, 200, 200, 403, 403),
    'learning:resource-delete':                      (302, 405, 405, 405, 405, 405),
    'learning:resource-download':                    (302, 200, 200, 200, 200, 200),
    'learning:resource-edit':                        (302, 403, 200, 200, 403, 403),
    'learning:resources':                            (302, 200, 200, 200, 200, 200),
    # A mail provider's inbound webhook: public, checked by the provider's signature or basic auth (not
    # a session); POST only when a provider is set (then a GET is 405), and not there at all when none is.
    'mailin:webhook':                                (404, 404, 404, 404, 404, 404),
    'mailin:webhook-mime':                           (404, 404, 404, 404, 404, 404),
    'notices:accessibility':                         (200, 200, 200, 200, 200, 200),
    'notices:edit':                                  (302, 403, 403, 200, 403, 200),
    'notices:privacy':                               (200, 200, 200, 200, 200, 200),
    'notifications:inbox':                           (302, 200, 200, 200, 200, 200),
    'notifications:mark-read':                       (302, 405, 405, 405, 405, 405),
    'notifications:preferences':                     (302, 200, 200, 200, 200, 200),
    'notifications:unsubscribe':                     (200, 200, 200, 200, 200, 200),
    'notifications:unsubscribe@tampered':            (400, 400, 400, 400, 400, 400),
    'public:role-profile':                           (200, 200, 200, 200, 200, 200),
    'public:ward-detail':                            (200, 200, 200, 200, 200, 200),
    'public:ward-list':                              (200, 200, 200, 200, 200, 200),
    'sar:bundle':                                    (302, 200, 404, 200, 404, 404),
    'sar:bundle@managers':                           (302, 404, 404, 200, 404, 404),
    'sar:complete':                                  (302, 405, 405, 405, 405, 405),
    'sar:detail':                                    (302, 200, 404, 200, 404, 404),
    'sar:detail@managers':                           (302, 404, 404, 200, 404, 404),
    'sar:extend':                                    (302, 200, 404, 200, 404, 404),
    'insight:team':                                  (302, 403, 200, 200, 403, 403),
    'insight:team-download':                         (302, 403, 200, 200, 403, 403),
    'insight:own':                                   (302, 200, 403, 403, 403, 403),
    'insight:own-download':                          (302, 200, 403, 403, 403, 403),
    'sar:list':                                      (302, 200, 403, 200, 403, 403),
    'sar:start':                                     (302, 200, 404, 200, 404, 404),
    'sar:start@theirs':                              (302, 404, 404, 200, 404, 404),
    'stories:create':                                (302, 200, 200, 200, 200, 200),
    'stories:detail':                                (302, 200, 200, 200, 404, 404),
    'stories:detail@theirs':                         (302, 404, 200, 200, 404, 404),
    'stories:edit':                                  (302, 200, 403, 403, 404, 404),
    'stories:edit@theirs':                           (302, 404, 403, 403, 404, 404),
    'stories:list':                                  (302, 200, 200, 200, 200, 200),
    'stories:publish':                               (302, 405, 405, 405, 405, 405),
    'stories:unpublish':                             (302, 405, 405, 405, 405, 405),
    'users:session-end':                             (302, 405, 405, 405, 405, 405),
    'users:sessions':                                (302, 200, 200, 200, 200, 200),
    'wards:briefing-create':                         (302, 403, 200, 200, 200, 200),
    'wards:briefing-delete':                         (302, 403, 200, 200, 200, 200),
    'wards:briefing-edit':                           (302, 403, 200, 200, 200, 200),
    'wards:briefing-edit@unpublished':               (302, 403, 200, 200, 200, 200),
    'wards:briefing-file':                           (302, 200, 200, 200, 200, 200),
    'wards:briefing-file@unpublished':               (302, 404, 200, 200, 200, 200),
    'wards:briefings':                               (302, 403, 200, 200, 200, 200),
    'wards:briefings-export':                        (302, 403, 200, 200, 200, 200),
    'wards:detail':                                  (302, 200, 200, 200, 200, 200),
    'wards:figure-create':                           (302, 403, 403, 403, 200, 200),
    'wards:figure-delete':                           (302, 403, 403, 403, 200, 200),
    'wards:figure-edit':                             (302, 403, 403, 403, 200, 200),
    'wards:figures':                                 (302, 200, 200, 200, 200, 200),
    'wards:figures-export':                          (302, 200, 200, 200, 200, 200),
    'wards:funding':                                 (302, 200, 200, 200, 200, 200),
    'wards:funding-award-create':                    (302, 403, 403, 403, 200, 200),
    'wards:funding-award-detail':                    (302, 200, 200, 200, 200, 200),
    'wards:funding-award-edit':                      (302, 403, 403, 403, 200, 200),
    'wards:funding-award-status':                    (302, 405, 405, 405, 405, 405),
    'wards:funding-awards':                          (302, 200, 200, 200, 200, 200),
    'wards:funding-awards-export':                   (302, 200, 200, 200, 200, 200),
    'wards:funding-scheme-create':                   (302, 403, 403, 403, 200, 200),
    'wards:funding-scheme-edit':                     (302, 403, 403, 403, 200, 200),
    'wards:list':                                    (302, 200, 200, 200, 200, 200),
    'wards:meeting-action-add':                      (302, 405, 405, 405, 405, 405),
    'wards:meeting-action-edit':                     (302, 200, 200, 200, 200, 200),
    'wards:meeting-action-edit@other-ward':          (302, 403, 200, 200, 200, 200),
    'wards:meeting-action-status':                   (302, 405, 405, 405, 405, 405),
    'wards:meeting-create':                          (302, 200, 200, 200, 200, 200),
    'wards:meeting-detail':                          (302, 200, 200, 200, 200, 200),
    'wards:meeting-detail@other-ward':               (302, 200, 200, 200, 200, 200),
    'wards:meeting-edit':                            (302, 200, 200, 200, 200, 200),
    'wards:meeting-edit@other-ward':                 (302, 403, 200, 200, 200, 200),
    'wards:meetings':                                (302, 200, 200, 200, 200, 200),
    'wards:officer-confirm':                         (302, 405, 405, 405, 405, 405),
    'wards:officer-create':                          (302, 403, 403, 403, 200, 200),
    'wards:officer-edit':                            (302, 403, 403, 403, 200, 200),
    'wards:people':                                  (302, 200, 200, 200, 200, 200),
    'wards:people-export':                           (302, 200, 200, 200, 200, 200),
    'wards:place-create':                            (302, 403, 403, 403, 200, 200),
    'wards:place-edit':                              (302, 403, 403, 403, 200, 200),
    'wards:places':                                  (302, 200, 200, 200, 200, 200),
    'wards:places-export':                           (302, 200, 200, 200, 200, 200),
    'wards:priorities':                              (302, 200, 200, 200, 200, 200),
    'wards:priorities-export':                       (302, 200, 200, 200, 200, 200),
    'wards:priority-create':                         (302, 200, 200, 200, 200, 200),
    'wards:priority-detail':                         (302, 200, 200, 200, 200, 200),
    'wards:priority-edit':                           (302, 200, 200, 200, 200, 200),
    'wards:priority-edit@other-ward':                (302, 403, 200, 200, 200, 200),
    'wards:priority-update-add':                     (302, 405, 405, 405, 405, 405),
    'wards:service-create':                          (302, 403, 403, 403, 200, 200),
    'wards:service-edit':                            (302, 403, 403, 403, 200, 200),
    'wards:services':                                (302, 200, 200, 200, 200, 200),
    'account_change_password':                       (302, 200, 200, 200, 200, 200),
    'account_reauthenticate':                        (302, 200, 200, 200, 200, 200),
    'mfa_activate_totp':                             (302, 302, 302, 302, 302, 302),
    'mfa_add_webauthn':                              (302, 302, 302, 302, 302, 302),
    'mfa_authenticate':                              (302, 302, 302, 302, 302, 302),
    'mfa_deactivate_totp':                           (302, 404, 302, 302, 302, 302),
    'mfa_download_recovery_codes':                   (302, 404, 404, 404, 404, 404),
    'mfa_edit_webauthn':                             (302, 302, 302, 302, 302, 302),
    'mfa_generate_recovery_codes':                   (302, 302, 302, 302, 302, 302),
    'mfa_index':                                     (302, 200, 200, 200, 200, 200),
    'mfa_list_webauthn':                             (302, 200, 200, 200, 200, 200),
    'mfa_reauthenticate':                            (302, 302, 200, 200, 200, 200),
    'mfa_reauthenticate_webauthn':                   (302, 302, 302, 302, 302, 302),
    'mfa_remove_webauthn':                           (302, 302, 302, 302, 302, 302),
    'mfa_view_recovery_codes':                       (302, 404, 404, 404, 404, 404),
    'users:second-factor-reset':                     (302, 403, 403, 200, 403, 200),
    'wards:email-change-approve':                    (302, 405, 405, 405, 405, 405),
    'wards:email-change-confirm':                    (400, 400, 400, 400, 400, 400),
    'wards:email-change-reject':                     (302, 405, 405, 405, 405, 405),
    'wards:email-changes':                           (302, 403, 403, 200, 403, 403),
}


def people(world) -> dict[str, User | None]:
    """Each column's person: the councillor owns the case, the liaison officer is assigned to them."""
    return {"anonymous": None, "councillor": world["councillor"].user, "liaison": world["liaison"],
            "manager": world["manager"], "data_admin": world["data_admin"], "superuser": world["superuser"]}


@pytest.fixture
def world(db):
    """One of everything a URL names, in one ward."""
    ward = WardFactory(name="Dalton")
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")
    data_admin = UserFactory(role=User.Role.WARD_DATA_ADMIN, full_name="Dana Data")
    superuser = UserFactory(role="", is_superuser=True, is_staff=True, full_name="Sam Super")
    councillor = CouncillorFactory(user__full_name="Cllr Owner", ward=ward, advocacy_enrolled=True,
                                   liaison_officer=liaison)
    other = CouncillorFactory(user__full_name="Cllr Other", ward=WardFactory(name="Almondbury"),
                              advocacy_enrolled=True)
    category = CategoryFactory(name="Bins and recycling")
    case = make_case(councillor, category=category)
    attachment = casework_services.case_add_attachment(
        case=case, by=councillor.user, upload=SimpleUploadedFile("letter.pdf", PDF, "application/pdf"))
    theirs = make_case(other, category=category, summary="Someone else's pothole")
    their_attachment = casework_services.case_add_attachment(
        case=theirs, by=other.user, upload=SimpleUploadedFile("theirs.pdf", PDF, "application/pdf"))
    meeting = WardMeetingFactory(ward=ward, created_by=liaison)
    their_meeting = WardMeetingFactory(ward=other.ward, created_by=other.user)
    exercise = ExerciseFactory(ward=ward, facilitator=liaison)
    return {
        "ward": ward, "liaison": liaison, "manager": manager, "data_admin": data_admin, "superuser": superuser,
        "councillor": councillor, "other": other, "category": category, "case": case, "attachment": attachment,
        "theirs": theirs, "their_attachment": their_attachment,
        "closure": ClosureDay.objects.create(date=datetime.date(2026, 12, 29), reason="Council closed"),
        "group": PoliticalGroup.objects.create(name="Independent"),
        "profile": RoleProfileVersion.objects.create(number=1, body="Listen to residents.", created_by=manager),
        "import": ImportBatch.objects.create(kind="wards", file_name="wards.csv", content="name\nDalton\n",
                                             uploaded_by=data_admin),
        "exercise": exercise,
        "published_exercise": ExerciseFactory(ward=ward, facilitator=liaison, status="published"),
        "response_import": ResponseImport.objects.create(exercise=exercise, file_name="paper.csv", content="",
                                                         uploaded_by=liaison),
        "theme": ensure_themes()[0],
        "event": EventFactory(created_by=liaison),
        "resource": ResourceFactory(created_by=liaison, link="", file_name="guide.pdf", content_type="application/pdf",
                                    file=SimpleUploadedFile("guide.pdf", PDF, "application/pdf")),
        "story": StoryFactory(author=councillor.user),
        "their_story": StoryFactory(author=other.user),
        "briefing": BriefingFactory(ward=ward, author=liaison, file_name="note.pdf",
                                    file=SimpleUploadedFile("note.pdf", PDF, "application/pdf")),
        "future_briefing": BriefingFactory(ward=ward, author=liaison, file_name="later.pdf",
                                           file=SimpleUploadedFile("later.pdf", PDF, "application/pdf"),
                                           publish_on=timezone.localdate() + datetime.timedelta(days=7)),
        "figure": WardFigureFactory(ward=ward),
        "scheme": (scheme := FundingSchemeFactory()),
        "award": FundingAwardFactory(scheme=scheme, ward=ward),
        "meeting": meeting,
        "action": MeetingActionFactory(meeting=meeting),
        "their_meeting": their_meeting,
        "their_action": MeetingActionFactory(meeting=their_meeting),
        "their_priority": PriorityFactory(ward=other.ward, created_by=other.user),
        "officer": OfficerFactory(wards=[ward]),
        "place": PlaceFactory(ward=ward),
        "priority": PriorityFactory(ward=ward, created_by=liaison),
        "service": ServiceFactory(name="Waste and Recycling"),
        "person": other.user,
        "sar": sar_services.sar_start(by=councillor.user, resident=case.resident, received_on=timezone.localdate()),
        "managers_sar": sar_services.sar_start(by=manager, resident=case.resident, received_on=timezone.localdate()),
        "inbound": inbound_message_receive(b"From: Someone <someone@example.net>\r\nSubject: About my case\r\n"
                                           b"Message-ID: <matrix@example.net>\r\n\r\nAny news?\r\n", via="smtp"),
        "outcome": OutcomeCategory.objects.order_by("pk").first(),
        "erasure": ErasureRequest.objects.create(resident=case.resident, received_on=timezone.localdate(),
                                                 reason="Asked by letter", decision="refused",
                                                 decision_reason="Still needed", decided_by=manager),
    }


def kwargs_for(name: str, w: dict) -> dict:
    """The URL kwargs `name` needs, from the world (a name with none needs no entry here)."""
    case, theirs = w["case"], w["theirs"]
    exercise = w["exercise"].pk
    table = {
        "account:councillor-account-for": {"pk": w["councillor"].pk},
        "account:councillor-account-for@theirs": {"pk": w["other"].pk},
        "account_reset_password_from_key": {"uidb36": "zz", "key": "not-a-real-key"},
        "casework:attachment-download": {"reference": case.reference, "pk": w["attachment"].pk},
        "casework:attachment-download@theirs": {"reference": theirs.reference, "pk": w["their_attachment"].pk},
        "casework:attachment-download@through-mine": {"reference": case.reference, "pk": w["their_attachment"].pk},
        "casework:case-action": {"reference": case.reference, "action": "edit"},
        "casework:case-action@change-updates": {"reference": case.reference, "action": "change-updates"},
        "notifications:unsubscribe": {"token": unsubscribe_token(w["councillor"].user)},
        "notifications:unsubscribe@tampered": {"token": unsubscribe_token(w["councillor"].user)[:-3] + "abc"},
        "casework:case-action@theirs": {"reference": theirs.reference, "action": "edit"},
        "casework:case-add-attachment": {"reference": case.reference},
        "casework:case-add-note": {"reference": case.reference},
        "casework:case-detail": {"reference": case.reference},
        "casework:case-detail@theirs": {"reference": theirs.reference},
        "casework:category-targets": {"pk": w["category"].pk},
        "casework:outcome-category": {"pk": w["outcome"].pk},
        "insight:team-download": {"fmt": "xlsx"},
        "insight:own-download": {"fmt": "xlsx"},
        "casework:closure-day-remove": {"pk": w["closure"].pk},
        "casework:reply-record": {"reference": case.reference, "pk": 1},
        "casework:unmatched-email": {"pk": w["inbound"].pk},
        "casework:unmatched-email-original": {"pk": w["inbound"].pk},
        "casework:case-legal-hold": {"reference": case.reference},
        "casework:case-legal-hold@theirs": {"reference": theirs.reference},
        "casework:erasure-request": {"pk": w["erasure"].pk},
        "casework:resident-erase": {"reference": case.reference},
        "casework:resident-erase@theirs": {"reference": theirs.reference},
        "casework:meeting-action-link": {"pk": w["action"].pk},
        "casework:meeting-action-link@other-ward": {"pk": w["their_action"].pk},
        "notices:edit": {"slug": "privacy"},
        "handover:councillor": {"pk": w["councillor"].pk},
        "handover:letter": {"reference": case.reference},
        "councillors:edit": {"pk": w["councillor"].pk},
        "councillors:group-edit": {"pk": w["group"].pk},
        "councillors:role-profile-advance": {"number": w["profile"].number},
        "councillors:role-profile-edit": {"number": w["profile"].number},
        "councillors:role-profile-version": {"number": w["profile"].number},
        "dataimport:confirm": {"pk": w["import"].pk},
        "dataimport:export": {"kind": "wards"},
        "dataimport:preview": {"pk": w["import"].pk},
        "dataimport:template": {"kind": "wards"},
        "engagement:results@published": {"pk": w["published_exercise"].pk},
        "engagement:import-preview": {"pk": exercise, "batch": w["response_import"].pk},
        "engagement:survey": {"token": w["exercise"].token},
        "engagement:survey-thanks": {"token": w["exercise"].token},
        "engagement:theme-comments": {"pk": exercise, "theme": w["theme"].slug},
        "engagement:transition": {"pk": exercise, "action": "close"},
        "access:person": {"pk": w["person"].pk},
        "users:second-factor-reset": {"pk": w["person"].pk},
        "wards:email-change-approve": {"pk": 999999},
        "wards:email-change-reject": {"pk": 999999},
        "wards:email-change-confirm": {"token": "not-a-real-token"},
        "mfa_edit_webauthn": {"pk": 999999},  # nobody's key: asked to confirm it is them first, then 404
        "mfa_remove_webauthn": {"pk": 999999},
        "wards:briefing-file@unpublished": {"pk": w["future_briefing"].pk},
        "wards:briefing-edit@unpublished": {"pk": w["future_briefing"].pk},
        "stories:detail@theirs": {"pk": w["their_story"].pk},
        "stories:edit@theirs": {"pk": w["their_story"].pk},
        "wards:meeting-detail@other-ward": {"pk": w["their_meeting"].pk},
        "wards:meeting-edit@other-ward": {"pk": w["their_meeting"].pk},
        "wards:meeting-action-edit@other-ward": {"pk": w["their_action"].pk},
        "wards:priority-edit@other-ward": {"pk": w["their_priority"].pk},
        "wards:figure-create": {"pk": w["ward"].pk},
        "sar:start": {"resident_id": case.resident_id},
        "sar:start@theirs": {"resident_id": theirs.resident_id},
        "sar:bundle@managers": {"pk": w["managers_sar"].pk},
        "sar:detail@managers": {"pk": w["managers_sar"].pk},
        "wards:place-create": {"pk": w["ward"].pk},
    }
    by_pk = {
        "engagement:": exercise, "learning:event": w["event"].pk, "learning:book": w["event"].pk,
        "learning:cancel-booking": w["event"].pk, "learning:resource-": w["resource"].pk,
        "stories:": w["story"].pk, "wards:briefing-": w["briefing"].pk, "wards:figure-": w["figure"].pk,
        "wards:figures": w["ward"].pk, "wards:funding-award-": w["award"].pk, "wards:funding-scheme-": w["scheme"].pk,
        "wards:meeting-action-add": w["meeting"].pk, "wards:meeting-action-": w["action"].pk,
        "wards:meeting-": w["meeting"].pk, "wards:officer-": w["officer"].pk, "wards:place-": w["place"].pk,
        "wards:places": w["ward"].pk, "wards:priority-": w["priority"].pk, "wards:service-": w["service"].pk,
        "wards:detail": w["ward"].pk, "public:ward-detail": w["ward"].pk, "sar:": w["sar"].pk,
    }
    if name in table:
        return table[name]
    route = url_names()[name.split("@")[0]]
    if "<int:pk>" not in route:
        return {}
    # The longest prefix wins: "wards:meeting-action-add" (a meeting) before "wards:meeting-action-" (an action).
    prefix = max((p for p in by_pk if name.startswith(p)), key=len, default=None)
    assert prefix is not None, f"{name} needs a pk: add it to kwargs_for"
    return {"pk": by_pk[prefix]}


def observed(world) -> dict[str, tuple[int, ...]]:
    """Every name (and variant) in the table or the URLconf, opened by each person in turn."""
    names = sorted(set(url_names()) | set(MATRIX))
    everyone = people(world)
    found = {}
    for name in names:
        if name.split("@")[0] not in url_names():
            continue
        url = reverse(name.split("@")[0], kwargs=kwargs_for(name, world))
        row = []
        for column in PEOPLE:
            client = Client(raise_request_exception=False)  # a crash is a 500 in the table, not the end of it
            if everyone[column] is not None:
                client.force_login(everyone[column])
            row.append(client.get(url).status_code)
        found[name] = tuple(row)
    return found


def test_every_url_name_is_in_the_matrix_and_every_name_in_it_still_exists():
    names = set(url_names())
    missing = sorted(names - {name.split("@")[0] for name in MATRIX})
    gone = sorted({name.split("@")[0] for name in MATRIX} - names)
    assert not missing, "add " + ", ".join(missing) + " to the matrix (tests/config/test_authorization_matrix.py)"
    assert not gone, "remove " + ", ".join(gone) + " from the matrix: no such URL name any more"
    assert all(len(codes) == len(PEOPLE) for codes in MATRIX.values())
    assert not [name for name, codes in MATRIX.items() if 500 in codes], "a 500 is never the expected answer"


def test_each_person_reaches_exactly_what_the_matrix_says(world):
    found = observed(world)
    differences = [f"{name:45} expected {MATRIX[name]} got {codes}" if name in MATRIX else
                   f"{name:45} is not in the matrix: add it, got {codes}"
                   for name, codes in found.items() if MATRIX.get(name) != codes]
    cells = sum(len(codes) for codes in found.values())
    print(f"\nauthorization matrix: {len(found)} URLs x {len(PEOPLE)} people = {cells} cells")
    assert not differences, f"who can reach what changed ({' '.join(PEOPLE)}):\n" + "\n".join(differences)
