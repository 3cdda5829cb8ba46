"""The portal's e-mails, written one way: a message from its templates, in the portal's language.

`send_templated("audits/email/plan_returned", context, to)` reads `<template>_subject.txt` (folded to one line),
`<template>_body.txt` and, where there is one, `<template>_body.html` (sent as the HTML alternative). The context
always holds `portal_url`, the portal's address (`PORTAL_BASE_URL`, never a request's host).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .links import portal_url


def send_templated(template: str, context: dict, to: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"portal_url": portal_url("/"), **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_body.txt", context)
        try:
            html = render_to_string(f"{template}_body.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, from_email=settings.DEFAULT_FROM_EMAIL)
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()
