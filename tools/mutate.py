"""`make mutate`: mutation testing of the rule modules with mutmut, each module against only the tests that
concern it, on PostgreSQL; writes the score and the surviving mutants to docs/mutation.md.

    python tools/mutate.py [--modules rules,numbering] [--output docs/mutation.md]

Each module is mutated in a scratch copy of the project (var/mutation/<name>/, made from the files git tracks plus
the compiled catalogues), whose pyproject.toml gets the [tool.mutmut] section for that module: mutmut never
touches the working tree. The test database is MUTATE_DATABASE_URL's (default: qms_mutate on 127.0.0.1), reused between
mutants (--reuse-db). One mutant at a time (the tests share that database).

Survivors judged equivalent (the mutant behaves like the original) are listed in EQUIVALENT below with the reason;
docs/mutation.md shows them apart from the others.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "var" / "mutation"


@dataclass
class Module:
    name: str
    files: list[str]
    tests: list[str]
    note: str = ""


# The rule modules and the tests that concern each (the fast runner: the tests of one module, not the suite).
MODULES = [
    Module("rules", ["qms/rules/evaluation.py", "qms/rules/facts.py", "qms/rules/predicate.py",
                     "qms/rules/registry.py"], ["tests/qms/test_rules.py", "tests/qms/test_rule_explanations.py",
                                                      "tests/qms/test_legal_changes.py",
                                                      "tests/qms/test_dashboard_overview.py"]),
    Module("qms_lifecycle", ["qms/services.py"], ["tests/qms/test_lifecycle_rules.py", "tests/qms/test_file.py",
                                                   "tests/qms/test_stage_evidence.py", "tests/qms/test_part_rules.py"]),
    Module("plans", ["audits/services/plans.py"], ["tests/audits/test_plan_messages.py", "tests/audits/test_rules.py",
                                                    "tests/audits/test_services.py",
                                                    "tests/audits/test_numbering.py",
                                                    "tests/audits/test_year_boundary.py"]),
    Module("findings", ["audits/services/findings.py"], ["tests/audits/test_finding_messages.py",
                                                          "tests/audits/test_rules.py", "tests/audits/test_services.py",
                                                          "tests/audits/test_overdue_and_words.py",
                                                          "tests/audits/test_draft_record.py"]),
    Module("numbering", ["agencies/numbering.py", "agencies/register.py"],
           ["tests/agencies/test_numbering.py", "tests/agencies/test_register.py",
            "tests/agencies/test_register_rules.py", "tests/qms_portal/signing/test_register_upload.py",
            "tests/qms_portal/signing/test_refusals.py"]),
    Module("access", ["agencies/access.py", "qms_portal/scoping.py"],
           ["tests/agencies/test_access_rules.py", "tests/agencies/test_permission_matrix.py",
            "tests/test_permission_coverage.py"]),
    Module("report_generation", ["reports/generation.py", "qms_portal/generated.py"],
           ["tests/qms_portal/test_generated.py", "tests/reports/test_consolidated.py", "tests/audits/test_pdf.py",
            "tests/reports/test_worker.py", "tests/reports/test_claim_race.py", "tests/reports/test_worker_killed.py",
            "tests/reports/test_progress.py", "tests/reports/test_report_generate.py"]),
    Module("uploads", ["qms_portal/uploads.py"], ["tests/qms_portal/test_uploads.py",
                                                  "tests/agencies/test_hostile_input.py", "tests/qms/test_file.py",
                                                  "tests/qms/test_qms_bad_input.py"]),
]

# "<mutant name>": "why it behaves like the original". Names are mutmut's (module.x_function__mutmut_N).
EQUIVALENT: dict[str, str] = {
    "agencies.register.x_register_list__mutmut_37":
        "the symbol clause for a number alone: icontains '' matches every symbol.",
    "audits.services.plans.x__clean_entry__mutmut_84":
        "validate_unique=None: falsy, so no unique check, as with False.",
    "audits.services.plans.x__clean_entry__mutmut_85":
        "validate_constraints=None: falsy, so no constraint check, as with False.",
    "audits.services.plans.x__clean_entry__mutmut_87":
        "validate_unique left to its default (True): the only unique rule is (plan, agency), both excluded, so "
        "Django skips it; the duplicate is refused above.",
    "audits.services.plans.x__clean_entry__mutmut_95":
        "validate_unique=True: the only unique rule is (plan, agency), both excluded, so Django skips it; the "
        "duplicate is refused above.",
    "qms_portal.generated.x_generation_task__mutmut_3":
        "acks_late=None: the task takes the app's task_acks_late, True in the settings.",
    "qms_portal.generated.x_generation_task__mutmut_9":
        "acks_late left out: the task takes the app's task_acks_late, True in the settings.",
    "reports.generation.x__generate__mutmut_11":
        "select_related('issuer__province') joins the issuer too: the same single query.",
    "agencies.register.x_register_signed_upload__mutmut_74":
        "save() of every field instead of the six changed: the row is locked, the other values are the same.",
    "reports.generation.x__generate__mutmut_35":
        "gather() reads the clock itself a few milliseconds later: the same as-of date except across midnight.",
    "reports.generation.x__generate__mutmut_50":
        "prepare() takes today's date itself: the same issue date except across midnight.",
    "reports.generation.x__generate__mutmut_53":
        "prepare() takes today's date itself: the same issue date except across midnight.",
    "reports.generation.x__generate__mutmut_33":
        "gather() reads the clock itself a few milliseconds later: the same as-of date except across midnight.",
    "reports.generation.x_stale_reports_requeue__mutmut_13":
        "values_list(flat=True) without the field name yields the first field, the primary key: the one named.",
    "agencies.register.x_province_bodies__mutmut_12":
        "= instead of |=: the set is still empty at that point.",
    "agencies.register.x_register_gaps__mutmut_40":
        "expected starts at 2: the first row always starts a new key, which sets it to 1.",
    "agencies.access.x_scope_of__mutmut_5":
        "None instead of False when there is no is_authenticated: both falsy, no scope either way.",
    "agencies.register.x__line_key__mutmut_3":
        "rpartition instead of partition: a register symbol (TYPE-BODY) has no slash, so both split alike.",
    "agencies.register.x__line_key__mutmut_5":
        "\"XXXX\" for a missing number: not digits either, so no line, as for \"\".",
    **{f"agencies.register.x_register_entries_of__mutmut_{n}":
       "a field left out of the filter fetches more lines, but each is looked up again under its whole key "
       "(issuer, year, number, symbol): the same lines for the same documents." for n in (12, 13, 14, 15)},
    "agencies.register.x_register_withdraw__mutmut_31":
        "save() of every field instead of the four changed: the row is locked, the other values are the same.",
    "agencies.register.x_province_bodies__mutmut_19":
        "values_list(flat=True) without the field name yields the first field, the primary key: the one named.",
    "agencies.register.x_register_workbook__mutmut_71":
        "iterator's chunk size: the same rows in the same order.",
    "agencies.register.x_register_workbook__mutmut_72":
        "iterator's chunk size: the same rows in the same order.",
    "agencies.numbering.x_document_number_next__mutmut_18":
        "refresh_from_db of every field instead of last_number: the number read is the same.",
    "agencies.register.x_register_list__mutmut_10":
        "one relation less in select_related: read by a query more, the lines are the same.",
    "agencies.register.x_register_list__mutmut_11":
        "one relation less in select_related: read by a query more, the lines are the same.",
    "agencies.register.x_register_list__mutmut_12":
        "one relation less in select_related: read by a query more, the lines are the same.",
    "audits.services.plans.x_coverage_errors__mutmut_13":
        "the plural msgid of ngettext: the sentence is looked up by its singular msgid and both catalogues (vi, "
        "en) carry its plural, so the code's plural text is never shown.",
    "audits.services.plans.x_coverage_errors__mutmut_20":
        "the plural msgid of ngettext: the sentence is looked up by its singular msgid and both catalogues (vi, "
        "en) carry its plural, so the code's plural text is never shown.",
    "audits.services.plans.x_coverage_errors__mutmut_21":
        "the plural msgid of ngettext: the sentence is looked up by its singular msgid and both catalogues (vi, "
        "en) carry its plural, so the code's plural text is never shown.",
    "audits.services.plans.x_coverage_errors__mutmut_22":
        "the plural msgid of ngettext: the sentence is looked up by its singular msgid and both catalogues (vi, "
        "en) carry its plural, so the code's plural text is never shown.",
    "audits.services.findings.x__clean__mutmut_38":
        "validate_unique=None: falsy, so no unique check, as with False.",
    "audits.services.findings.x__clean__mutmut_39":
        "validate_constraints=None: falsy, so no constraint check, as with False.",
    "audits.services.findings.x__clean__mutmut_41":
        "validate_unique left to its default (True): the only unique rule is (inspection, number), inspection "
        "excluded, so Django skips it (no query); the number is taken under the inspection's lock.",
    "audits.services.findings.x__clean__mutmut_53":
        "validate_unique=True: the only unique rule is (inspection, number), inspection excluded, so Django skips "
        "it (no query); the number is taken under the inspection's lock.",
    "audits.services.findings.x__decide__mutmut_16":
        "updated_at left out of the UPDATE: the finding is saved right after for its history, which stamps "
        "updated_at (auto_now).",
    "audits.services.findings.x__decide__mutmut_51":
        "the dash for a decided finding without a decision event: every decision records its event in the same "
        "transaction, so the fallback is not reachable through the services.",
    "audits.services.findings.x__decide__mutmut_56":
        "the time of a decided finding without a decision event: not reachable through the services.",
    "audits.services.findings.x__decide__mutmut_60":
        "the dash for a decided finding without a decision event: not reachable through the services.",
    "audits.services.findings.x__decide__mutmut_36":
        "order by pk alone: a finding's decision events are created in time order, so pk order is time order.",
    "audits.services.findings.x__decide__mutmut_37":
        "no pk tie-break: two decisions of one finding in the same microsecond are refused by the row's status.",
    "audits.services.findings.x__decide__mutmut_38":
        "select_related(None): the actor is read by a query more, the name is the same.",
    "audits.services.findings.x__close_response__mutmut_4":
        "order by pk alone: a finding has one pending response at a time (a second is refused until it is "
        "decided).",
    "audits.services.findings.x__close_response__mutmut_5":
        "no pk tie-break: a finding has one pending response at a time.",
    "audits.services.findings.x__close_response__mutmut_14":
        "save() of every field instead of the four changed: the row is locked by the caller, the values are the "
        "same.",
    "audits.services.findings.x_rejection_letter_issue__mutmut_25":
        "the actor is always a user with a pk here (finding_reject requires finding.review of the actor).",
    "audits.services.findings.x_rejection_letter_issue__mutmut_30":
        "getattr without its default: the actor is always a user here (finding_reject requires its role).",
    "qms.rules.evaluation.x_verdict_expression__mutmut_3":
        "output_field=None: Django infers BooleanField from the CASE's boolean Values; same SQL, same values.",
    "qms.rules.evaluation.x_verdict_expression__mutmut_6":
        "output_field dropped: Django infers BooleanField from the CASE's boolean Values; same SQL, same values.",
    "qms.rules.evaluation.x_with_compliance_facts__mutmut_4":
        "select_related(None) drops a join that only saves a query to callers reading agency.qms; every fact "
        "and verdict is an annotation, unchanged.",
    "qms.rules.facts.x_legal_update_filters__mutmut_4":
        "updated_on__isnull=False dropped: a NULL updated_on already fails updated_on <= as_of, and Django adds "
        "IS NOT NULL itself when ~made negates a lookup on the nullable column.",
    "qms.rules.facts.x_legal_facts__mutmut_147":
        "Coalesce(own_next, NULL) in LEAST: PostgreSQL's LEAST ignores NULL arguments (the Coalesce keeps other "
        "databases NULL-safe).",
    "qms.rules.facts.x_legal_facts__mutmut_151":
        "Coalesce(due_next, NULL) in LEAST: PostgreSQL's LEAST ignores NULL arguments.",
    "qms.rules.facts.x__count__mutmut_17":
        "output_field=None: the subquery's one column is a Count, an integer either way.",
    "qms.rules.facts.x__count__mutmut_19":
        "output_field dropped: the subquery's one column is a Count, an integer either way.",
    "qms.rules.facts.x__latest__mutmut_14":
        "[:1] becomes [:2]: grouped by the qms it is filtered on, the subquery has one row at most.",
    "qms.rules.facts.x__earliest__mutmut_14":
        "[:1] becomes [:2]: grouped by the qms it is filtered on, the subquery has one row at most.",
    **{f"qms.rules.evaluation.{function}__mutmut_{n}":
       "zip's strict flag: each row has one value per column name and one verdict per rule, so the lengths always "
       "agree." for function, numbers in (("x_judged", (14, 17, 18)), ("x_summary_by_kind", (10, 12, 13)),
                                          ("x_kind_summary", (31, 34, 35))) for n in numbers},
    "qms.rules.evaluation.x_evaluate_agencies__mutmut_5":
        "in_bulk(None) reads every agency instead of the page's: the page's are then taken from it, the same.",
    "qms.rules.facts.x__count__mutmut_11":
        "[:1] becomes [:2]: the subquery is grouped by the very parent it is filtered on, so it has one row at most.",
    "qms_portal.uploads.x_detect_kind__mutmut_4":
        "read(None) instead of read(8): the signatures are read with startswith, and the file is rewound after.",
    "qms_portal.uploads.x_detect_kind__mutmut_5":
        "read(9) instead of read(8): the signatures are read with startswith, and the file is rewound after.",
    "qms_portal.uploads.x_detect_kind__mutmut_7":
        "seek(1) before the ZIP check: zipfile finds the archive from its end; the file is rewound after.",
    "qms_portal.uploads.x_validate_upload__mutmut_55":
        "\"XXXX\" for a missing name: no dot either, so no extension to compare, as for \"\".",
    "qms_portal.uploads.x_validate_upload__mutmut_64":
        "rsplit without maxsplit: the last part of a name is the same however many splits are made.",
    "qms_portal.uploads.x_validate_upload__mutmut_67":
        "rsplit with maxsplit 2: the last part of a name is the same however many splits are made.",
    "qms_portal.uploads.x_validate_upload__mutmut_68":
        "[+1] instead of [-1] of a split in two (the name has a dot): the same second part.",
    "qms_portal.uploads.x__zip_kind__mutmut_13":
        "max(packed, 2) instead of 1: packed is 0 only for empty members (then unpacked is 0 too) and never 1.",
    "qms_portal.uploads.x__zip_kind__mutmut_39":
        "rsplit without maxsplit: the last part of a path is the same however many splits are made.",
    "qms_portal.uploads.x__zip_kind__mutmut_42":
        "rsplit with maxsplit 2: the last part of a path is the same however many splits are made.",
    "qms_portal.uploads.x_sha256_of__mutmut_9":
        "another chunk size (or one read): the digest of the whole file is the same.",
    "qms_portal.uploads.x_sha256_of__mutmut_11":
        "another chunk size (or one read): the digest of the whole file is the same.",
    "qms_portal.uploads.x_sha256_of__mutmut_12":
        "another chunk size (or one read): the digest of the whole file is the same.",
    "qms.services.x__check_past_dates__mutmut_11":
        "getattr without its default: every field named is the model's own, so the default is never used.",
    "qms.services.x__clean_text_fields__mutmut_6":
        "and becomes or: every str-valued field of the QMS models is a CharField or TextField (URL and e-mail "
        "fields report CharField), so the same fields are cleaned.",
    "qms.services.x__set_also_covers__mutmut_5":
        "values_list(flat=True) without the field name yields the first field, the primary key: the one named.",
    "qms.services.x__move_stage__mutmut_10":
        "< becomes <=: equal indexes mean the same stage, which returned at the top of _move_stage.",
}


def scratch_copy(target: Path, *, fresh: bool = True) -> None:
    """The tracked files of the working tree (as they are now) and the compiled catalogues; `fresh=False` copies
    them over an earlier run's scratch, keeping mutmut's mutants and results."""
    if fresh and target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for mo in ROOT.glob("locale/*/LC_MESSAGES/*.mo"):
        shutil.copy2(mo, target / mo.relative_to(ROOT))


def mutmut_section(module: Module, tests: list[str]) -> str:
    apps = sorted({path.split("/")[0] for path in module.files})
    others = ["accounts", "agencies", "audits", "qms", "qms_portal", "reports", "devdata", "bench", "templates",
              "static", "locale", "docs", "manage.py", "pytest.ini", "tools"]

    def toml_list(items):
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    return "\n".join([
        "", "[tool.mutmut]",
        f"source_paths = {toml_list(apps)}",
        f"only_mutate = {toml_list(module.files)}",
        f"also_copy = {toml_list([o for o in others if o not in apps])}",
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "--reuse-db", "-q", "-x"]',
        "", ""])


@dataclass
class Outcome:
    module: Module
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)
    survivors: list = field(default_factory=list)
    error: str = ""

    @property
    def killed(self) -> int:
        return self.counts.get("killed", 0) + self.counts.get("timeout", 0)

    @property
    def judged(self) -> int:
        return sum(n for status, n in self.counts.items() if status in ("killed", "timeout", "survived"))

    @property
    def score(self) -> float | None:
        return 100.0 * self.killed / self.judged if self.judged else None


def run_module(module: Module, env: dict, *, budget_minutes: float = 0, survivors: bool = False) -> Outcome:
    """Mutate `module` from scratch, or (`survivors`) re-run only the mutants that survived its last run, then those
    not checked (new, or of a function changed since) or without tests, against the tests as they are now; the
    rest stands."""
    outcome = Outcome(module)
    tests = [t for t in module.tests if (ROOT / t).exists()]
    if not tests:
        outcome.error = "no test file of this module exists"
        return outcome
    work = SCRATCH / module.name
    if survivors and not work.exists():
        outcome.error = "no earlier run to resume: run it without --survivors first"
        return outcome
    names = [name for name, status in statuses(work, env).items() if status == "survived"] if survivors else []
    scratch_copy(work, fresh=not survivors)
    with (work / "pyproject.toml").open("a") as config:
        config.write(mutmut_section(module, tests))
    started = time.monotonic()
    deadline = started + budget_minutes * 60 if budget_minutes else None
    log = work / "mutmut.log"
    returncode = mutmut_run(work, env, names, log, deadline)
    if survivors and returncode is not None:  # then the mutants the first pass regenerated or never reached
        unchecked = [name for name, status in statuses(work, env).items() if status in ("not checked", "no tests")]
        if unchecked:
            returncode = mutmut_run(work, env, unchecked, log, deadline)
    if returncode is None:
        outcome.error = f"stopped after {budget_minutes:g} min (--budget-minutes): the rest is not checked"
    outcome.seconds = time.monotonic() - started
    if survivors and (work / "mutate-seconds.txt").exists():  # the time of the whole module: first run + this one
        outcome.seconds += float((work / "mutate-seconds.txt").read_text().split("\n", 1)[0] or 0)
    (work / "mutate-seconds.txt").write_text(f"{outcome.seconds:.0f}\n{outcome.error}")
    collect(outcome, work, env)
    if returncode not in (0, None) and not outcome.counts:
        outcome.error = f"mutmut exited {returncode}; see {log.relative_to(ROOT)}:\n" + log.read_text(
            errors="replace")[-1500:]
    return outcome


def mutmut_run(work: Path, env: dict, names: list[str], log: Path, deadline: float | None) -> int | None:
    """`mutmut run` in `work` (all mutants, or `names`), one at a time; None when stopped at `deadline` (what was
    checked by then is kept)."""
    with log.open("ab") as out:
        run = subprocess.Popen([sys.executable, "-m", "mutmut", "run", "--max-children", "1", *names], cwd=work,
                               env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return run.wait(timeout=max(1.0, deadline - time.monotonic()) if deadline else None)
        except subprocess.TimeoutExpired:  # stop mutmut and its forked test runs
            os.killpg(run.pid, signal.SIGTERM)
            run.wait(timeout=60)
            return None


def statuses(work: Path, env: dict) -> dict[str, str]:
    """Each mutant's status in `work`: killed, survived, timeout, no tests, not checked..."""
    results = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=work, env=env,
                             capture_output=True, text=True)
    found = (re.match(r"\s*(\S+__mutmut_\d+): (.+)$", line) for line in results.stdout.splitlines())
    return {match.group(1): match.group(2).strip() for match in found if match}


