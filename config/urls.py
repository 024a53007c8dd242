from django.contrib import admin
from django.urls import include, path

from pages import urls as pages
from kirklees.users import urls as users
from wards import urls as wards
from pages.views import site

urlpatterns = [
    path("", site.home, name="home"),
    path("accounts/", include("kirklees.users.urls")),  # sessions, and resetting a second factor
    path("accounts/", include("config.allauth_urls")),  # only the allauth views the app uses
    path("access/", include((users.access_patterns, "access"))),  # People and access, for liaison managers
    path("", include("casework.urls")),
    path("", include((wards.urlpatterns + pages.ward_patterns, "wards"))),
    path("", include("councillors.urls")),
    path("", include("engagement.urls")),
    path("", include((pages.account_patterns, "account"))),
    path("public/", include((pages.public_patterns, "public"))),
    path("", include("pages.notices.urls")),  # the privacy notice and accessibility statement
    path("data/boundary-change/", include((pages.boundary_patterns, "boundary"))),
    path("handover/", include((pages.handover_patterns, "handover"))),  # cases of councillors who have gone
    path("data/", include((pages.dataimport_patterns, "dataimport"))),
    path("audit/", include((pages.audit_patterns, "audit"))),
    path("subject-access/", include("pages.sar.urls")),  # subject access requests
    path("reports/", include("casework.insight.urls")),  # casework figures (issue 15)
    path("stories/", include("engagement.stories.urls")),
    path("learning/", include("engagement.learning.urls")),
    path("notifications/", include("kirklees.notifications.urls")),
    path("jobs/", include("kirklees.jobs.urls")),
    path("mail/inbound/", include("kirklees.mailin.urls")),  # a mail provider's inbound webhook, if one is set
    path("admin/", admin.site.urls),
    path("healthz", site.healthz, name="healthz"),
    path("favicon.ico", site.favicon),
]

handler400 = "pages.views.site.bad_request"
handler403 = "pages.views.site.forbidden"
handler404 = "pages.views.site.not_found"
handler500 = "pages.views.site.server_error"
