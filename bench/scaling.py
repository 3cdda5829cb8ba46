"""The scaling table of docs/bench.md: the same pages at several national sizes, so that growth is visible.

    python -m bench.scaling [--scales 0.1,1,5] [--runs 3] [--requests 10] [--output docs]

A scale factor is a multiple of the national data set (20,000 agencies): 0.1 is 2,000 agencies (a tenth of every
province), 1 the national set, 5 is 100,000 agencies (every commune and five times the other units). Each size
lives in its own database (`qms_bench_0_1`, `qms_bench` as `make bench` uses, `qms_bench_100k`), generated
when absent (`generate_scale_data`: ~3 min for 20,000 agencies, ~15 min for 100,000 on 2 cores).

Each size is measured in its own process (`--one`) with its own gunicorn, Celery worker and beat, exactly as
`bench.run` measures pages (no rush, no reports); the results go to `bench-scaling.json` in --output and
`bench.md` is re-rendered from `bench.json` with the table. Ratios to the bare view measured in the same run are
what to compare across sizes: the shared machine's load moves the milliseconds, much less the ratios.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import run

# Growth from the first to the second size (issue 18: less than 1.5x from 2,000 to 20,000 agencies).
GROWTH_LIMIT = 1.5
GROWTH_PAGES = ("agency_search_national", "findings_overdue_national")


def profile_of(factor: float) -> dict:
    agencies = round(20000 * max(factor, 1.0))
    scale = min(factor, 1.0)
    if factor == 1:
        db = "qms_bench"
    elif factor < 1:
        db = f"qms_bench_{str(factor).replace('.', '_')}"
    else:
        db = f"qms_bench_{agencies // 1000}k"
    return {**run.PROFILES["full"], "scale": scale, "agencies": agencies, "db": db, "name": f"x{factor:g}"}


def measure_one(factor: float, runs: int, requests: int, out: Path) -> None:
    from bench import services

    profile = profile_of(factor)
    env = run.bench_env(profile)
    run.log(f"scale x{factor:g}: {profile['agencies']} agencies at scale {profile['scale']}, {env['DATABASE_URL']}")
    services.ensure(env["DATABASE_URL"], env["REDIS_URL"], log=run.log)
    services.flush_redis(env["REDIS_URL"])
    run.django_setup(env)
    run.manage("migrate", "--noinput", "-v0", env=env)
    marker = run.ensure_data(profile, env)
    from agencies.models import Agency
    from devdata.management.commands.generate_scale_data import DEFAULT_PASSWORD

    subjects = run.pick_subjects()
    workdir = Path(tempfile.mkdtemp(prefix="qms-bench-scaling-"))
    port = run.free_port()
    base = f"http://127.0.0.1:{port}"
    result = {"factor": factor, "agencies": Agency.objects.count(), "generated": marker,
              "load_before": [round(v, 2) for v in os.getloadavg()],
              "subjects": {k: v for k, v in subjects.items() if k != "tokens"}}
    with run.Servers(env, port, 3, profile["budget"], workdir) as servers:
        servers.wait_ready()
        result["warming"] = servers.wait_warmed()
        found = run.endpoints(subjects)
        result["pages"] = run.measure_pages(base, subjects, found, DEFAULT_PASSWORD, runs, requests)
    result["load_after"] = [round(v, 2) for v in os.getloadavg()]
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")


def growth(sizes: list[dict]) -> list[dict]:
    """The national pages' ratio to the bare view, at the second size against the first."""
    if len(sizes) < 2:
        return []
    first, second = sizes[0], sizes[1]

    def ratio(size, key):
        entry = next((e for e in size["pages"]["pages"] if e["key"] == key), None)
        return entry and entry["by_subject"]["national"]["p50_ratio_to_bare"]

    rows = []
    for key in GROWTH_PAGES:
        a, b = ratio(first, key), ratio(second, key)
        if a and b:
            rows.append({"key": key, "from": first["agencies"], "to": second["agencies"], "x_bare_from": a,
                         "x_bare_to": b, "growth": round(b / a, 2), "limit": GROWTH_LIMIT,
                         "pass": b / a < GROWTH_LIMIT})
    return rows


