"""Checks of the container files: Dockerfile, docker/entrypoint.sh, docker-compose.yml, .env.example
and .dockerignore. None of them needs a database or a Docker engine."""

import os
import re
import shlex
import shutil
import socket
import stat
import subprocess
import sys

import click
import pytest
import yaml

from tests.deployment import (
    COMPOSE_FILE,
    DOCKERFILE,
    ENTRYPOINT,
    ROOT,
    dockerfile_env,
    dockerfile_instructions,
    image_command,
    instruction_args,
)

ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"

OUR_IMAGE = "qms-portal:latest"
APP_SERVICES = ("web", "worker", "beat")
REQUIRED_SECRETS = ("SECRET_KEY", "POSTGRES_PASSWORD")
# Compose refuses to start without these (`${VAR:?message}`); everything else has a default.
REQUIRED_VARIABLES = (*REQUIRED_SECRETS, "PORTAL_BASE_URL")
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}")
GOOD_KEY = "test-only-" + "x1y2z3" * 10


# --- helpers --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def environment(service: dict) -> dict:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def named_volume_mounts(service: dict) -> dict[str, str]:
    """{source volume: target} for the service's named-volume mounts."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type", "volume") == "volume" and volume.get("source"):
                mounts[volume["source"]] = volume["target"]
            continue
        source, _, rest = volume.partition(":")
        if rest and not source.startswith((".", "/", "~", "$")):
            mounts[source] = rest.split(":")[0]
    return mounts


def healthcheck_python_code(test) -> str:
    """The code of a `python -c CODE` health check, from compose's list or a Dockerfile line."""
    if isinstance(test, list):
        return test[test.index("-c") + 1]
    words = shlex.split(test)
    return words[words.index("-c") + 1]


def production_accepts_secret_key(key: str) -> bool:
    """The rule in qms_portal/settings/production.py."""
    return len(key) >= 50 and not key.startswith("django-insecure") and len(set(key)) >= 5


# --- docker-compose.yml ---------------------------------------------------------------------------


def test_compose_uses_the_compose_spec_without_version_key(compose):
    assert "version" not in compose, "the Compose spec has no `version:` key"
    assert isinstance(compose.get("services"), dict)


def test_compose_has_every_service(services):
    for name in ("web", "worker", "beat", "postgres", "redis", "mailpit"):
        assert name in services, f"service {name!r} missing"


def test_web_worker_and_beat_share_one_image(services):
    images = {name: services[name].get("image") for name in APP_SERVICES}
    assert set(images.values()) == {OUR_IMAGE}, images
    assert "build" in services["web"], "web builds the shared image"
    for name in ("worker", "beat"):
        assert "build" not in services[name], f"{name} must reuse web's image, not build its own"


def test_worker_and_beat_yield_the_cpu_to_web(services):
    """At a reporting deadline people come first: web keeps the default weight (1,024), four times the worker's."""
    assert services["worker"]["cpu_shares"] == services["beat"]["cpu_shares"] == 256
    assert "cpu_shares" not in services["web"]


def test_web_postgres_redis_and_worker_have_health_checks(services):
    for name in ("web", "postgres", "redis", "worker"):
        healthcheck = services[name].get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name}'s healthcheck is disabled"
        assert healthcheck.get("test"), f"{name}'s healthcheck has no test"
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "/healthz" in str(services["web"]["healthcheck"]["test"])


def test_beat_disables_the_image_health_check_it_cannot_pass(services):
    # The Dockerfile's HEALTHCHECK probes gunicorn; beat has none, so it must not inherit it.
    healthcheck = services["beat"].get("healthcheck", {})
    assert healthcheck.get("disable") is True or healthcheck.get("test")


def test_web_health_check_is_valid_python_and_matches_the_dockerfile(services):
    compose_code = healthcheck_python_code(services["web"]["healthcheck"]["test"])
    compile(compose_code, "web-healthcheck", "exec")
    (healthcheck,) = instruction_args("HEALTHCHECK")
    dockerfile_code = healthcheck_python_code(healthcheck.split(" CMD ", 1)[1])
    compile(dockerfile_code, "dockerfile-healthcheck", "exec")
    assert compose_code == dockerfile_code
    for needed in ("urllib", "/healthz", "X-Forwarded-Proto", "ALLOWED_HOSTS"):
        assert needed in compose_code


