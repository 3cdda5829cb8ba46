"""`make bench`: the portal at national scale, measured on PostgreSQL + Redis with gunicorn and a real worker.

    python -m bench.run [--scale full|small|0.1] [--output docs] [--runs N] [--requests N] ...

1. PostgreSQL and Redis (started as `.ci/run` does when down), a dedicated database (`qms_bench`, or
   `qms_bench_small` for the small profile) and Redis db 12, unless DATABASE_URL / REDIS_URL say otherwise;
2. migrate, then `generate_scale_data` (skipped when the same data set is already there);
3. gunicorn (127.0.0.1 only), a celery worker and celery beat (as docker-compose.yml runs them), each under
   `timeout` so they cannot outlive the run; the pages wait until beat's `agencies.dashboards_warm` has filled
   the dashboard figures (Redis is flushed first), as readers find them in production;
4. pages and API calls: p50/p95 over N requests, median of R runs, SQL queries per request (from the
   bench-only `X-Bench-Queries` header), each on a small and a large subject of the same data set (smallest and
   largest province, a thin and a thick QMS file) to show the query count does not grow; anchor: a bare view;
5. deadline rush with locust (headless, bounded), anchored on the same load against the bare view;
6. the consolidated-report figures from `bench.consolidated_reports` (in its own process, for its peak memory);
7. a table on stdout, `docs/bench.json` and `docs/bench.md`, every figure with its target and pass / miss.
"""

import argparse
import csv
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BIN = Path(PY).parent

PROFILES = {
    "full": {"scale": 1.0, "db": "qms_bench", "runs": 5, "requests": 20, "rush_users": 200, "rush_spawn": 4.0,
             "rush_time": 120, "rush_runs": 3, "reports_agencies": 1000, "reports_national": 20000,
             "budget": 3600},
    "small": {"scale": 0.02, "db": "qms_bench_small", "runs": 2, "requests": 3, "rush_users": 20, "rush_spawn": 5.0,
              "rush_time": 12, "rush_runs": 1, "reports_agencies": 60, "reports_national": 0, "budget": 600},
}
TARGETS = {"p95_ms": 200, "queries": 20, "rush_p95_ms": 500, "rush_errors": 0, "rush_throughput_ratio": 0.5}
SEED = 2025


_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[bench {time.monotonic() - _T0:6.0f}s] {message}", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "full"),
                        help="full (20,000 agencies), small (a few hundred, for CI) or a fraction such as 0.1")
    parser.add_argument("--output", default=str(ROOT / "docs"), help="Folder for bench.json and bench.md.")
    parser.add_argument("--runs", type=int, help="Runs per page measurement (median taken).")
    parser.add_argument("--requests", type=int, help="Requests per page per run.")
    parser.add_argument("--rush-users", type=int)
    parser.add_argument("--rush-time", type=int, help="Seconds per rush run.")
    parser.add_argument("--rush-runs", type=int)
    parser.add_argument("--think", default="3,10", help="Think time of a rush user between clicks, min,max seconds.")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, on 2 cores).")
    parser.add_argument("--skip-rush", action="store_true")
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument("--skip-legal", action="store_true")
    parser.add_argument("--note", default="", help="A remark stored with the results (e.g. 'machine shared').")
    parser.add_argument("--render-only", action="store_true",
                        help="Only rewrite bench.md from bench.json (and bench-analysis.md) in --output.")
    args = parser.parse_args(argv)
    if args.scale in PROFILES:
        profile = dict(PROFILES[args.scale], name=args.scale)
    else:
        fraction = float(args.scale)
        profile = dict(PROFILES["full" if fraction >= 0.5 else "small"], scale=fraction, name=args.scale,
                       db=f"qms_bench_{str(fraction).replace('.', '_')}")
    for key in ("runs", "requests", "rush_users", "rush_time", "rush_runs"):
        if getattr(args, key) is not None:
            profile[key] = getattr(args, key)
    return args, profile


def bench_env(profile) -> dict:
    env = {
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL")
        or f"postgres://postgres@127.0.0.1:5432/{profile['db']}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/12",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONPATH": str(ROOT),
    }
    return env


def manage(*args, env, capture=False, timeout=None) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True,
                            text=True, stdout=subprocess.PIPE if capture else None, timeout=timeout)
    return result.stdout if capture else ""


# --- 2. the data set -------------------------------------------------------------------------------------------
def ensure_data(profile, env) -> dict:
    from devdata.management.commands.generate_scale_data import FORMAT_VERSION
    from devdata.scale import scale_modules

    status = json.loads(manage("generate_scale_data", "--status", env=env, capture=True).strip() or "null")
    agencies = profile.get("agencies", 20000)
    wanted = {"v": FORMAT_VERSION, "seed": SEED, "scale": profile["scale"], "agencies": agencies,
              "apps": [label for label, _ in scale_modules()]}
    if status and all(status.get(k) == v for k, v in wanted.items()):
        log(f"data set already present ({status['today']}): {json.dumps(status)}")
        vacuum()
        return {**status, "generated_seconds": None}
    log(("replacing " + json.dumps(status)) if status else "generating the data set")
    started = time.monotonic()
    manage("generate_scale_data", "--seed", str(SEED), "--scale", str(profile["scale"]), "--agencies", str(agencies),
           "--reset", env=env)
    elapsed = time.monotonic() - started
    status = json.loads(manage("generate_scale_data", "--status", env=env, capture=True).strip())
    return {**status, "generated_seconds": round(elapsed, 1)}


