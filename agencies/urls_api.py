from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("provinces", api.ProvinceViewSet, basename="province")
router.register("agencies", api.AgencyViewSet, basename="agency")
router.register("outgoing-documents", api.OutgoingDocumentViewSet, basename="outgoing-document")

urlpatterns = [path("agency-imports/", api.AgencyImportView.as_view(), name="api-agency-import")] + router.urls
