from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("", views.story_list, name="list"),
    path("new/", views.story_create, name="create"),
    path("<int:pk>/", views.story_detail, name="detail"),
    path("<int:pk>/edit/", views.story_edit, name="edit"),
    path("<int:pk>/publish/", views.story_publish, name="publish"),
    path("<int:pk>/unpublish/", views.story_unpublish, name="unpublish"),
]