def vacuum() -> None:
    """Every run measures the data as autovacuum keeps it: the report step of earlier runs builds provinces of
    1,100 agencies inside a transaction it rolls back, and their dead rows (in the tables and their indexes) would
    otherwise be read by the next run's searches until autovacuum came round."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"VACUUM ANALYZE in {time.monotonic() - started:.1f} s")


def django_setup(env) -> None:
    os.environ.update(env)
    import django

    django.setup()


def dataset_counts() -> dict:
    from django.apps import apps

    wanted = ["agencies.Agency", "qms.QmsRecord", "qms.Procedure", "qms.QmsDocument",
              "qms.InternalAudit", "qms.Announcement", "auth.User", "audits.Finding",
              "audits.FindingResponse", "reports.AgencyReport", "reports.ReportingPeriod"]
    counts = {}
    for label in wanted:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        counts[label] = model._default_manager.count()
        if hasattr(model, "history"):
            counts[f"{label} (history)"] = model.history.count()
    return counts


# --- who and what is measured ----------------------------------------------------------------------------------
def pick_subjects() -> dict:
    """Two subjects per page, one small and one large, from the same data set; users of the right roles."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from knox.models import AuthToken

    from agencies.models import Agency
    from devdata.scale.agencies import USER_PREFIX, generated_agencies
    from qms.models import Procedure, QmsDocument, QmsRecord, Stage

    generated = Agency.objects.filter(pk__in=generated_agencies())
    sizes = list(generated.values("province_id", "province__code", "province__name").annotate(n=Count("id"))
                 .order_by("-n", "province__code"))
    large, small = sizes[0], sizes[-1]

    def qms_subject(province_id, thick: bool):
        """A thick QMS file (a department, maintaining its system) or a thin one (a unit still building it)."""
        base = QmsRecord.objects.filter(agency__is_active=True, agency__in=generated)
        preferred = ({"stage": Stage.MAINTAINING, "agency__kind": "so"} if thick
                     else {"stage__in": [Stage.BUILDING, Stage.NOT_STARTED]})
        for candidates in (base.filter(agency__province_id=province_id, **preferred),
                           base.filter(agency__province_id=province_id), base.filter(**preferred), base):
            ranked = list(candidates.annotate(size=Count("documents", distinct=True) + Count(
                "agency__procedures", distinct=True)).order_by("-size" if thick else "size", "pk")
                .select_related("agency", "agency__province")[:1])
            if ranked:
                break
        record = ranked[0]
        agency = record.agency
        username = f"{USER_PREFIX}{agency.province.code}.{agency.short_code.lower()}.head"
        return {"agency_id": agency.pk, "agency": agency.name, "user": username,
                "documents": QmsDocument.objects.filter(qms=record).count(),
                "procedures": Procedure.objects.filter(agency=agency).count(),
                "record_changes": record.history.count()}

    def period_of(province_id):
        """The province's current reporting period (the open annual one), if the reports app has periods."""
        try:
            from reports.models import ReportingPeriod
        except ImportError:
            return None
        period = (ReportingPeriod.objects.filter(province_id=province_id).order_by("-deadline", "-pk")
                  .values_list("pk", flat=True).first())
        return period

    User = get_user_model()
    subjects = {
        "large": {"province": large["province__name"], "agencies": large["n"],
                  "inspector": f"{USER_PREFIX}{large['province__code']}.inspector1",
                  "qms": qms_subject(large["province_id"], True), "period_id": period_of(large["province_id"])},
        "small": {"province": small["province__name"], "agencies": small["n"],
                  "inspector": f"{USER_PREFIX}{small['province__code']}.inspector1",
                  "qms": qms_subject(small["province_id"], False), "period_id": period_of(small["province_id"])},
        "national": {"ministry": f"{USER_PREFIX}ministry1", "agencies": generated.count()},
    }
    tokens = {}
    for username in [subjects[s]["inspector"] for s in ("large", "small")] + [
            subjects[s]["qms"]["user"] for s in ("large", "small")] + [subjects["national"]["ministry"]]:
        user = User.objects.get(username=username)
        # A fresh token per run (knox keeps only digests); earlier runs' tokens go, so the per-user limit holds.
        AuthToken.objects.filter(user=user).delete()
        tokens[username] = AuthToken.objects.create(user=user)[1]
    subjects["tokens"] = tokens
    return subjects


def endpoints(subjects) -> list[dict]:
    """(key, label, path, who) for each subject; pages of apps not built yet are left out (and reported so)."""
    from django.urls import NoReverseMatch, reverse

    def url(name, **kwargs):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    found = []

    def add(key, label, path, who, api=False, subjects_=("small", "large"), cold=False):
        found.append({"key": key, "label": label, "path": path, "who": who, "api": api, "subjects": subjects_,
                      "cold": cold})

    add("home_province", "Province dashboard (home)", "/", "inspector")
    add("home_national", "National dashboard (home, ministry), warm", "/", "ministry", subjects_=("national",))
    # Dashboard figures are shared per scope and recomputed every minute by the worker (agencies.dashboards_warm,
    # run by beat), so readers find them ready. The nation's are the provinces' added up (agencies.dashboard_figures):
    # the cold row drops the national ones before every request, so the provinces' kept figures are added up in the
    # request (issue 18: at most 10x the bare view); the last row drops every figure, so that the nation's are
    # computed in one pass in the request: what a reader would wait with no worker running (shown, not judged).
    add("home_national_cold", "National dashboard, cold (the provinces' figures added up in the request)", "/",
        "ministry", subjects_=("national",), cold=True)
    add("home_national_nothing_kept", "National dashboard, nothing kept (the nation's figures computed)", "/",
        "ministry", subjects_=("national",), cold="everything")
    # "ủy ban" matches in every province (the committees), a few in a small one, hundreds nationally
    query = "?q=%E1%BB%A7y+ban"
    add("agency_search", "Agency list, search ?q=ủy ban", f"/agencies/{query}", "inspector")
    add("agency_search_national", "Agency list, search, national", f"/agencies/{query}", "ministry",
        subjects_=("national",))
    add("api_agency_search", "API agencies ?q=ủy ban", f"/api/v1/agencies/{query}", "inspector", api=True)
    add("qms_file", "Agency QMS file page", "/agencies/{agency}/qms/", "head")
    add("api_qms", "API agency QMS record", "/api/v1/agencies/{agency}/qms/", "head", api=True)
    add("compliance", "Compliance, province view", "/compliance/", "inspector")
    # the page's 50 agencies judged by every rule, the summary by kind added up from the figures the dashboards keep
    # (qms.compliance_figures); with a rule to filter by, that rule alone is judged for every agency of the country
    add("compliance_national", "Compliance, national view", "/compliance/", "ministry", subjects_=("national",))
    add("compliance_national_rule", "Compliance, national view, the agencies failing a rule",
        "/compliance/?rule=internal_audit", "ministry", subjects_=("national",))
    add("api_compliance", "API compliance (province)", "/api/v1/compliance/", "inspector", api=True)
    # pages its agencies as the page does (qms.selectors.compliance_ids): judged only with a rule to filter or sort by
    add("api_compliance_national", "API compliance, national", "/api/v1/compliance/", "ministry", api=True,
        subjects_=("national",))
    add("home_agency", "Agency home (head)", "/", "head")
    board = url("audits:findings-board")
    if board:
        add("findings_overdue", "Overdue findings board", f"{board}?show=overdue", "inspector")
        add("findings_overdue_national", "Overdue findings board, national", f"{board}?show=overdue", "ministry",
            subjects_=("national",))
        # its tables are kept until a table they show is written (qms_portal.table_versions): the cold row drops
        # them before every request, as after such a write
        add("findings_overdue_national_cold", "Overdue findings board, national, its table computed (cold)",
            f"{board}?show=overdue", "ministry", subjects_=("national",), cold="tables")
    if url("reports:index") and subjects["large"].get("period_id"):
        add("period_completeness", "Reporting period: completeness", "/reports/periods/{period}/", "inspector")
        add("api_completeness", "API completeness", "/api/v1/completeness/?period={period}", "inspector", api=True)
        # No separate national roll-up page exists: the ministry reads its roll-ups and the periods here, and
        # the roll-up itself is a consolidated report compiled by the worker (see the reports figures).
        add("reports_national", "Reports page, ministry (national roll-ups)", url("reports:index"), "ministry",
            subjects_=("national",))
    return found