def collect(outcome: Outcome, work: Path, env: dict) -> None:
    """Read mutmut's results in `work` (after a run, or later with --report-only)."""
    for name, status in statuses(work, env).items():
        outcome.counts[status] = outcome.counts.get(status, 0) + 1
        if status == "survived":
            diff = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=work, env=env,
                                  capture_output=True, text=True).stdout
            outcome.survivors.append((name, diff))


TABLE_HEAD = "| module | files | tests | mutants | killed | survived | equivalent | other | score | time |"
SCORE_NOTE = ("Score = killed / (killed + survived), equivalent mutants left out. \"other\": not run, no tests "
              "or suspicious (see mutmut's log in var/mutation/<module>/mutmut.log).")


def row_cells(o: Outcome) -> list[str]:
    """The module's row of the table: name, files, tests, mutants, killed, survived, equivalent, other, score, time."""
    equivalent = sum(1 for name, _ in o.survivors if name in EQUIVALENT)
    survived = len(o.survivors) - equivalent
    other = sum(n for s, n in o.counts.items() if s not in ("killed", "timeout", "survived"))
    judged = o.killed + survived
    return [o.module.name, ", ".join(o.module.files), ", ".join(o.module.tests), str(sum(o.counts.values())),
            str(o.killed), str(survived), str(equivalent), str(other),
            f"{100.0 * o.killed / judged:.1f}%" if judged else "-", f"{o.seconds / 60:.1f} min"]


