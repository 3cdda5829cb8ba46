from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("inspection-plans", api.InspectionPlanViewSet, basename="inspection-plan")
router.register("plan-entries", api.PlanEntryViewSet, basename="plan-entry")
router.register("inspections", api.InspectionViewSet, basename="inspection")
router.register("inspection-decisions", api.InspectionDecisionViewSet, basename="inspection-decision")
router.register("report-requests", api.ReportRequestViewSet, basename="report-request")
router.register("findings", api.FindingViewSet, basename="finding")
router.register("finding-classes", api.FindingClassViewSet, basename="finding-class")
router.register("checklist", api.ChecklistViewSet, basename="checklist")

urlpatterns = router.urls
