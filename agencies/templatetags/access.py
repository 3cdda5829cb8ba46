from django import template

from agencies.access import can as role_can

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    """`{% load access %}{% if request.user|can:"plan.edit" %}`: whether the user's role may take the action (the
    capability registry, agencies.access.CAPABILITIES); services check the same table and the object's scope."""
    return role_can(user, action)