def resolve(endpoint, subject_key, subjects) -> tuple[str, str]:
    """(path, username) of an endpoint for one subject."""
    if subject_key == "national":
        return endpoint["path"], subjects["national"]["ministry"]
    subject = subjects[subject_key]
    path = endpoint["path"].format(agency=subject["qms"]["agency_id"], period=subject.get("period_id"))
    if endpoint["who"] == "head":
        return path, subject["qms"]["user"]
    return path, subject["inspector"]


# --- 3. servers ---------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_nice() -> int:
    """The niceness that gives the worker the CPU weight docker-compose.yml gives it (`cpu_shares`, against web's
    default 1,024): the kernel's weight falls by 1.25x a nice level, so 256 (a quarter) is nice 6."""
    import math

    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    shares = compose["services"]["worker"].get("cpu_shares", 1024)
    return round(math.log(1024 / shares, 1.25))


def set_group_nice(pid: int, nice: int) -> str:
    """Give the CPU group of process `pid`'s session (Linux autogroup) niceness `nice`; what was done, for the
    results."""
    path = Path(f"/proc/{pid}/autogroup")
    try:
        path.write_text(str(nice))
        return f"autogroup nice {nice}"
    except OSError:  # no autogroup (or not ours to change): the process's own niceness is what counts
        return f"nice {nice}"


def worker_priority_note(result: dict) -> str:
    niced = result.get("machine", {}).get("worker_priority")
    if not niced:
        return " The worker and beat ran at the web's priority."
    return (" The worker and beat ran at the CPU weight docker-compose.yml gives them against web (`cpu_shares`; "
            f"here {niced.get('celery')}).")