def section(o: Outcome) -> str:
    lines = [f"## {o.module.name}", ""]
    if o.error:
        lines += ["Note: " + o.error.splitlines()[0], ""]
    counts = ", ".join(f"{status}: {n}" for status, n in sorted(o.counts.items()))
    lines += [f"Results: {counts or 'none'}.", ""]
    for name, diff in o.survivors:
        reason = EQUIVALENT.get(name)
        lines.append(f"### {name}" + (" (equivalent)" if reason else " (survived)"))
        if reason:
            lines += ["", reason]
        lines += ["", "```diff", diff.strip(), "```", ""]
    return "\n".join(lines).rstrip("\n")


@dataclass
class Earlier:
    """What an earlier report says: each module's row and section, and the notes written by hand below the table.
    A module with no results on this machine (var/mutation/ is not kept) keeps its row and section from it."""
    rows: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    notes: str = ""

    @classmethod
    def read(cls, text: str) -> "Earlier":
        earlier = cls()
        body, _, rest = text.partition("\n## ")
        for line in body.splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) == 10 and cells[0] in {m.name for m in MODULES}:
                earlier.rows[cells[0]] = cells
        if SCORE_NOTE in body:
            earlier.notes = body.split(SCORE_NOTE, 1)[1].strip()
        for part in ("## " + rest).split("\n## ") if rest else []:
            name = part.removeprefix("## ").split("\n", 1)[0].strip()
            earlier.sections[name] = "## " + part.removeprefix("## ").rstrip("\n")
        return earlier