def test_named_volumes_are_declared_and_used(compose, services):
    declared = set(compose.get("volumes") or {})
    assert {"postgres-data", "redis-data", "media"} <= declared
    used = {}
    for name, service in services.items():
        for source, target in named_volume_mounts(service).items():
            assert source in declared, f"{name} mounts undeclared volume {source!r}"
            used.setdefault(source, {})[name] = target
    assert declared == set(used), f"declared but unused: {declared - set(used)}"
    assert used["postgres-data"] == {"postgres": "/var/lib/postgresql/data"}
    assert used["redis-data"] == {"redis": "/data"}
    assert used["media"].get("web") == "/app/var/media"
    assert used["media"].get("worker") == "/app/var/media"


def test_app_services_wait_for_healthy_postgres_and_redis(services):
    for name in APP_SERVICES:
        depends_on = services[name].get("depends_on")
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for dependency in ("postgres", "redis"):
            assert depends_on.get(dependency, {}).get("condition") == "service_healthy", (name, dependency)
    assert services["beat"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_secrets_and_the_portal_address_are_required_not_defaulted(services):
    raw = COMPOSE_FILE.read_text(encoding="utf-8")
    for variable in REQUIRED_VARIABLES:
        uses = [match for match in INTERPOLATION.finditer(raw) if match.group(1) == variable]
        assert uses, f"{variable} is never read from the environment"
        for match in uses:
            assert match.group(2).startswith(":?"), f"{match.group(0)} must use :? (required)"
    for name in APP_SERVICES:
        value = environment(services[name])["SECRET_KEY"]
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", value), f"{name}: SECRET_KEY = {value!r}"
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]+\}", environment(services["postgres"])["POSTGRES_PASSWORD"])
    for name in APP_SERVICES:
        value = environment(services[name])["PORTAL_BASE_URL"]
        assert re.fullmatch(r"\$\{PORTAL_BASE_URL:\?[^}]+\}", value), f"{name}: PORTAL_BASE_URL = {value!r}"


def test_only_the_required_variables_have_no_default():
    raw = COMPOSE_FILE.read_text(encoding="utf-8")
    for match in INTERPOLATION.finditer(raw):
        name, modifier = match.groups()
        if name in REQUIRED_VARIABLES:
            continue
        assert modifier.startswith(":-"), f"{match.group(0)} needs an explicit ${{VAR:-default}}"


def test_app_services_read_an_optional_env_file(services):
    for name in APP_SERVICES:
        env_files = services[name].get("env_file")
        assert isinstance(env_files, list), f"{name}: use the long env_file syntax"
        assert {"path": ".env", "required": False} in env_files, name