class Servers:
    """gunicorn, a celery worker and celery beat (the database scheduler, as in docker-compose.yml), each under
    `timeout` so that they stop even if this script dies."""

    def __init__(self, env, port: int, workers: int, budget: int, logdir: Path):
        self.env, self.port, self.workers, self.budget, self.logdir = env, port, workers, budget, logdir
        self.processes: list[subprocess.Popen] = []
        self.niced: dict[str, str] = {}

    def _start(self, name: str, command: list[str], nice: int = 0) -> None:
        log_file = (self.logdir / f"{name}.log").open("wb")
        wrapped = ["timeout", "--signal=TERM", "--kill-after=15", str(self.budget),
                   *(["nice", "-n", str(nice)] if nice else []), *command]
        process = subprocess.Popen(wrapped, cwd=ROOT, env={**os.environ, **self.env}, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        if nice:
            # Each process is in its own session, hence (with Linux's autogroup scheduling) its own CPU group, as a
            # container is its own cgroup: the niceness that weighs against gunicorn is the group's.
            self.niced[name] = set_group_nice(process.pid, nice)

    def __enter__(self):
        self._start("gunicorn", [str(BIN / "gunicorn"), "bench.wsgi:application", "--bind",
                                 f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--timeout", "120",
                                 "--graceful-timeout", "30", "--backlog", "2048", "--log-level", "warning"])
        # Beat's first warming at once rather than a minute after the schedule row was last changed (a fresh
        # database's migration): the schedule itself is production's.
        from datetime import timedelta

        from django.utils import timezone
        from django_celery_beat.models import PeriodicTask

        PeriodicTask.objects.filter(task="agencies.dashboards_warm").update(
            last_run_at=timezone.now() - timedelta(minutes=10))
        # info: the warming task logs how long it took (read by wait_warmed)
        nice = worker_nice()
        self._start("celery", [str(BIN / "celery"), "-A", "qms_portal", "worker", "--loglevel=info",
                               "--concurrency=2", "--without-gossip", "--without-mingle", "-n", "bench@%h"], nice)
        self._start("beat", [str(BIN / "celery"), "-A", "qms_portal", "beat", "--loglevel=warning",
                             "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "--pidfile="], nice)
        return self

    def wait_warmed(self, seconds: int = 240) -> dict:
        """Wait until beat's dashboard warming has run once (the national figures are in the cache, put there by
        the worker, not by a reader: nobody has asked for a page yet); its duration from the worker's log."""
        import re

        from django.core.cache import cache

        started = time.monotonic()
        client = cache._cache.get_client(write=False)
        pattern = re.compile(r"dashboard figures of (\d+) scopes recomputed in ([\d.]+) s")
        while time.monotonic() - started < seconds:
            found = pattern.findall((self.logdir / "celery.log").read_text(errors="replace"))
            if found and any(True for _ in client.scan_iter(match="*figures:qms-compliance-*:national:*")):
                scopes, took = found[0]
                return {"warmed": True, "waited_s": round(time.monotonic() - started, 1), "scopes": int(scopes),
                        "task_seconds": float(took)}
            for process in self.processes:
                if process.poll() is not None:
                    raise SystemExit(f"bench: a server exited early; see {self.logdir}")
            time.sleep(2)
        return {"warmed": False, "waited_s": seconds}

    def wait_ready(self, seconds: int = 90) -> dict:
        import requests

        deadline = time.monotonic() + seconds
        last = None
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise SystemExit(f"bench: a server exited early; see {self.logdir}")
            try:
                last = requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5)
                if last.status_code == 200:
                    return last.json()
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SystemExit(f"bench: servers not healthy after {seconds} s ({last and last.text}); see {self.logdir}")

    def __exit__(self, *exc):
        import signal

        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# --- 4. pages -----------------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def drop_dashboard_figures(everything: bool = False) -> None:
    """Forget the national dashboard figures (qms_portal.panels.figures_cached) in the bench's Redis database; the
    provinces' stay unless `everything`, so that the warm province dashboard measured next is still the one beat
    warmed."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = [key for key in client.scan_iter(match="*figures:*") if everything or b":province:" not in key]
    if keys:
        client.delete(*keys)


def drop_kept_tables() -> None:
    """Forget the results kept under their tables' versions (`qms_portal.table_versions.cached`), as a write of one
    of those tables would."""
    from django.core.cache import cache

    from qms_portal.table_versions import KEY_PREFIX

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"*{KEY_PREFIX}*"))
    if keys:
        client.delete(*keys)


def dashboard_figures_kept() -> dict:
    """{key: (Redis dump, ttl ms)} of every dashboard figure in the bench's Redis database."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    return {key: (client.dump(key), client.pttl(key)) for key in client.scan_iter(match="*figures:*")}


def dashboard_figures_put_back(kept: dict) -> None:
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    for key, (dumped, ttl) in kept.items():
        if dumped is not None:
            client.restore(key, max(ttl, 1000), dumped, replace=True)


def measure_pages(base: str, subjects: dict, found: list[dict], password: str, runs: int, n: int) -> dict:
    from bench.client import Client

    def fetch(c, path, endpoint):
        if endpoint.get("cold") == "tables":
            drop_kept_tables()
            return c.get(path, api=endpoint["api"])
        if endpoint.get("cold") != "everything":
            if endpoint.get("cold"):
                drop_dashboard_figures()
            return c.get(path, api=endpoint["api"])
        kept = dashboard_figures_kept()  # put back afterwards: the next rows measure what beat left
        drop_dashboard_figures(everything=True)
        try:
            return c.get(path, api=endpoint["api"])
        finally:
            dashboard_figures_put_back(kept)

    clients: dict[str, Client] = {}

    def client(username):
        if username not in clients:
            clients[username] = Client(base, username, password, subjects["tokens"].get(username))
        return clients[username]

    anchor = client(subjects["large"]["inspector"])
    cases = [(e, s) for e in found for s in e["subjects"]]
    samples: dict = {("bare", "-"): []}
    for endpoint, subject in cases:
        path, username = resolve(endpoint, subject, subjects)
        for _ in range(2):  # warm-up: connections, caches, templates
            fetch(client(username), path, endpoint)
        samples[(endpoint["key"], subject)] = []
    for _ in range(3):
        anchor.get("/bench/bare/")
    for run in range(runs):
        samples[("bare", "-")].append([anchor.get("/bench/bare/") for _ in range(n)])
        for endpoint, subject in cases:
            path, username = resolve(endpoint, subject, subjects)
            c = client(username)
            samples[(endpoint["key"], subject)].append([fetch(c, path, endpoint) for _ in range(n)])
        log(f"pages: run {run + 1}/{runs} done")

    def summary(per_run: list[list[dict]]) -> dict:
        p50 = [percentile([r["ms"] for r in rows], 0.5) for rows in per_run]
        p95 = [percentile([r["ms"] for r in rows], 0.95) for rows in per_run]
        flat = [r for rows in per_run for r in rows]
        queries = sorted({r["queries"] for r in flat})
        return {"p50_ms": round(statistics.median(p50), 1), "p95_ms": round(statistics.median(p95), 1),
                "p50_runs": [round(v, 1) for v in p50], "p95_runs": [round(v, 1) for v in p95],
                "server_ms_p50": round(statistics.median(r["server_ms"] for r in flat), 1),
                "cpu_ms_p50": round(statistics.median(r.get("cpu_ms", -1) for r in flat), 2),
                "queries": queries[-1], "queries_seen": queries, "requests": len(flat),
                "errors": sum(1 for r in flat if r["status"] >= 400 or r["status"] < 200),
                "statuses": sorted({r["status"] for r in flat}), "bytes": flat[-1]["bytes"]}

    bare = summary(samples[("bare", "-")])
    results = {"bare": bare, "pages": []}
    for endpoint in found:
        entry = {"key": endpoint["key"], "label": endpoint["label"], "path": endpoint["path"],
                 "api": endpoint["api"], "by_subject": {}}
        for subject in endpoint["subjects"]:
            figures = summary(samples[(endpoint["key"], subject)])
            figures["p50_ratio_to_bare"] = round(figures["p50_ms"] / bare["p50_ms"], 1)
            figures["p95_ratio_to_bare"] = round(figures["p95_ms"] / bare["p95_ms"], 1)
            if bare.get("cpu_ms_p50", -1) > 0 and figures["cpu_ms_p50"] >= 0:
                figures["cpu_ratio_to_bare"] = round(figures["cpu_ms_p50"] / bare["cpu_ms_p50"], 1)
            entry["by_subject"][subject] = figures
        headline = entry["by_subject"].get("large") or entry["by_subject"]["national"]
        small = entry["by_subject"].get("small")
        entry["headline"] = "large" if "large" in entry["by_subject"] else "national"
        entry["queries_constant"] = None if small is None else small["queries"] == headline["queries"]
        entry["pass"] = {
            "p95": None if endpoint.get("cold") else headline["p95_ms"] < TARGETS["p95_ms"],
            "queries": headline["queries"] <= TARGETS["queries"],
            "constant": entry["queries_constant"],
            "errors": headline["errors"] == 0 and (small is None or small["errors"] == 0),
        }
        results["pages"].append(entry)
    results["issue18"] = page_targets(results)
    return results


# Issue 18: national pages as a multiple of the bare view measured in the same run (p50), which the machine's
# load affects much less than milliseconds. The growth from 2,000 to 20,000 agencies is judged by bench.scaling.
RATIO_TARGETS = {"home_national_cold": 10, "agency_search_national": 5, "findings_overdue_national": 5}


def page_targets(results: dict) -> list[dict]:
    rows = []
    by_key = {entry["key"]: entry for entry in results["pages"]}
    for key, limit in RATIO_TARGETS.items():
        if key in by_key:
            figures = by_key[key]["by_subject"]["national"]
            rows.append({"key": key, "label": by_key[key]["label"], "x_bare": figures["p50_ratio_to_bare"],
                         "cpu_x_bare": figures.get("cpu_ratio_to_bare"), "limit": limit,
                         "pass": figures["p50_ratio_to_bare"] <= limit})
    return rows


# --- 5. deadline rush -----------------------------------------------------------------------------------------------
def rush_users(count: int) -> tuple[list[dict], str]:
    """Agency heads of distinct active agencies with a QMS record; with a draft report to submit when the
    reports app has them (`mode` says which)."""
    from agencies.models import Agency
    from devdata.scale.agencies import USER_PREFIX, generated_agencies

    reports = None
    try:
        from reports.models import AgencyReport, AgencyReportStatus

        reports = AgencyReport.objects.filter(status=AgencyReportStatus.DRAFT).exclude(difficulties="").exclude(
            proposals="")
    except (ImportError, LookupError):
        pass
    agencies = (Agency.objects.filter(pk__in=generated_agencies(), is_active=True, qms__isnull=False)
                .select_related("province").order_by("?"))
    users, mode = [], "qms-write"
    if reports is not None and reports.exists():
        mode = "submit-report"
        drafts = (reports.filter(agency__in=agencies, period__deadline__gte=datetime.now().date())
                  .select_related("agency", "agency__province").order_by("?")[:count])
        for report in drafts:
            agency = report.agency
            users.append({"username": f"{USER_PREFIX}{agency.province.code}.{agency.short_code.lower()}.head",
                          "agency_id": agency.pk, "report_id": report.pk})
    if len(users) < count:
        mode = "qms-write" if not users else mode
        for agency in agencies[:count - len(users)]:
            users.append({"username": f"{USER_PREFIX}{agency.province.code}.{agency.short_code.lower()}.head",
                          "agency_id": agency.pk, "report_id": None})
    return users, mode


def password_check_ms() -> float:
    """What one sign-in costs the server in password hashing alone (the configured hasher, median of 5)."""
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password("bench-password")
    times = []
    for _ in range(5):
        started = time.perf_counter()
        check_password("bench-password", encoded)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def run_locust(base, user_class, users_file, password, users, spawn, seconds, think, workdir, tag) -> dict:
    prefix = workdir / f"rush-{tag}"
    env = {**os.environ, "BENCH_RUSH_USERS": str(users_file), "BENCH_PASSWORD": password,
           "BENCH_THINK_MIN": str(think[0]), "BENCH_THINK_MAX": str(think[1])}
    command = ["timeout", "--signal=TERM", "--kill-after=15", str(seconds + 60), str(BIN / "locust"), "-f",
               str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", base, "-u", str(users), "-r",
               str(spawn), "--run-time", f"{seconds}s", "--stop-timeout", "10", "--csv", str(prefix),
               "--only-summary", "--loglevel", "WARNING", user_class]
    with (workdir / f"locust-{tag}.log").open("wb") as out:
        subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open()))

    def figures(row):
        return {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1), "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0), "max_ms": float(row["Max Response Time"] or 0)}

    result = {"total": figures(next(r for r in rows if r["Name"] == "Aggregated")),
              "by_request": {r["Name"]: figures(r) for r in rows if r["Name"] != "Aggregated"}}
    failures = prefix.parent / f"{prefix.name}_failures.csv"
    result["failure_samples"] = [dict(r) for r in csv.DictReader(failures.open())][:5] if failures.exists() else []
    return result


