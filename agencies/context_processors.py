from django.urls import reverse

from qms_portal.menu import MENU

from .access import can, scope_of


def scope(request):
    """The signed-in user's role and the menu entries their role may open (from the capability registry)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_role": None, "portal_menu": []}
    menu = [{"url": reverse(item.url_name), "label": item.label, "name": item.url_name}
            for item in MENU if item.action is None or can(user, item.action)]
    return {"portal_role": scope_of(user).role, "portal_menu": menu}
