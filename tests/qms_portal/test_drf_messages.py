"""The messages of Django REST framework listed in qms_portal.drf_messages are translated by our catalogue."""

from django.utils import translation

from qms_portal.drf_messages import MESSAGES


def test_every_listed_drf_message_reads_in_vietnamese():
    assert len(MESSAGES) == len(set(MESSAGES)) > 0
    with translation.override("vi"):
        untranslated = [message for message in MESSAGES if translation.gettext(message) == message]
    assert not untranslated, untranslated[:10]


def test_a_listed_message_keeps_its_placeholders_in_vietnamese():
    with translation.override("vi"):
        translated = translation.gettext('Ensure this field has no more than {max_length} characters.')
    assert "{max_length}" in translated
    assert translated.format(max_length=255).count("255") == 1
