"""/api/v1/: one route per resource, named `<model>-list` and `<model>-detail`."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from events.api import views
from events.api.relations import RelationView

router = DefaultRouter()
router.register("countries", views.CountryViewSet, basename="country")
router.register("places", views.PlaceViewSet, basename="place")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register(
    "organization-aliases", views.OrganizationAliasViewSet, basename="organizationalias"
)
router.register("people", views.PersonViewSet, basename="person")
router.register("person-aliases", views.PersonAliasViewSet, basename="personalias")
router.register("positions", views.PositionViewSet, basename="position")
router.register("tenures", views.TenureViewSet, basename="tenure")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("gatherings", views.GatheringViewSet, basename="gathering")
router.register("relationship-levels", views.RelationshipLevelViewSet, basename="relationshiplevel")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("participants", views.ParticipantViewSet, basename="participant")
router.register("sources", views.SourceViewSet, basename="sourcedocument")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register(
    "commitment-status-changes",
    views.CommitmentStatusChangeViewSet,
    basename="commitmentstatuschange",
)

urlpatterns = [
    *router.urls,
    path("relations/<str:a>/<str:b>/", RelationView.as_view(), name="relation"),
]