def measure_rush(base, password, profile, think, workdir) -> dict:
    n, runs = profile["rush_users"], profile["rush_runs"]
    everyone, mode = rush_users(n * runs)
    portal_runs, bare_runs = [], []
    for run in range(runs):
        users_file = workdir / f"rush-users-{run}.json"
        users_file.write_text(json.dumps(everyone[run * n:(run + 1) * n]))
        bare_runs.append(run_locust(base, "BareUser", users_file, password, n, profile["rush_spawn"],
                                    profile["rush_time"], think, workdir, f"bare-{run}"))
        portal_runs.append(run_locust(base, "AgencyHead", users_file, password, n, profile["rush_spawn"],
                                      profile["rush_time"], think, workdir, f"portal-{run}"))
        log(f"rush: run {run + 1}/{runs}: portal {portal_runs[-1]['total']}, bare {bare_runs[-1]['total']}")

    def median_of(results, key):
        return round(statistics.median(r["total"][key] for r in results), 1)

    portal = {k: median_of(portal_runs, k) for k in ("rps", "p50_ms", "p95_ms", "max_ms")}
    portal["errors"] = sum(r["total"]["failures"] for r in portal_runs)
    portal["requests"] = sum(r["total"]["requests"] for r in portal_runs)
    bare = {k: median_of(bare_runs, k) for k in ("rps", "p50_ms", "p95_ms", "max_ms")}
    bare["errors"] = sum(r["total"]["failures"] for r in bare_runs)
    bare["requests"] = sum(r["total"]["requests"] for r in bare_runs)
    names = sorted({name for r in portal_runs for name in r["by_request"]})
    signing_in = {"login", "login page"}
    steps = {name: {k: round(statistics.median(r["by_request"][name][k] for r in portal_runs
                                               if name in r["by_request"]), 1)
                    for k in ("rps", "p50_ms", "p95_ms", "max_ms")} for name in names}
    after_login = [step["p95_ms"] for name, step in steps.items() if name not in signing_in]
    portal["p95_ms_after_sign_in"] = max(after_login) if after_login else None
    return {
        "mode": mode, "users": n, "runs": runs, "seconds": profile["rush_time"], "spawn_rate": profile["rush_spawn"],
        "password_check_ms": password_check_ms(),
        "think_s": list(think), "portal": portal, "bare": bare, "steps": steps,
        "throughput_ratio": round(portal["rps"] / bare["rps"], 2) if bare["rps"] else None,
        "p95_ratio_to_bare": round(portal["p95_ms"] / bare["p95_ms"], 1) if bare["p95_ms"] else None,
        "failure_samples": [s for r in portal_runs for s in r["failure_samples"]][:5],
        "pass": {"errors": portal["errors"] == 0, "p95": portal["p95_ms"] < TARGETS["rush_p95_ms"],
                 "throughput": bool(bare["rps"]) and portal["rps"] >= TARGETS["rush_throughput_ratio"] * bare["rps"]},
        "runs_detail": {"portal": [r["total"] for r in portal_runs], "bare": [r["total"] for r in bare_runs]},
    }


