"""Fail when an app module is covered below the floor: reads the JSON report of coverage.py.

    python -m coverage json && python tools/coverage_floor.py [--floor 85] [--report var/coverage/coverage.json]

Prints each module under the floor with its percentage and exits 1 if there is one (0 otherwise). Modules too
small to matter (fewer than `--min-statements` statements) are not judged. The floor is also read from the
environment (COVERAGE_FLOOR), so that a run can lower it while tests are being added.
"""

import argparse
import json
import os
import sys
from pathlib import Path

DEFAULT_REPORT = Path("var/coverage/coverage.json")


def below_floor(report: dict, *, floor: float, min_statements: int = 1) -> list[tuple[str, float, int]]:
    """(path, percent covered, statements) of every module under `floor`, lowest first."""
    low = []
    for path, data in report["files"].items():
        summary = data["summary"]
        if summary["num_statements"] < min_statements:
            continue
        percent = summary["percent_covered"]
        if percent < floor:
            low.append((path, percent, summary["num_statements"]))
    return sorted(low, key=lambda item: (item[1], item[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", type=float, default=float(os.environ.get("COVERAGE_FLOOR", 85)))
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    parser.add_argument("--min-statements", type=int, default=1)
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text())
    low = below_floor(report, floor=args.floor, min_statements=args.min_statements)
    total = report["totals"]["percent_covered"]
    if not low:
        print(f"coverage floor: every app module is at {args.floor:g}% or more (total {total:.1f}%)")
        return 0
    print(f"coverage floor: {len(low)} app module(s) under {args.floor:g}% (total {total:.1f}%):")
    for path, percent, statements in low:
        print(f"  {percent:5.1f}%  {path}  ({statements} statements)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
