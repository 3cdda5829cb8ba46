"""Benchmark of the consolidated reports (`make bench`, through bench.reports_figures).

Builds a synthetic province of N agencies (default 1,000) with QMS files, announcements, procedures, internal
audits, reviews and agency reports, inside a transaction that is rolled back at the end (the database is left
as it was; the generated files go to a temporary folder). It then compiles the provincial report once, as the
worker does, and times separately: data gathering (with its query count), HTML preparation, WeasyPrint
rendering, the XLSX and storing. The same gathering is run on a province a tenth of the size to show the query
count does not grow. Optionally (--national N) the national roll-up over N agencies: summary PDF and XLSX.

Peak memory is the process's resource.getrusage high-water mark, which includes building the synthetic data:
an upper bound of what a worker needs.
"""

import os
import resource
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from devdata.scale.province import build_province


class _Rollback(Exception):
    pass


@dataclass
class Result:
    label: str
    agencies: int
    gather: float
    queries: int
    html: float
    pdf: float
    xlsx: float
    store: float
    total: float
    pages: int
    pdf_bytes: int
    xlsx_bytes: int
    cpu: dict

    @property
    def prep_ratio(self) -> float:
        return (self.gather + self.html) / self.pdf if self.pdf else 0.0


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


@dataclass
class Timings:
    """Seconds (wall and CPU of this process) of each step of the worker, and the queries of the gathering: the
    `stage` hook of reports.generation.report_generate, so no timing code sits in the production task."""

    wall: dict = field(default_factory=dict)
    cpu: dict = field(default_factory=dict)
    queries: int = 0

    @contextmanager
    def stage(self, name: str):
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            yield
        self.wall[name] = time.perf_counter() - started
        self.cpu[name] = time.process_time() - cpu
        if name == "gather":
            self.queries = len(queries)


def _generate(report_id: int) -> Timings:
    from reports.generation import report_generate

    timings = Timings()
    report_generate(report_id=report_id, stage=timings.stage)
    return timings


def _result(label: str, report, timings, total: float) -> Result:
    from pypdf import PdfReader

    report.refresh_from_db()
    agencies = report.summary.get("agencies", 0)
    pages = len(PdfReader(report.pdf.file.path).pages)
    wall = timings.wall
    return Result(label, agencies, wall["gather"], timings.queries, wall["html"], wall["pdf"], wall["xlsx"],
                  wall["store"], total, pages, report.pdf.size, report.xlsx.size, timings.cpu)


def run(*, agencies: int = 1000, national: int = 0, out=print, province_figures=None) -> list[Result]:
    """`province_figures(period)`, if given, measures more on the large province and returns a line to log."""
    from reports.models import ConsolidatedReport, ReportStatus
    from reports.selectors import completeness

    results: list[Result] = []
    today = timezone.localdate()
    year = today.year
    media = tempfile.mkdtemp(prefix="qms-bench-")
    with override_settings(MEDIA_ROOT=media):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                province, period = build_province(code=9001, name="Thử Nghiệm", agencies=agencies, year=year,
                                                  today=today)
                small, small_period = build_province(code=9002, name="Nhỏ", agencies=max(agencies // 10, 10),
                                                     year=year, today=today, seed=2)
                out(f"built {agencies} + {max(agencies // 10, 10)} agencies in {time.perf_counter() - started:.1f} s")
                # Query counts of the gathering do not depend on the number of agencies.
                with CaptureQueriesContext(connection) as small_queries:
                    completeness(period=small_period)
                with CaptureQueriesContext(connection) as big_queries:
                    completeness(period=period)
                out(f"completeness queries: {len(small_queries)} (small province) vs {len(big_queries)} "
                    f"({agencies} agencies)")
                for label, chosen in (("small", small_period), ("province", period)):
                    report = ConsolidatedReport.objects.create(
                        kind="provincial", province=chosen.province, period=chosen, year=year,
                        period_kind="annual", scope_key=f"bench/{chosen.pk}", issuer=chosen.province.portal_settings
                        .lead_agency, verification_code=f"BENCH{chosen.pk:05d}"[:16])
                    started = time.perf_counter()
                    timings = _generate(report.pk)
                    total = time.perf_counter() - started
                    report.refresh_from_db()
                    if report.status != ReportStatus.DONE:
                        raise RuntimeError(report.error)
                    results.append(_result(f"provincial ({label})", report, timings, total))
                if province_figures is not None:
                    out(province_figures(period))
                if national:
                    extra = national - agencies - max(agencies // 10, 10)
                    if extra > 0:
                        build_province(code=9003, name="Quốc Gia", agencies=extra, year=year, today=today, seed=3)
                    report = ConsolidatedReport.objects.create(
                        kind="national", year=year, period_kind="annual", scope_key="bench/national",
                        verification_code="BENCHNATIONAL")
                    started = time.perf_counter()
                    timings = _generate(report.pk)
                    total = time.perf_counter() - started
                    results.append(_result("national roll-up", report, timings, total))
                raise _Rollback
        except _Rollback:
            pass
    out(table(results))
    out(f"worker peak memory (ru_maxrss, includes building the data): {peak_memory_mb():.0f} MB")
    _cleanup(media)
    return results


def _cleanup(folder: str) -> None:
    for root, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            os.remove(os.path.join(root, name))
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(folder)


def table(results: list[Result]) -> str:
    head = (f"{'report':<22}{'agencies':>9}{'gather s':>9}{'queries':>8}{'html s':>8}{'pdf s':>8}{'pages':>7}"
            f"{'xlsx s':>8}{'store s':>8}{'total s':>8}{'prep/pdf':>9}")
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(f"{r.label:<22}{r.agencies:>9}{r.gather:>9.2f}{r.queries:>8}{r.html:>8.2f}{r.pdf:>8.2f}"
                     f"{r.pages:>7}{r.xlsx:>8.2f}{r.store:>8.2f}{r.total:>8.2f}{r.prep_ratio:>8.0%}")
    lines += ["", "CPU seconds of the worker process (what a dedicated core needs, whatever else runs):"]
    for r in results:
        cpu = r.cpu
        prep = (cpu.get("gather", 0) + cpu.get("html", 0)) / cpu["pdf"] if cpu.get("pdf") else 0
        lines.append(f"{r.label:<22} gather {cpu.get('gather', 0):.2f}  html {cpu.get('html', 0):.2f}  "
                     f"pdf {cpu.get('pdf', 0):.2f}  xlsx {cpu.get('xlsx', 0):.2f}  "
                     f"total {sum(cpu.values()):.2f}  prep/pdf {prep:.0%}")
    return "\n".join(lines)
