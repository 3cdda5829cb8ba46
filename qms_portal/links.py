"""Absolute links to the portal, for places that have no request: QR codes in PDFs and links in e-mails."""

from django.conf import settings


def portal_url(path: str = "/") -> str:
    """`path` under the address people reach the portal at (`PORTAL_BASE_URL`)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path
