from django.conf import settings


def portal(request):
    return {"LANGUAGES_AVAILABLE": settings.LANGUAGES}