def markdown(outcomes: list[Outcome], earlier: Earlier | None = None) -> str:
    """The report: the modules run (or read) now, and the others as `earlier` reported them, in MODULES order."""
    earlier = earlier or Earlier()
    fresh = {o.module.name: o for o in outcomes}
    rows, sections = [], []
    for module in MODULES:
        if module.name in fresh:
            rows.append(row_cells(fresh[module.name]))
            sections.append(section(fresh[module.name]))
        elif module.name in earlier.rows:
            rows.append(earlier.rows[module.name])
            sections.append(earlier.sections.get(module.name, f"## {module.name}"))
    lines = ["# Mutation testing of the rule modules", "",
             "Written by `make mutate` (tools/mutate.py, mutmut). Each module is mutated against only the tests",
             "that concern it, on PostgreSQL, one mutant at a time. A mutant is *killed* when a test fails (or it",
             "times out); a *survivor* is a change no test noticed: each is either to be killed by a new test or",
             "listed as equivalent (tools/mutate.py, EQUIVALENT) with the reason.", "",
             "mutmut mutates the bodies of functions and methods, not module-level tables (the capability table",
             "`agencies.access.CAPABILITIES`, the rules' predicates in `qms.rules.registry.RULES`): those are held by",
             "the permission matrix and the SQL = Python rule tests instead. A rule's explanation is a top-level",
             "function bound with `partial`, so that it is mutated and each call reaches the mutant.",
             "\"no tests\": no selected test calls the function (add the module's other tests to MODULES).",
             "Time: 0.5-60 s per mutant (a killed one stops at its first failing test; a survivor runs them all):",
             "on the 2-core machine, two modules at a time, rules' 870 mutants took 17 min and qms_lifecycle's 502",
             "10 min; the audits modules (whose tests build a whole inspection world) 10-20 s a survivor, and",
             "report_generation (real workers, whole reports compiled) up to a minute a survivor: its 475",
             "mutants in 59 min, findings' 289 in 52 min. The whole list takes about four hours of one core.",
             "`--budget-minutes N` stops each module after N minutes (mutmut runs the fastest mutants first) and",
             "counts the rest as not checked; the score is over the mutants checked. `--survivors` re-runs the",
             "survivors of the last run, then what is unchecked (a changed test list makes mutmut start the module",
             "over);",
             "`--report-only` rewrites this file from the results kept in var/mutation/; a module with no results",
             "there (a fresh checkout) keeps its row and section from this file, as do the notes below the table.",
             "",
             TABLE_HEAD,
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    if len(rows) > 1:
        total = lambda column: sum(int(cells[column]) for cells in rows)  # noqa: E731
        killed, survived = total(4), total(5)
        minutes = sum(float(cells[9].split()[0]) for cells in rows)
        score = f"{100.0 * killed / (killed + survived):.1f}%" if killed + survived else "-"
        lines.append(f"| all | | | {total(3)} | {killed} | {survived} | {total(6)} | | {score} | {minutes:.0f} min |")
    lines += ["", SCORE_NOTE]
    if earlier.notes:
        lines += ["", earlier.notes]
    for text in sections:
        lines += ["", text]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", help="comma-separated names: " + ", ".join(m.name for m in MODULES))
    parser.add_argument("--budget-minutes", type=float, default=0,
                        help="stop each module's run after this long (0: no limit); unchecked mutants are counted")
    parser.add_argument("--report-only", action="store_true",
                        help="write the report from the results of earlier runs in var/mutation/ (no mutation run)")
    parser.add_argument("--survivors", action="store_true",
                        help="re-run only the mutants that survived the last run of each module (after new tests)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "mutation.md")
    args = parser.parse_args(argv)
    chosen = MODULES
    if args.modules:
        wanted = set(args.modules.split(","))
        unknown = wanted - {m.name for m in MODULES}
        if unknown:
            parser.error(f"unknown module(s): {', '.join(sorted(unknown))}")
        chosen = [m for m in MODULES if m.name in wanted]
    env = {**os.environ, "DATABASE_URL": os.environ.get("MUTATE_DATABASE_URL",
                                                        "postgres://postgres@127.0.0.1:5432/qms_mutate")}
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    outcomes = []
    for module in chosen:
        verb = "reading" if args.report_only else "mutating"
        print(f"{verb} {module.name} ({', '.join(module.files)}) ...", flush=True)
        if args.report_only:
            outcome, work = Outcome(module), SCRATCH / module.name
            if not work.exists():
                continue
            timing = (work / "mutate-seconds.txt").read_text().split("\n", 1) if (
                work / "mutate-seconds.txt").exists() else ["0", ""]
            outcome.seconds, outcome.error = float(timing[0] or 0), timing[1].strip()
            collect(outcome, work, env)
        else:
            outcome = run_module(module, env, budget_minutes=args.budget_minutes, survivors=args.survivors)
        score = f"{outcome.score:.1f}%" if outcome.score is not None else "-"
        print(f"  {outcome.counts} score {score} in {outcome.seconds / 60:.1f} min {outcome.error[:200]}", flush=True)
        outcomes.append(outcome)
    earlier = Earlier.read(args.output.read_text()) if args.output.exists() else Earlier()
    args.output.write_text(markdown(outcomes, earlier))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
