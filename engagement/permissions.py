"""Who may see or do what with Place Standard exercises (DESIGN.md §2): one place for engagement/.

Responses are anonymous, so this is not about personal data but least privilege all the same:
- the Support & Liaison Team (officers and managers) plan and run exercises, type in paper forms,
  import responses, publish results and propose ward priorities from them;
- councillors read published results, for any ward (comparing wards is the point), and nothing
  unpublished: results are not final until the team publishes them;
- ward data admins have no part in engagement;
- the public answers an open exercise's survey by its link, and sees published results only on
  the public ward page.
"""
from django.http import Http404
from django.shortcuts import get_object_or_404

from kirklees.permissions import require

from .models import Exercise, ResponseImport


def can_manage_exercises(user) -> bool:
    return user.is_authenticated and user.runs_engagement


def can_read_published_results(user) -> bool:
    return user.is_authenticated and user.reads_engagement_results


def can_view_results(user, exercise: Exercise) -> bool:
    if can_manage_exercises(user):
        return True
    return can_read_published_results(user) and exercise.status == Exercise.Status.PUBLISHED


def get_exercise_for_manager(user, pk: int) -> Exercise:
    """An exercise for the team's pages: 403 for everyone else, 404 if there is no such exercise."""
    require(can_manage_exercises(user))
    return get_object_or_404(Exercise.objects.select_related("ward", "place", "facilitator"), pk=pk)


def get_exercise_results_for_user(user, pk: int) -> Exercise:
    """An exercise whose results `user` may read.

    A councillor asking for an unpublished one gets 404, as if it did not exist: that results are
    being gathered somewhere is the team's business until they publish.
    """
    require(can_read_published_results(user))
    exercise = get_object_or_404(Exercise.objects.select_related("ward", "place", "facilitator"), pk=pk)
    if not can_view_results(user, exercise):
        raise Http404("No such exercise")
    return exercise


def get_response_import_for_manager(user, pk: int, batch_pk: int) -> ResponseImport:
    """An uploaded file waiting to be confirmed, of an exercise the team's pages may show (as above)."""
    exercise = get_exercise_for_manager(user, pk)
    batch = get_object_or_404(ResponseImport.objects.select_related("uploaded_by"), pk=batch_pk, exercise=exercise)
    batch.exercise = exercise
    return batch
