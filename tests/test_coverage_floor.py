"""tools/coverage_floor.py: the modules under the floor are named and the run fails; none under it passes."""

import json

from tools.coverage_floor import below_floor, main


def report(**percents):
    return {"totals": {"percent_covered": 90.0},
            "files": {path: {"summary": {"percent_covered": p, "num_statements": 10}} for path, p in percents.items()}}


def test_modules_under_the_floor_fail_the_run(tmp_path, capsys):
    path = tmp_path / "coverage.json"
    path.write_text(json.dumps(report(**{"qms/services.py": 84.9, "qms/models.py": 85.0, "reports/views.py": 40.0})))
    assert main(["--report", str(path), "--floor", "85"]) == 1
    out = capsys.readouterr().out
    assert "2 app module(s) under 85%" in out
    assert out.index("reports/views.py") < out.index("qms/services.py") and "qms/models.py" not in out


def test_every_module_at_the_floor_passes(tmp_path, capsys):
    path = tmp_path / "coverage.json"
    path.write_text(json.dumps(report(**{"qms/models.py": 85.0})))
    assert main(["--report", str(path), "--floor", "85"]) == 0
    assert below_floor(report(**{"a.py": 50.0}), floor=85, min_statements=11) == []
