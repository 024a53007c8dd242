from django.urls import path

from . import views

app_name = "sar"

urlpatterns = [
    path("", views.sar_list, name="list"),
    path("residents/<int:resident_id>/new/", views.sar_start, name="start"),
    path("<int:pk>/", views.sar_detail, name="detail"),
    path("<int:pk>/bundle.zip", views.sar_bundle, name="bundle"),
    path("<int:pk>/extend/", views.sar_extend, name="extend"),
    path("<int:pk>/sent/", views.sar_complete, name="complete"),
]