def test_app_services_use_production_settings_and_reach_the_other_services(services):
    for name in APP_SERVICES:
        env = environment(services[name])
        assert env["DJANGO_SETTINGS_MODULE"] == "qms_portal.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "${REDIS_URL:-redis://redis:6379/0}"
        assert env["EMAIL_URL"] == "${EMAIL_URL:-smtp://mailpit:1025}"
        assert env["MEDIA_ROOT"] == "/app/var/media"
        for variable in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DEFAULT_FROM_EMAIL", "PORTAL_BASE_URL"):
            assert variable in env, (name, variable)
        # One TLS proxy of ours in front of web: the client is the last address it appends to X-Forwarded-For.
        assert env["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


def test_web_is_published_for_the_proxy_on_this_host_only(services):
    (port,) = services["web"]["ports"]
    assert port == "${WEB_BIND_ADDRESS:-127.0.0.1}:${WEB_PORT:-8000}:8000"


def test_only_web_runs_migrations(services):
    flags = {name: str(environment(services[name]).get("RUN_MIGRATIONS", "0")) for name in APP_SERVICES}
    assert flags == {"web": "1", "worker": "0", "beat": "0"}


def test_third_party_images_are_pinned(services):
    for name, service in services.items():
        image = service.get("image")
        assert image, f"{name} has no image"
        if image == OUR_IMAGE:
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image} has no tag"
        assert tag != "latest", f"{name}: {image} uses the latest tag"
    # The image's pg_dump (Debian's postgresql-client-15) must match the server's major version.
    assert services["postgres"]["image"] == "postgres:15-alpine"
    assert services["redis"]["image"] == "redis:7-alpine"
    assert services["mailpit"]["image"].startswith("axllent/mailpit:")


def test_service_commands(services):
    web = command_text(services["web"])
    assert web.startswith("gunicorn ") and "qms_portal.wsgi:application" in web
    assert "0.0.0.0:8000" in web and "--workers 3" in web
    assert all(str(port).endswith(":8000") for port in services["web"]["ports"])
    assert command_text(services["worker"]) == "celery -A qms_portal worker --loglevel=info --concurrency=2 -O fair"
    beat = command_text(services["beat"])
    assert beat.startswith("celery -A qms_portal beat")
    assert "--scheduler django_celery_beat.schedulers:DatabaseScheduler" in beat
    assert "--appendonly yes" in command_text(services["redis"])
    assert any(str(port).endswith(":8025") for port in services["mailpit"]["ports"])


# --- Dockerfile -----------------------------------------------------------------------------------


def test_dockerfile_builds_from_python_311_slim():
    bases = [args.split()[0] for args in instruction_args("FROM")]
    assert bases, "no FROM"
    for base in bases:
        assert base.startswith("python:3.11"), base
    assert bases[-1] == "python:3.11-slim"


def test_dockerfile_runs_as_a_non_root_user():
    users = instruction_args("USER")
    assert users, "no USER: the image would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert any(re.search(rf"(useradd|adduser)\b.*\b{re.escape(users[-1])}\b", run) for run in instruction_args("RUN"))
    # Nothing may run as root after the switch.
    keywords = [kw for kw, _ in dockerfile_instructions()]
    assert "RUN" not in keywords[keywords.index("USER") + 1 :]


def test_dockerfile_installs_weasyprint_libraries_cleanly():
    apt = [run for run in instruction_args("RUN") if "apt-get install" in run]
    assert len(apt) == 1
    for fragment in (
        "--no-install-recommends",
        "rm -rf /var/lib/apt/lists/*",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz0b",
        "libharfbuzz-subset0",
        "postgresql-client-15",
    ):
        assert fragment in apt[0], fragment
    pip = [run for run in instruction_args("RUN") if "pip install" in run]
    assert pip and all("--no-cache-dir" in run and "-r " in run for run in pip)


def test_dockerfile_compiles_translations_only_when_there_are_any():
    (compile_step,) = [run for run in instruction_args("RUN") if "babel.messages.frontend compile" in run]
    assert "if [ -d locale ]" in compile_step
    assert "-d locale -D django" in compile_step
    assert "|| true" not in DOCKERFILE.read_text(encoding="utf-8")


def test_dockerfile_collects_static_files_with_a_build_only_key():
    (collect,) = [run for run in instruction_args("RUN") if "collectstatic" in run]
    assert "manage.py collectstatic --noinput" in collect
    match = re.search(r"\bSECRET_KEY=(\S+)", collect)
    assert match, "collectstatic needs SECRET_KEY set on its own RUN line"
    key = match.group(1)
    assert "build-only" in key
    assert production_accepts_secret_key(key), "production settings would refuse this key"
    assert "ALLOWED_HOSTS=" in collect
    assert "PORTAL_BASE_URL=" not in collect, "a build step needs no public address (qms_portal.public_address)"
    for keyword in ("ENV", "ARG"):
        assert not any("SECRET_KEY" in args for args in instruction_args(keyword)), f"SECRET_KEY in {keyword}"


def test_dockerfile_defaults_to_production_settings():
    env = " ".join(instruction_args("ENV"))
    assert "DJANGO_SETTINGS_MODULE=qms_portal.settings.production" in env


def test_dockerfile_health_check_uses_python_not_curl():
    (healthcheck,) = instruction_args("HEALTHCHECK")
    assert "urllib" in healthcheck and "/healthz" in healthcheck
    assert "curl" not in healthcheck and "wget" not in healthcheck


def test_dockerfile_serves_with_gunicorn_through_the_entrypoint():
    assert "8000" in instruction_args("EXPOSE")
    (entrypoint,) = instruction_args("ENTRYPOINT")
    assert "docker/entrypoint.sh" in entrypoint
    (cmd,) = instruction_args("CMD")
    for fragment in ("gunicorn qms_portal.wsgi:application", "0.0.0.0:${PORT:-8000}", "--workers 3", "--timeout"):
        assert fragment in cmd, fragment


# --- docker/entrypoint.sh -------------------------------------------------------------------------


def test_entrypoint_is_an_executable_strict_shell_script():
    mode = ENTRYPOINT.stat().st_mode
    assert mode & stat.S_IXUSR and mode & stat.S_IXGRP and mode & stat.S_IXOTH, "entrypoint is not executable"
    text = ENTRYPOINT.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh")
    assert re.search(r"^set -e", text, re.MULTILINE)
    assert 'exec "$@"' in text
    assert "RUN_MIGRATIONS" in text and "migrate --noinput" in text and "load_divisions" in text
    if shutil.which("sh"):
        subprocess.run(["sh", "-n", str(ENTRYPOINT)], check=True)


def _run_entrypoint(env_overrides: dict, *command: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "RUN_MIGRATIONS"}}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.update(env_overrides)
    return subprocess.run(["sh", str(ENTRYPOINT), *command], env=env, capture_output=True, text=True, timeout=60)


