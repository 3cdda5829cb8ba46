"""`make bench` cannot rot: the small benchmark (a few hundred agencies, short runs) runs end to end against
PostgreSQL and Redis, with gunicorn, a Celery worker and locust, and writes every section of its results.

Timings are never judged here: `make bench` compares them with the targets of issue 6 on the full data set.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import require_services

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[1]


def test_small_benchmark_runs_end_to_end(tmp_path):
    database, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith("postgres") or not redis_url.startswith("redis"):
        require_services("the benchmark needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)")
    # Its own database, named after the suite's (engineers sharing a server each have theirs), and its own Redis db,
    # so that neither disturbs the other.
    bench_database = f"{urlparse(database).path.rstrip('/')}_bench_small"
    env = {**os.environ, "BENCH_DATABASE_URL": urlparse(database)._replace(path=bench_database).geturl(),
           "BENCH_REDIS_URL": urlparse(redis_url)._replace(path="/12").geturl()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-m", "bench.run", "--scale", "small", "--output", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]

    data = json.loads((tmp_path / "bench.json").read_text())
    assert {"dataset", "subjects", "health", "pages", "rush", "reports", "machine", "targets"} <= set(data)
    assert data["dataset"]["agencies.Agency"] > 100
    assert data["pages"]["bare"]["requests"] > 0
    measured = {entry["key"]: entry for entry in data["pages"]["pages"]}
    assert {"home_province", "home_national", "agency_search", "api_agency_search", "qms_file", "api_qms",
            "compliance", "api_compliance"} <= set(measured)
    for entry in measured.values():  # every page answered (a benchmark of error pages would be worthless)
        for figures in entry["by_subject"].values():
            assert figures["statuses"] == [200], (entry["key"], figures["statuses"])
            assert figures["queries"] > 0
    rush = data["rush"]
    assert rush["portal"]["requests"] > 0 and rush["bare"]["requests"] > 0
    assert "status" in data["reports"]
    assert (tmp_path / "bench.md").read_text().startswith("# Benchmark")