# --- 6. reports -------------------------------------------------------------------------------------------------------
def measure_reports(profile, env, workdir) -> dict:
    try:
        import bench.consolidated_reports  # noqa: F401
    except ImportError:
        return {"status": "pending", "reason": "bench.consolidated_reports does not exist yet"}
    out = workdir / "reports.json"
    command = [PY, "-m", "bench.reports_figures", "--agencies", str(profile["reports_agencies"]),
               "--national", str(profile["reports_national"]), "--output", str(out)]
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, text=True, capture_output=True,
                               timeout=profile["budget"])
    if completed.returncode != 0 or not out.exists():
        return {"status": "failed", "stderr": completed.stderr[-3000:], "stdout": completed.stdout[-2000:]}
    figures = json.loads(out.read_text())
    figures["status"] = "done"
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures


# --- 7. output ----------------------------------------------------------------------------------------------
def mark(ok) -> str:
    return "n/a" if ok is None else ("pass" if ok else "MISS")


def render_table(result: dict) -> str:
    lines = []
    pages = result.get("pages")
    if pages:
        bare = pages["bare"]
        lines.append(f"Pages and API calls — scale {result['scale']} ({result['dataset'].get('agencies_total')} "
                     f"agencies); anchor: bare view p50 {bare['p50_ms']} ms, p95 {bare['p95_ms']} ms, "
                     f"{bare['queries']} queries")
        head = (f"{'page':<38}{'subject':<9}{'p50 ms':>8}{'p95 ms':>8}{'x bare':>8}{'queries':>8}{'small q':>8}"
                f"  p95<200 q<=20 constant")
        lines += [head, "-" * len(head)]
        for entry in pages["pages"]:
            h = entry["by_subject"][entry["headline"]]
            small = entry["by_subject"].get("small")
            p = entry["pass"]
            lines.append(f"{entry['label'][:37]:<38}{entry['headline']:<9}{h['p50_ms']:>8}{h['p95_ms']:>8}"
                         f"{h['p50_ratio_to_bare']:>8}{h['queries']:>8}{(small or {}).get('queries', '-'):>8}"
                         f"  {mark(p['p95']):<7} {mark(p['queries']):<5} {mark(p['constant'])}")
        for key in ("pending",):
            for item in pages.get(key, []):
                lines.append(f"{item:<38}pending (not built yet)")
    rush = result.get("rush")
    if rush and "portal" in rush:
        p, b = rush["portal"], rush["bare"]
        lines.append("")
        lines.append(f"Deadline rush — {rush['users']} users, {rush['seconds']} s x {rush['runs']} run(s), "
                     f"think {rush['think_s'][0]}-{rush['think_s'][1]} s, step 'submit' = {rush['mode']}")
        lines.append(f"  portal: {p['rps']} req/s, p50 {p['p50_ms']} ms, p95 {p['p95_ms']} ms, errors {p['errors']}")
        lines.append(f"  bare:   {b['rps']} req/s, p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms, errors {b['errors']}")
        lines.append(f"  throughput ratio {rush['throughput_ratio']} (>= 0.5: {mark(rush['pass']['throughput'])}), "
                     f"p95 < 500 ms: {mark(rush['pass']['p95'])}, zero errors: {mark(rush['pass']['errors'])}")
        lines.append(f"  p95 of the slowest step after signing in: {p.get('p95_ms_after_sign_in')} ms; one password "
                     f"check costs {rush['password_check_ms']} ms of CPU")
        for name, step in rush["steps"].items():
            lines.append(f"    {name:<24} p50 {step['p50_ms']:>7} ms  p95 {step['p95_ms']:>7} ms  {step['rps']} req/s")
    reports = result.get("reports")
    if reports:
        lines.append("")
        lines.append(f"Reports: {reports.get('status')}")
        for row in reports.get("results", []):
            lines.append("  " + ", ".join(f"{k} {v}" for k, v in row.items()))
        if reports.get("peak_memory_mb"):
            lines.append(f"  peak memory {reports['peak_memory_mb']} MB")
        from bench.annex_engines import report_targets

        for what, measured, target, ok in report_targets(reports):
            lines.append(f"  {what}: {measured} (target {target}: {mark(ok)})")
    return "\n".join(lines)