def render(scaling: dict) -> list[str]:
    """The scaling section of docs/bench.md."""
    sizes = scaling["sizes"]
    if not sizes:
        return []
    out = ["", "## Scaling: the same pages at " + ", ".join(f"{s['agencies']:,}" for s in sizes) + " agencies", "",
           f"Measured {scaling['date']} by `{scaling['command']}` (each size with its own gunicorn, worker and beat; "
           "p50 of the median run, queries per request, and the p50 as a multiple of the bare view measured in the "
           "same run: steadier than the milliseconds on a shared machine, though heavy load compresses them).", ""]
    head = "| page | subject | " + " | ".join(f"{s['agencies']:,}: p50 ms / queries / x bare" for s in sizes) + " |"
    out += [head, "|---|---|" + "---:|" * len(sizes)]
    out.append("| bare view (anchor) | – | " + " | ".join(
        f"{s['pages']['bare']['p50_ms']} / {s['pages']['bare']['queries']} / 1" for s in sizes) + " |")
    for entry in sizes[0]["pages"]["pages"]:
        for subject in entry["by_subject"]:
            cells = []
            for size in sizes:
                other = next((e for e in size["pages"]["pages"] if e["key"] == entry["key"]), None)
                f = other and other["by_subject"].get(subject)
                cells.append(f"{f['p50_ms']} / {f['queries']} / {f['p50_ratio_to_bare']}" if f else "–")
            out.append(f"| {entry['label']} | {subject} | " + " | ".join(cells) + " |")
    warm = [f"{s['agencies']:,}: {s['warming'].get('task_seconds')} s for {s['warming'].get('scopes')} scopes"
            for s in sizes if s.get("warming", {}).get("warmed")]
    if warm:
        out += ["", "Beat's dashboard warming (`agencies.dashboards_warm`, worker time a minute): " + "; ".join(warm)
                + "."]
    loads = [f"{s['agencies']:,}: {s.get('load_before')} / {s.get('load_after')}" for s in sizes]
    out += ["", "Load average of the machine (1, 5, 15 min) before / after each size: " + "; ".join(loads) + "."]
    subjects = [f"{s['agencies']:,}: large province {s['subjects']['large']['province']} "
                f"({s['subjects']['large']['agencies']} agencies), small {s['subjects']['small']['province']} "
                f"({s['subjects']['small']['agencies']})" for s in sizes]
    out += ["", "Subjects: " + "; ".join(subjects) + "."]
    if scaling.get("growth"):
        out += ["", "Growth of the national pages (issue 18: their ratio to the bare view grows less than "
                f"{GROWTH_LIMIT}x from the first size to the second):", "",
                "| page | x bare at first size | x bare at second size | growth | |", "|---|---:|---:|---:|---|"]
        out += [f"| {row['key']} | {row['x_bare_from']} ({row['from']:,}) | {row['x_bare_to']} ({row['to']:,}) | "
                f"{row['growth']}x | {run.mark(row['pass'])} |" for row in scaling["growth"]]
    if scaling.get("note"):
        out += ["", scaling["note"]]
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="0.1,1,5", help="Scale factors (x 20,000 agencies), comma-separated.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--output", default=str(run.ROOT / "docs"))
    parser.add_argument("--note", default="", help="A remark printed under the table.")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--to", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        measure_one(args.one, args.runs, args.requests, Path(args.to))
        return 0
    factors = [float(v) for v in args.scales.split(",")]
    sizes = []
    workdir = Path(tempfile.mkdtemp(prefix="qms-bench-scaling-"))
    for factor in factors:
        out = workdir / f"x{factor:g}.json"
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "bench.scaling", "--one", str(factor), "--to", str(out), "--runs",
                        str(args.runs), "--requests", str(args.requests)], cwd=run.ROOT, check=True,
                       env={**os.environ, "PYTHONPATH": str(run.ROOT)})
        size = json.loads(out.read_text())
        size["seconds"] = round(time.monotonic() - started, 1)
        sizes.append(size)
        run.log(f"x{factor:g}: done in {size['seconds']} s")
    output = Path(args.output)
    command = f"python -m bench.scaling --scales {args.scales} --runs {args.runs} --requests {args.requests}"
    scaling = {"date": time.strftime("%Y-%m-%d"), "command": command, "sizes": sizes, "growth": growth(sizes),
               "note": args.note}
    (output / "bench-scaling.json").write_text(json.dumps(scaling, indent=2, ensure_ascii=False) + "\n")
    print("\n".join(render(scaling)))
    if (output / "bench.json").exists():
        run.main(["--render-only", "--output", str(output)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