def _closed_local_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not shutil.which("sh"), reason="needs a POSIX shell")
def test_entrypoint_runs_the_command_when_there_is_no_postgres_to_wait_for(tmp_path):
    result = _run_entrypoint({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, "echo", "command-ran")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "command-ran"


@pytest.mark.skipif(not shutil.which("sh"), reason="needs a POSIX shell")
def test_entrypoint_gives_up_on_an_unreachable_database():
    url = f"postgres://nobody:nothing@127.0.0.1:{_closed_local_port()}/nothing"
    result = _run_entrypoint({"DATABASE_URL": url, "DB_WAIT_TIMEOUT": "0"}, "echo", "command-ran")
    assert result.returncode != 0
    assert "command-ran" not in result.stdout
    assert "database not reachable" in result.stderr
    assert "nothing@" not in result.stderr, "the database URL (with its password) must not be printed"


# --- .env.example and .dockerignore ---------------------------------------------------------------


def test_env_example_documents_every_variable_and_holds_no_secret():
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))
    interpolated = {match.group(1) for match in INTERPOLATION.finditer(COMPOSE_FILE.read_text(encoding="utf-8"))}
    project_settings = {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "MEDIA_ROOT",
        "PORT",
        "PORTAL_BASE_URL",
        "TRUSTED_PROXY_COUNT",
    }
    missing = (interpolated | project_settings) - documented
    assert not missing, f"undocumented in .env.example: {sorted(missing)}"
    secret_key = re.search(r"^SECRET_KEY=(.*)$", text, re.MULTILINE).group(1)
    assert "change-me" in secret_key
    assert not production_accepts_secret_key(secret_key), "the placeholder must not pass as a real key"


