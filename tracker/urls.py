from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from events import health

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False), name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("events.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's settings as a script file rather than inline, so
    # the page works under a Content-Security-Policy without 'unsafe-inline'.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "events.api.exceptions.bad_request"
handler403 = "events.api.exceptions.permission_denied"
handler404 = "events.api.exceptions.not_found"
handler500 = "events.api.exceptions.server_error"
