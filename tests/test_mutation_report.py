"""tools/mutate.py's report: a module run now replaces its row and section; a module with no results on this machine
keeps what the earlier report said, and the totals and the hand-written notes follow."""

from tools.mutate import EQUIVALENT, MODULES, Earlier, Outcome, markdown

RULES, ACCESS = (next(m for m in MODULES if m.name == name) for name in ("rules", "access"))


def ran(module, *, killed, survivors=(), seconds=60.0, error=""):
    outcome = Outcome(module, seconds=seconds, error=error)
    outcome.counts = {"killed": killed, **({"survived": len(survivors)} if survivors else {})}
    outcome.survivors = [(name, f"--- diff of {name}") for name in survivors]
    return outcome


def test_a_module_not_run_here_keeps_its_row_and_section_and_the_totals_add_both():
    equivalent = next(name for name in EQUIVALENT if name.startswith("qms.rules."))
    first = markdown([ran(RULES, killed=10, survivors=[equivalent], seconds=120),
                      ran(ACCESS, killed=4, survivors=["agencies.access.x_scope_of__mutmut_1"])])
    first = first.replace("\n## rules", "\nState of the last run, written by hand.\n\n## rules", 1)

    again = markdown([ran(RULES, killed=11, seconds=180, error="stopped after 3 min")], Earlier.read(first))

    assert "| rules | " in again and "| 11 | 11 | 0 | 0 | 0 | 100.0% | 3.0 min |" in again
    assert "| 5 | 4 | 1 | 0 | 0 | 80.0% | 1.0 min |" in again  # access, as the earlier report had it
    assert "| all | | | 16 | 15 | 1 | 0 | | 93.8% | 4 min |" in again
    assert "State of the last run, written by hand." in again
    assert "### agencies.access.x_scope_of__mutmut_1 (survived)" in again  # access's section, kept
    assert equivalent not in again and "Note: stopped after 3 min" in again  # rules' section, replaced
    assert again.index("## rules") < again.index("## access")


def test_a_report_read_back_and_written_with_nothing_new_is_the_same_report():
    report = markdown([ran(RULES, killed=3), ran(ACCESS, killed=2, survivors=["agencies.access.x_f__mutmut_2"])])
    assert markdown([], Earlier.read(report)) == report


def test_no_earlier_report_and_nothing_run_gives_an_empty_table():
    report = markdown([], Earlier.read(""))
    assert "| all |" not in report and "## " not in report