def _dockerignore_regex(pattern: str) -> re.Pattern:
    """Docker's pattern syntax: `*` and `?` stay within one path segment, `**/` spans any number."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def test_dockerignore_keeps_local_state_out_and_the_project_in():
    rules = []
    for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            negate = line.startswith("!")
            rules.append((negate, _dockerignore_regex(line.lstrip("!").strip("/"))))

    def ignored(path: str) -> bool:
        # A pattern excludes a path when it matches the path or one of its parent folders.
        parts = path.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        result = False
        for negate, regex in rules:
            if any(regex.fullmatch(prefix) for prefix in prefixes):
                result = not negate
        return result

    for path in (
        ".venv/bin/python",
        ".git/HEAD",
        ".env",
        "var/media/x.pdf",
        "db.sqlite3",
        "agencies/__pycache__/models.cpython-311.pyc",
        "agencies/__pycache__/stray.txt",
        "qms_portal/x.pyc",
        "node_modules/a/b.js",
        ".pytest_cache/v",
        "docs/bench/raw.json",
    ):
        assert ignored(path), f"{path} would be sent to the build"
    for path in (
        "docker/entrypoint.sh",
        "requirements.txt",
        "manage.py",
        "qms_portal/settings/production.py",
        "static/fonts/x.ttf",
        "locale/vi/LC_MESSAGES/django.po",
        "templates/base.html",
    ):
        assert not ignored(path), f"{path} is needed in the image but ignored"


# --- every command the image runs exists in it ----------------------------------------------------
# `docker compose config` and `docker build` cannot run here; what they would run can be checked against the code.


def _command_lines(services) -> list[str]:
    """Every command line the image runs: Dockerfile RUN and CMD, compose commands and health checks, entrypoint."""
    lines = [*instruction_args("RUN"), *instruction_args("CMD")]
    for service in services.values():
        lines.append(command_text(service))
        test = (service.get("healthcheck") or {}).get("test")
        if test:
            lines.append(" ".join(test[1:]) if isinstance(test, list) else test)
    lines.extend(ENTRYPOINT.read_text(encoding="utf-8").splitlines())
    return [line.replace("$$", "$") for line in lines if line]


def _invocations(lines: list[str], program: str) -> list[list[str]]:
    """The argument lists after `program` on each line (up to the end of its shell command)."""
    found = []
    for line in lines:
        for match in re.finditer(rf"(?:^|[\s\"'\[,]){re.escape(program)}\s+([^;&|\"'\]]+)", line):
            found.append(shlex.split(match.group(1).replace(",", " ")))
    return found


def test_every_manage_py_command_exists_and_takes_its_options(services):
    from django.core.management import get_commands, load_command_class

    invocations = _invocations(_command_lines(services), "manage.py")
    names = {args[0] for args in invocations}
    assert {"collectstatic", "migrate", "load_divisions"} <= names, names
    commands = get_commands()
    for name, *options in invocations:
        assert name in commands, f"manage.py {name}: no such command"
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        parser.parse_args(options)  # SystemExit on an unknown option


def test_celery_commands_name_the_app_its_subcommands_and_the_scheduler(services):
    from celery.app.utils import find_app
    from celery.beat import Scheduler
    from celery.bin.base import CLIContext
    from celery.bin.celery import celery as celery_cli
    from celery.utils.imports import symbol_by_name

    invocations = [args for args in _invocations(_command_lines(services), "celery") if args[:1] == ["-A"]]
    assert {args[2] for args in invocations} >= {"worker", "beat", "inspect"}, invocations
    schedulers = []
    for _flag, app_name, subcommand, *options in invocations:
        app = find_app(app_name)
        assert app.main == "qms_portal", app_name
        assert subcommand in celery_cli.commands, f"celery {subcommand}: no such command"
        parent = click.Context(celery_cli, info_name="celery", obj=CLIContext(app=app, no_color=True, workdir=None))
        context = celery_cli.commands[subcommand].make_context(subcommand, list(options), parent=parent)
        if context.params.get("scheduler"):
            schedulers.append(context.params["scheduler"])
    for scheduler in schedulers:
        assert issubclass(symbol_by_name(scheduler), Scheduler), scheduler
    assert schedulers == ["django_celery_beat.schedulers:DatabaseScheduler"]


def _production_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(DJANGO_SETTINGS_MODULE=dockerfile_env()["DJANGO_SETTINGS_MODULE"], SECRET_KEY=GOOD_KEY,
               ALLOWED_HOSTS="qms.example.gov.vn", PORTAL_BASE_URL="https://qms.example.gov.vn")
    return env


def test_gunicorn_commands_load_the_application_under_production_settings(services):
    from importlib.metadata import entry_points

    scripts = {entry.name for entry in entry_points(group="console_scripts")}
    assert {"gunicorn", "celery"} <= scripts, "the image's programs are not installed by requirements.txt"
    dockerfile_command = image_command()
    assert dockerfile_command[0] == "gunicorn" and services["web"]["command"][0] == "gunicorn"
    env = _production_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "qms_portal.settings.production"
    for args in (dockerfile_command[1:], services["web"]["command"][1:]):
        args = [arg.replace("${PORT:-8000}", "8000") for arg in args]
        assert args[0] == "qms_portal.wsgi:application"
        result = subprocess.run([sys.executable, "-m", "gunicorn", "--check-config", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("port", ["8000", "8101"])
def test_make_run_points_documents_at_the_port_it_serves(port):
    """QR codes, verification links and e-mails must reach the portal `make run` serves (issue 14)."""
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"}
    out = subprocess.run(["make", "-n", "run", f"PORT={port}"], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout
    serve = next(line for line in out.splitlines() if "runserver" in line)
    worker = next(line for line in out.splitlines() if "celery" in line)
    assert f"PORTAL_BASE_URL=http://127.0.0.1:{port} " in serve and f"runserver 127.0.0.1:{port}" in serve
    assert f"PORTAL_BASE_URL=http://127.0.0.1:{port} " in worker


def test_make_run_keeps_an_explicit_portal_address():
    env = {**os.environ, "PORTAL_BASE_URL": "https://qms.example.gov.vn"}
    out = subprocess.run(["make", "-n", "run", "PORT=8101"], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout
    serve = next(line for line in out.splitlines() if "runserver" in line)
    assert "PORTAL_BASE_URL=https://qms.example.gov.vn " in serve
