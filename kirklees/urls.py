from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("kirklees.allauth_urls")),  # only the allauth views the app uses
    path("", include("casework.urls")),
    path("", include("wards.urls")),
    path("", include("councillors.urls")),
    path("", include("engagement.urls")),
    path("", include("kirklees.account_urls")),
    path("public/", include("kirklees.public_urls")),
    path("data/boundary-change/", include("kirklees.boundary_urls")),
    path("data/", include("kirklees.dataimport.urls")),
    path("stories/", include("engagement.stories.urls")),
    path("learning/", include("engagement.learning.urls")),
    path("notifications/", include("kirklees.notifications.urls")),
    path("jobs/", include("kirklees.jobs.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
]

handler403 = "kirklees.views.forbidden"
handler404 = "kirklees.views.not_found"
handler500 = "kirklees.views.server_error"
