from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("provinces", api.ProvinceViewSet, basename="province")
router.register("agencies", api.AgencyViewSet, basename="agency")

urlpatterns = router.urls