def render_markdown(result: dict) -> str:
    out = [f"# Benchmark: {result['started'][:10]}, scale {result['scale']}", "",
           f"Machine: {result['machine']['cpus']} CPUs, {result['machine']['python']}, PostgreSQL and Redis local; "
           f"load average before/after: {result['machine']['load_before']} / {result['machine'].get('load_after')}. "
           + (f"Note: {result['note'].rstrip('.')}." if result.get("note") else "")
           + ("".join(f" The {key} section is from the run of {day} (not re-measured in this one)."
                      for key, day in (result.get("carried_over") or {}).items())), "",
           "Generated by `make bench` (bench/run.py). Targets from issue 6: p95 < 200 ms and at most 20 SQL "
           "queries per request, constant in the data size; deadline rush with zero errors, p95 < 500 ms and at "
           "least half the bare view's throughput. Every latency is the median over the runs; `x bare` is the "
           "ratio to the bare Django view measured in the same run on the same server.", "",
           "## Data set", ""]
    for key, value in result["dataset"].items():
        out.append(f"- {key}: {value}")
    pages = result.get("pages")
    if pages:
        bare = pages["bare"]
        out += ["", "## Pages and API calls", "",
                f"Anchor (bare view): p50 {bare['p50_ms']} ms, p95 {bare['p95_ms']} ms, {bare['queries']} queries "
                f"(session and user lookups of the middleware).", "",
                "| page | subject | p50 ms | p95 ms | x bare (p50) | queries | queries (small subject) | KB | p95 "
                "| queries | constant |", "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|"]
        for entry in pages["pages"]:
            h = entry["by_subject"][entry["headline"]]
            small = entry["by_subject"].get("small") or {}
            p = entry["pass"]
            out.append(f"| {entry['label']} (`{entry['path']}`) | {entry['headline']} | {h['p50_ms']} | "
                       f"{h['p95_ms']} | {h['p50_ratio_to_bare']} | {h['queries']} | {small.get('queries', '–')} | "
                       f"{round(h['bytes'] / 1024)} | {mark(p['p95'])} | {mark(p['queries'])} | "
                       f"{mark(p['constant'])} |")
        if pages.get("pending"):
            out += ["", "Not measured yet (the page does not exist): " + ", ".join(pages["pending"]) + "."]
        warming = result.get("warming")
        if warming:
            out += ["", ("Dashboards warmed by celery beat before the pages were measured (Redis flushed first): "
                         f"`agencies.dashboards_warm` recomputed {warming.get('scopes')} scopes in "
                         f"{warming.get('task_seconds')} s of worker time, {warming.get('waited_s')} s after the "
                         "servers were up." if warming.get("warmed") else
                         f"MISS: beat had not warmed the dashboards after {warming.get('waited_s')} s.")]
        if pages.get("issue18"):
            out += ["", "Targets of issue 18 for the national pages (p50 as a multiple of the bare view in the same "
                    "run; CPU: the web process's CPU time per request against the bare view's):", "",
                    "| page | x bare (p50) | x bare (web CPU) | target | |", "|---|---:|---:|---|---|"]
            out += [f"| {row['label']} | {row['x_bare']} | {row.get('cpu_x_bare') or '–'} | ≤ {row['limit']}x | "
                    f"{mark(row['pass'])} |" for row in pages["issue18"]]
        out += ["", "Subjects (small and large of the same data set): "
                + json.dumps(result["subjects"], ensure_ascii=False)]
    rush = result.get("rush")
    if rush and "portal" in rush:
        p, b = rush["portal"], rush["bare"]
        step = ("submits the report" if rush["mode"] == "submit-report"
                else "records a training session (a QMS write: the reports API was not there)")
        out += ["", "## Deadline rush", "",
                f"{rush['users']} agency heads, spawned at {rush['spawn_rate']}/s, {rush['seconds']} s per run, "
                f"{rush['runs']} run(s), think time {rush['think_s'][0]}-{rush['think_s'][1]} s; each signs in, "
                f"opens the QMS file and then {step}.",
                "", "| | req/s | p50 ms | p95 ms | max ms | errors |", "|---|---:|---:|---:|---:|---:|",
                f"| portal | {p['rps']} | {p['p50_ms']} | {p['p95_ms']} | {p['max_ms']} | {p['errors']} |",
                f"| bare view, same load | {b['rps']} | {b['p50_ms']} | {b['p95_ms']} | {b['max_ms']} | "
                f"{b['errors']} |", "",
                f"Throughput ratio {rush['throughput_ratio']} ({mark(rush['pass']['throughput'])}), p95 "
                f"{mark(rush['pass']['p95'])}, errors {mark(rush['pass']['errors'])}. The slowest step after signing "
                f"in has p95 {p.get('p95_ms_after_sign_in')} ms; one password check (the configured hasher) costs "
                f"{rush['password_check_ms']} ms of CPU.{worker_priority_note(result)}", "",
                "| step | p50 ms | p95 ms | req/s |", "|---|---:|---:|---:|"]
        for name, step in rush["steps"].items():
            out.append(f"| {name} | {step['p50_ms']} | {step['p95_ms']} | {step['rps']} |")
    reports = result.get("reports")
    if reports:
        out += ["", "## Consolidated reports", "", f"Status: {reports.get('status')}."]
        from bench.annex_engines import report_targets

        targets = report_targets(reports)
        if targets:
            out += ["", "Targets of issue 18 (CPU seconds: what a dedicated core needs; wall seconds depend on the "
                    "machine's load):", "", "| what | measured | target | |", "|---|---|---|---|"]
            out += [f"| {what} | {measured} | {target} | {mark(ok)} |" for what, measured, target, ok in targets]
        engines = (reports.get("annex") or {}).get("engines")
        if engines:
            out += ["", "The annex alone (1,000 rows) as a PDF, by each engine measured:", "",
                    "| engine | CPU s | pages | bytes |", "|---|---:|---:|---:|"]
            out += [f"| {label} | {e['cpu']} | {e['pages']} | {e['bytes'] or '–'} |" for label, e in engines.items()]
        if reports.get("results"):
            keys = list(reports["results"][0].keys())
            out += ["", "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
            for row in reports["results"]:
                out.append("| " + " | ".join(str(row[k]) for k in keys) + " |")
        for key in ("peak_memory_mb", "note"):
            if reports.get(key):
                out.append(f"\n{key}: {reports[key]}")
        if reports.get("log"):
            out += ["", "Output of `bench.consolidated_reports.run`:", "", "```", *reports["log"], "```"]
        if reports.get("stderr"):
            out += ["", "```", reports["stderr"][-2000:], "```"]
    legal = result.get("legal")
    if legal:
        out += ["", "## A legal change for every commune", "",
                f"A national change concerning {legal['agencies']} communes' People's Committees: due updates made in "
                f"{legal['seconds']} s ({legal['cpu_seconds']} CPU s), {legal['queries']} queries (constant per "
                f"batch of 1,000 agencies), peak Python memory {legal['peak_memory_mb']} MB."]
    if result.get("scaling"):
        from bench.scaling import render as render_scaling

        out += render_scaling(result["scaling"])
    if result.get("analysis"):
        out += ["", "## Misses: causes and fixes", "", result["analysis"]]
    return "\n".join(out) + "\n"


def carry_over(result: dict, previous_file: Path, scale: str) -> None:
    """A targeted run (--skip-rush, --skip-reports, --skip-legal) keeps the skipped sections of the previous run of
    the same scale, each marked with the date it was measured, so that bench.md stays whole."""
    if not previous_file.exists():
        return
    previous = json.loads(previous_file.read_text())
    if previous.get("scale") != scale:
        return
    carried = previous.get("carried_over", {})
    result["carried_over"] = {}
    for key in ("rush", "reports", "legal"):
        if key not in result and previous.get(key):
            result[key] = previous[key]
            result["carried_over"][key] = carried.get(key) or previous["started"][:10]


def main(argv=None) -> int:
    args, profile = parse_args(argv)
    if args.render_only:
        output = Path(args.output)
        result = json.loads((output / "bench.json").read_text())
        analysis = output / "bench-analysis.md"
        if analysis.exists():
            result["analysis"] = analysis.read_text()
        if (output / "bench-scaling.json").exists():
            result["scaling"] = json.loads((output / "bench-scaling.json").read_text())
        (output / "bench.md").write_text(render_markdown(result))
        print(render_table(result))
        return 0
    think = tuple(float(v) for v in args.think.split(","))
    env = bench_env(profile)
    started = datetime.now().astimezone()
    result = {"started": started.isoformat(timespec="seconds"), "scale": profile["name"], "profile": profile,
              "targets": TARGETS, "note": args.note,
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_before": [round(v, 2) for v in os.getloadavg()]}}
    from bench import services

    log(f"profile {profile['name']}: database {env['DATABASE_URL']}, redis {env['REDIS_URL']}")
    services.ensure(env["DATABASE_URL"], env["REDIS_URL"], log=log)
    services.flush_redis(env["REDIS_URL"])
    django_setup(env)
    log("migrating")
    manage("migrate", "--noinput", "-v0", env=env)
    marker = ensure_data(profile, env)
    from devdata.management.commands.generate_scale_data import DEFAULT_PASSWORD

    counts = dataset_counts()
    result["dataset"] = {"agencies_total": counts.get("agencies.Agency"), "generated": marker, **counts}
    subjects = pick_subjects()
    result["subjects"] = {k: v for k, v in subjects.items() if k != "tokens"}
    workdir = Path(tempfile.mkdtemp(prefix="qms-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log(f"servers on {base} (logs in {workdir})")
    with Servers(env, port, args.workers, profile["budget"], workdir) as servers:
        result["health"] = servers.wait_ready()
        log("waiting for beat to warm the dashboards (agencies.dashboards_warm)")
        result["warming"] = servers.wait_warmed()
        result["machine"]["worker_priority"] = servers.niced
        log(f"warming: {result['warming']}")
        found = endpoints(subjects)
        log(f"pages: {len(found)} endpoints x {profile['runs']} runs x {profile['requests']} requests")
        result["pages"] = measure_pages(base, subjects, found, DEFAULT_PASSWORD, profile["runs"], profile["requests"])
        keys = {e["key"] for e in found}
        result["pages"]["pending"] = [label for key, label in (("findings_overdue", "Overdue findings board"),
                                                               ("reports_national", "National roll-up page"))
                                      if key not in keys]
        if not args.skip_rush:
            log(f"rush: {profile['rush_users']} users x {profile['rush_time']} s x {profile['rush_runs']} run(s)")
            result["rush"] = measure_rush(base, DEFAULT_PASSWORD, profile, think, workdir)
    if not args.skip_reports:
        log("reports figures")
        result["reports"] = measure_reports(profile, env, workdir)
    if not args.skip_legal:
        log("a legal change for every commune")
        from bench.legal_figures import measure_legal

        result["legal"] = measure_legal()
    carry_over(result, Path(args.output) / "bench.json", profile["name"])
    result["machine"]["load_after"] = [round(v, 2) for v in os.getloadavg()]
    result["finished"] = datetime.now().astimezone().isoformat(timespec="seconds")
    analysis = Path(args.output) / "bench-analysis.md"
    if analysis.exists() and profile["name"] == "full":
        result["analysis"] = analysis.read_text()
    scaling = Path(args.output) / "bench-scaling.json"
    if scaling.exists() and profile["name"] == "full":
        result["scaling"] = json.loads(scaling.read_text())
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    (output / "bench.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    (output / "bench.md").write_text(render_markdown(result))
    print(render_table(result))
    log(f"wrote {output / 'bench.json'} and {output / 'bench.md'} in "
        f"{(datetime.now().astimezone() - started).total_seconds():.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
