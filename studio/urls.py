from django.urls import path

from . import views

S = "s/<int:sandbox_id>/"

urlpatterns = [
    path(S + "videos/", views.videos, name="videos"),
    path(S + "videos/<int:video_id>/sound/", views.video_sound, name="pick_sound"),
    path(S + "videos/<int:video_id>/links/", views.link_add, name="add_product_link"),
    path(
        S + "videos/<int:video_id>/links/<int:link_id>/remove/",
        views.link_remove,
        name="remove_product_link",
    ),
    path(S + "sounds/", views.sounds, name="sounds"),
    path(S + "audience/", views.audience, name="audience"),
    path(S + "audience/live/", views.live_schedule, name="schedule_live"),
    path(S + "audience/live/<int:session_id>/cancel/", views.live_cancel, name="cancel_live"),
]
