"""The consolidated-report figures (issue 5), from the reports engineer's `bench.consolidated_reports.run`, in a process
of their own so that the peak memory is the report work's and not the benchmark runner's.

    python -m bench.reports_figures --agencies 1000 --national 20000 --output figures.json

`--national` is the size the national roll-up should cover; the agencies already in the database count
towards it (on the full data set the roll-up runs over the generated 20,000 agencies).
"""

import argparse
import dataclasses
import json
import os
import resource
import sys


def _rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--national", type=int, default=0)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from qms_portal.gc_freeze import freeze_loaded_objects

    freeze_loaded_objects()  # as each Celery pool process does when it starts (qms_portal.celery)
    from agencies.models import Agency
    from bench import consolidated_reports as benchmark

    existing = Agency.objects.count()
    national = 0
    if args.national:
        # what the benchmark builds (a province and a tenth of it) plus what is there already
        national = max(1, args.national - existing)
        national = national + args.agencies + max(args.agencies // 10, 10) if national > 1 else 1
    from bench import annex_engines

    lines: list[str] = []
    engines: dict = {}

    def province_figures(period) -> str:
        engines.update(annex_engines.measure(period))
        return annex_engines.summary(engines)

    results = benchmark.run(agencies=args.agencies, national=national, out=lines.append,
                            province_figures=province_figures)
    rows = []
    for result in results:
        row = dataclasses.asdict(result) if dataclasses.is_dataclass(result) else dict(result)
        if hasattr(result, "prep_ratio"):
            row["prep_ratio"] = result.prep_ratio
        rows.append({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()})
    peak = getattr(benchmark, "peak_memory_mb", None)
    figures = {
        "results": rows,
        "peak_memory_mb": round(peak() if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "agencies_in_database_before": existing,
        "annex": _rounded(engines),
        "log": lines,
        "note": "peak memory is this process's high-water mark, including building the benchmark's own province",
    }
    with open(args.output, "w") as out:
        json.dump(figures, out, indent=2, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
