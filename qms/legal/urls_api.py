from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("legal-changes", api.LegalChangeViewSet, basename="legal-change")
router.register("due-legal-updates", api.DueLegalUpdateViewSet, basename="due-legal-update")

urlpatterns = [
    path("legal-changes/import/", api.LegalChangeImportView.as_view(), name="legal-change-import"),
    *router.urls,
]
