"""The `label` template filter: the label of a field's choice, as Django's get_FOO_display gives it, in the
active language, from choices read once per process; the API field and the code filter give the same."""

from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape

from agencies.models import Agency, AgencyKind
from audits.models import Inspection
from qms.models import QmsRecord


def _render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


def test_every_choice_reads_as_get_foo_display_in_both_languages():
    agency = Agency(name="Sở Tư pháp")
    for language in ("vi", "en"):
        with translation.override(language):
            for kind in AgencyKind.values:
                agency.kind = kind
                assert _render('{{ agency|label:"kind" }}', agency=agency) == escape(agency.get_kind_display())
    with translation.override("vi"):
        agency.kind = AgencyKind.values[0]
        vietnamese = _render('{{ agency|label:"kind" }}', agency=agency)
    with translation.override("en"):
        assert _render('{{ agency|label:"kind" }}', agency=agency) != vietnamese  # translated when shown, not cached


def test_a_value_outside_the_choices_shows_as_stored():
    inspection = Inspection(status="archived-by-hand")
    assert _render('{{ inspection|label:"status" }}', inspection=inspection) == "archived-by-hand"


def test_no_object_shows_nothing_so_default_applies():
    assert _render('{{ agency.qms|label:"stage"|default:"none yet" }}', agency={"qms": None}) == "none yet"
    assert _render('{{ missing|label:"stage" }}') == ""


def test_works_on_any_model_with_choices():
    record = QmsRecord(stage=QmsRecord._meta.get_field("stage").choices[-1][0])
    with translation.override("vi"):
        assert _render('{{ qms|label:"stage" }}', qms=record) == escape(record.get_stage_display())


def test_the_api_field_gives_the_same_label_and_stays_a_read_only_string_in_the_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    from agencies.serializers import AgencySerializer

    agency = Agency(name="Sở Tư pháp", kind=AgencyKind.values[-1])
    with translation.override("vi"):
        assert AgencySerializer().fields["kind_display"].to_representation(agency) == agency.get_kind_display()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["schemas"]["Agency"]["properties"]["kind_display"] == {"type": "string",
                                                                                        "readOnly": True}


def test_the_code_filter_shares_the_labels():
    with translation.override("vi"):
        record = QmsRecord(stage=QmsRecord._meta.get_field("stage").choices[0][0])
        assert (_render('{{ code|choice_label:"qms.QmsRecord.stage" }}', code=record.stage)
                == escape(record.get_stage_display()))


def test_no_template_reads_a_label_through_get_foo_display():
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = [str(path.relative_to(settings.BASE_DIR)) for path in Path(settings.BASE_DIR, "templates").rglob("*")
                 if path.is_file() and re.search(r"\.get_\w+_display\b", path.read_text(encoding="utf-8"))]
    assert offenders == [], "use {{ obj|label:\"field\" }} (qms_portal.choices)"
