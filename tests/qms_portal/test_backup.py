"""`manage.py backup` / `manage.py restore`: one archive with the database and every stored file,
restored into a fresh database and checked row by row and file by file."""

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from agencies.models import Agency
from qms_portal.backup import (
    DATABASE_MEMBERS,
    ENGINE_NAMES,
    BackupError,
    _scrub,
    pg_env,
    read_manifest,
    require_binary,
    restore_backup,
)
from qms_portal.files import stored_bytes_create
from qms_portal.models import StoredFile
from tests.conftest import require_services

BASE_DIR = Path(__file__).resolve().parents[2]
PDF_A = b"%PDF-1.4\n% backup test A\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PDF_B = b"%PDF-1.4\n% backup test B: Bi\xe1\xbb\x83n b\xe1\xba\xa3n ki\xe1\xbb\x83m tra\n%%EOF\n"


@pytest.fixture
def seeded(transactional_db, cast, settings, tmp_path):
    """The cast plus two stored files in a private MEDIA_ROOT, all committed (visible to pg_dump)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    files = [
        stored_bytes_create(content=PDF_A, name="a.pdf", kind="pdf", actor=cast.users["ag_officer"]),
        stored_bytes_create(content=PDF_B, name="biên bản.pdf", kind="pdf"),
    ]
    return cast, files


def _backup(path: Path) -> dict:
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    assert "Backup complete" in out.getvalue()
    return read_manifest(path)


def _table_counts_here() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root),
           "DJANGO_SETTINGS_MODULE": "qms_portal.settings.test"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def _rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy the archive, passing every member's bytes through `change(name, data) -> data`."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


# --- the archive ------------------------------------------------------------------------------------


def test_backup_archive_holds_database_files_and_manifest(seeded, tmp_path):
    cast, files = seeded
    archive = tmp_path / "backups" / "qms.tar.gz"
    manifest = _backup(archive)

    db_member = "database/db.pgdump" if connection.vendor == "postgresql" else "database/db.sqlite3"
    with tarfile.open(archive, "r:gz") as tar:
        names = set(tar.getnames())
        db_bytes = tar.extractfile(db_member).read()
        media = {name: tar.extractfile(name).read() for name in names if name.startswith("media/")}
    assert names == {"manifest.json", db_member} | {f"media/{f.file.name}" for f in files}
    assert sorted(media.values()) == sorted([PDF_A, PDF_B])
    assert archive.stat().st_mode & 0o077 == 0, "the archive holds password hashes: owner-only"

    assert manifest["format_version"] == 1
    assert datetime.fromisoformat(manifest["created_at"].replace("Z", "+00:00")).tzinfo is not None
    assert manifest["database"]["engine"] == connection.settings_dict["ENGINE"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["file"] == db_member
    assert manifest["database"]["sha256"] == hashlib.sha256(db_bytes).hexdigest()

    # Rows per model: every concrete model, counted independently here with its unfiltered manager.
    User = get_user_model()
    assert manifest["models"]["auth.User"]["rows"] == User.objects.count() == len(cast.users)
    assert manifest["models"]["agencies.Agency"]["rows"] == Agency.objects.count() == len(cast.agencies)
    assert manifest["models"]["qms_portal.StoredFile"]["rows"] == 2
    for label, entry in manifest["models"].items():
        model = apps.get_model(label)
        assert entry["table"] == model._meta.db_table
        assert entry["rows"] == model._base_manager.count(), label
    assert {m._meta.label for m in apps.get_models(include_auto_created=True)
            if not m._meta.proxy and m._meta.managed} == set(manifest["models"])

    # Migration state: the test database is fully migrated, so each app's entry is a leaf of the graph.
    loader = MigrationLoader(connection)
    assert set(manifest["migrations"]) == {app for app, _ in loader.applied_migrations}
    for app, name in manifest["migrations"].items():
        assert (app, name) in loader.graph.leaf_nodes(app), (app, name)

    # Stored files: path, size and SHA-256 of each, as recorded on the StoredFile rows.
    assert {(e["path"], e["size"], e["sha256"]) for e in manifest["files"]} == {
        (f.file.name, f.size, hashlib.sha256(content).hexdigest())
        for f, content in zip(files, [PDF_A, PDF_B], strict=True)}
    assert manifest["missing_files"] == []

    if connection.vendor == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(db_bytes)
        with sqlite3.connect(copy) as db:
            assert db.execute("SELECT COUNT(*) FROM auth_user").fetchone()[0] == len(cast.users)
            assert {row[0] for row in db.execute("SELECT sha256 FROM qms_portal_storedfile")} == {
                f.sha256 for f in files}
    else:
        assert db_bytes.startswith(b"PGDMP"), "pg_dump custom format"


def test_backup_never_overwrites_an_existing_archive(seeded, tmp_path):
    archive = tmp_path / "old.tar.gz"
    archive.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"an older backup"


def test_backup_lists_referenced_files_missing_from_media_root(seeded, tmp_path):
    _, files = seeded
    lost = Path(files[0].file.path)
    lost.unlink()
    manifest = _backup(tmp_path / "b.tar.gz")
    assert manifest["missing_files"] == [files[0].file.name]
    assert [e["path"] for e in manifest["files"]] == [files[1].file.name]


# --- restore: refusals -------------------------------------------------------------------------------


def test_restore_refuses_a_database_that_has_data(seeded, tmp_path):
    cast, _ = seeded
    archive = tmp_path / "b.tar.gz"
    _backup(archive)
    before = get_user_model().objects.count()
    with pytest.raises(CommandError, match="already has data.*--force"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert get_user_model().objects.count() == before == len(cast.users)


def test_restore_refuses_an_altered_archive_before_touching_anything(seeded, tmp_path, settings):
    _, files = seeded
    archive, altered = tmp_path / "b.tar.gz", tmp_path / "altered.tar.gz"
    _backup(archive)
    victim = f"media/{files[1].file.name}"
    _rewrite_archive(archive, altered,
                     lambda name, data: data.replace(b"test B", b"test X") if name == victim else data)
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    # --force so that only the checksum check can stop it; it must stop before any file or row is written.
    with pytest.raises(CommandError, match="SHA-256") as error:
        call_command("restore", str(altered), "--force", stdout=io.StringIO())
    assert victim in str(error.value)
    assert not (tmp_path / "restored-media").exists()
    assert StoredFile.objects.count() == 2


def test_restore_refuses_a_manifest_pointing_outside_media_root(seeded, tmp_path, settings):
    archive, altered = tmp_path / "b.tar.gz", tmp_path / "altered.tar.gz"
    manifest = _backup(archive)
    db_file = manifest["database"]["file"]

    def escape(name, data):
        if name != "manifest.json":
            return data
        changed = json.loads(data)
        # Points at a member whose checksum is known, so only the path check can refuse it.
        changed["files"][0].update(path=f"../{db_file}", size=manifest["database"]["size"],
                                   sha256=manifest["database"]["sha256"])
        return json.dumps(changed).encode()

    _rewrite_archive(archive, altered, escape)
    settings.MEDIA_ROOT = str(tmp_path / "deep" / "restored-media")
    with pytest.raises(CommandError, match="outside MEDIA_ROOT"):
        call_command("restore", str(altered), "--force", stdout=io.StringIO())
    assert not (tmp_path / "deep").exists()


def test_restore_rejects_an_archive_that_is_not_a_backup(tmp_path, transactional_db):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        data = json.dumps({"hello": "world"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="not a QMS Portal backup"):
        call_command("restore", str(bogus), stdout=io.StringIO())


# --- connection secrets and tools ----------------------------------------------------------------------


def test_postgres_password_goes_in_the_environment_and_is_scrubbed_from_errors():
    settings_dict = {"HOST": "db.internal", "PORT": 5433, "USER": "qms", "PASSWORD": "pa55 w0rd!",
                     "NAME": "qms", "OPTIONS": {"sslmode": "require"}}
    env = pg_env(settings_dict)
    assert env["PGPASSWORD"] == "pa55 w0rd!"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGSSLMODE"]) == ("db.internal", "5433", "qms", "require")
    assert _scrub("FATAL: password pa55 w0rd! rejected", settings_dict) == "FATAL: password ******** rejected"


def test_missing_postgres_client_tools_fail_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="`pg_restore` was not found.*postgresql-client"):
        require_binary("pg_restore")


# --- restore into a fresh SQLite file (no servers needed) -----------------------------------------------


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite restore path; PostgreSQL is covered by the services test below")


def test_restore_into_a_fresh_sqlite_file_finds_every_row_and_file(sqlite_only, seeded, tmp_path):
    _, files = seeded
    archive = tmp_path / "b.tar.gz"
    _backup(archive)
    source_counts = _table_counts_here()
    target, media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"

    result = _manage("restore", str(archive), database_url=f"sqlite:///{target}", media_root=media)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Restore complete" in result.stdout

    with sqlite3.connect(target) as db:
        tables = {row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        assert tables == set(source_counts)
        for table, rows in source_counts.items():
            assert db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == rows, table
    for stored in files:
        assert _sha256(media / stored.file.name) == stored.sha256

    again = _manage("restore", str(archive), database_url=f"sqlite:///{target}", media_root=media)
    assert again.returncode != 0 and "--force" in again.stderr
    forced = _manage("restore", str(archive), "--force", database_url=f"sqlite:///{target}", media_root=media)
    assert forced.returncode == 0, forced.stderr
    assert "2 already present" in forced.stdout


def test_restore_fails_when_rows_differ_from_the_manifest(sqlite_only, seeded, tmp_path):
    archive, altered = tmp_path / "b.tar.gz", tmp_path / "altered.tar.gz"
    _backup(archive)

    def claim_an_extra_user(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["models"]["auth.User"]["rows"] += 1
        return json.dumps(manifest).encode()

    _rewrite_archive(archive, altered, claim_an_extra_user)
    result = _manage("restore", str(altered), database_url=f"sqlite:///{tmp_path / 'r.sqlite3'}",
                     media_root=tmp_path / "restored-media")
    assert result.returncode != 0
    assert "auth.User" in result.stderr and "the manifest says" in result.stderr


# --- PostgreSQL: restore into a fresh database --------------------------------------------------------


def _pg_params(name: str) -> dict:
    s = connection.settings_dict
    return {"dbname": name, "user": s["USER"] or None, "password": s["PASSWORD"] or None,
            "host": s["HOST"] or None, "port": s["PORT"] or None}


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_postgres_database():
    """An empty PostgreSQL database next to the test database, dropped afterwards."""
    import psycopg2
    from psycopg2 import sql

    if connection.vendor != "postgresql":
        require_services("restoring into a fresh database needs PostgreSQL (set DATABASE_URL)")
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    admin = psycopg2.connect(**_pg_params("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.mark.services
def test_postgresql_backup_restores_into_a_fresh_database(transactional_db, seeded, fresh_postgres_database,
                                                          tmp_path):
    import psycopg2

    _, files = seeded
    archive = tmp_path / "pg.tar.gz"
    manifest = _backup(archive)
    assert manifest["database"]["vendor"] == "postgresql"
    source_counts = _table_counts_here()
    assert source_counts["auth_user"] > 0 and source_counts["qms_portal_storedfile"] == 2

    media = tmp_path / "restored-media"
    url = _pg_url(fresh_postgres_database)
    result = _manage("restore", str(archive), database_url=url, media_root=media)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Restore complete" in result.stdout
    password = connection.settings_dict.get("PASSWORD")
    assert url not in result.stdout + result.stderr
    assert not password or password not in result.stdout + result.stderr

    restored = psycopg2.connect(**_pg_params(fresh_postgres_database))
    try:
        with restored.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'")
            tables = {row[0] for row in cursor.fetchall()}
            assert tables == set(source_counts)
            for table, rows in source_counts.items():
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                assert cursor.fetchone()[0] == rows, table
            cursor.execute("SELECT file, sha256 FROM qms_portal_storedfile")
            assert set(cursor.fetchall()) == {(f.file.name, f.sha256) for f in files}
            # Sequences come back too: the next row does not collide with a restored one.
            cursor.execute("SELECT nextval(pg_get_serial_sequence('auth_user', 'id')) > MAX(id) FROM auth_user")
            assert cursor.fetchone()[0] is True
    finally:
        restored.close()
    for stored in files:
        assert _sha256(media / stored.file.name) == stored.sha256

    again = _manage("restore", str(archive), database_url=url, media_root=media)
    assert again.returncode != 0 and "--force" in again.stderr


# --- helpers and refusals, without a database dump -------------------------------------------------------


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(**changes) -> dict:
    """A manifest read_manifest accepts, for the configured kind of database, with `changes` applied."""
    vendor = connection.vendor
    manifest = {"format_version": 1, "created_at": "2026-03-02T01:02:03Z",
                "database": {"vendor": vendor, "file": DATABASE_MEMBERS[vendor], "size": 4,
                             "sha256": hashlib.sha256(b"dump").hexdigest()},
                "migrations": {}, "models": {}, "files": []}
    manifest.update(changes)
    return manifest


def test_the_default_archive_is_named_by_its_time_under_var_backups(settings):
    from qms_portal.backup import default_archive_path

    made = default_archive_path(datetime(2026, 3, 2, 1, 2, 3, tzinfo=UTC))
    assert made == Path(settings.BASE_DIR) / "var" / "backups" / "qms-20260302T010203Z.tar.gz"
    now = default_archive_path()
    assert now.parent == made.parent and now.name.startswith(f"qms-{datetime.now(UTC):%Y}") and \
        now.name.endswith("Z.tar.gz")


def test_sizes_are_printed_in_decimal_units():
    from qms_portal.backup import human_size

    assert [human_size(n) for n in (0, 999, 1500, 2_500_000, 3_200_000_000, 4_000_000_000_000)] == [
        "0 B", "999 B", "1.5 kB", "2.5 MB", "3.2 GB", "4.0 TB"]


def test_a_failing_tool_is_reported_with_its_exit_code_and_last_lines():
    from qms_portal.backup import _run

    script = "import sys; sys.stderr.write(''.join(f'line {n}\\n' for n in range(30))); sys.exit(3)"
    with pytest.raises(BackupError) as error:
        _run([sys.executable, "-c", script], env=dict(os.environ), what="pg_dump")
    lines = str(error.value).splitlines()
    assert lines[0] == "pg_dump failed (exit code 3):"
    assert lines[1:] == [f"line {n}" for n in range(10, 30)]  # the last 20 lines only


def test_counts_and_migration_state_read_an_empty_or_a_migrated_sqlite_file():
    from qms_portal.backup import _migration_state, _referenced_files, _row_counts

    empty = sqlite3.connect(":memory:").cursor()
    assert _migration_state(empty, "sqlite") == {}
    assert _referenced_files(empty, "sqlite") == set()
    counts = _row_counts(empty, "sqlite", {"agencies.Agency": "agencies_agency"})
    assert counts == {"agencies.Agency": {"table": "agencies_agency", "rows": None}}

    migrated = sqlite3.connect(":memory:").cursor()
    migrated.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT)")
    migrated.executemany("INSERT INTO django_migrations (app, name) VALUES (?, ?)",
                         [("qms", "0001_initial"), ("agencies", "0001_initial"), ("qms", "0002_tables_renamed")])
    migrated.execute("CREATE TABLE agencies_agency (id INTEGER PRIMARY KEY)")
    migrated.executemany("INSERT INTO agencies_agency (id) VALUES (?)", [(1,), (2,)])
    assert _migration_state(migrated, "sqlite") == {"agencies": "0001_initial", "qms": "0002_tables_renamed"}
    assert _row_counts(migrated, "sqlite", {"agencies.Agency": "agencies_agency"}) == {
        "agencies.Agency": {"table": "agencies_agency", "rows": 2}}


def test_a_media_root_that_does_not_exist_holds_no_files(tmp_path):
    from qms_portal.backup import _media_files

    assert _media_files(tmp_path / "absent") == []
    (tmp_path / "media" / "b").mkdir(parents=True)
    (tmp_path / "media" / "b" / "2.pdf").write_bytes(b"2")
    (tmp_path / "media" / "1.pdf").write_bytes(b"1")
    assert [p.relative_to(tmp_path / "media").as_posix() for p in _media_files(tmp_path / "media")] == [
        "1.pdf", "b/2.pdf"]


@pytest.mark.parametrize(("members", "message"), [
    (None, "No such archive"),
    ({"database/db.pgdump": b"dump"}, "has no manifest.json: not a QMS Portal backup"),
    ({"manifest.json": b"{not json"}, "is not valid JSON"),
    ({"manifest.json": json.dumps({"format_version": 2}).encode()},
     "format version 2; this code reads up to 1. Restore it with a newer version"),
    ({"manifest.json": json.dumps({"format_version": 1, "database": {}}).encode()},
     "lacks created_at, migrations, models, files: the archive is damaged"),
])
def test_read_manifest_refuses_what_is_not_a_backup_it_can_read(tmp_path, members, message):
    archive = tmp_path / "b.tar.gz"
    if members is not None:
        _tar(archive, members)
    with pytest.raises(BackupError, match=message):
        read_manifest(archive)


def test_read_manifest_refuses_a_file_that_is_not_a_tar_archive(tmp_path):
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"PK\x03\x04 a zip, not a tar.gz")
    with pytest.raises(BackupError, match=r"is not a readable \.tar\.gz archive"):
        read_manifest(archive)


def test_read_manifest_refuses_an_unexpected_database_file_or_a_windows_path(tmp_path):
    odd_database = _manifest()
    odd_database["database"]["file"] = "database/../../etc/passwd"
    _tar(tmp_path / "a.tar.gz", {"manifest.json": json.dumps(odd_database).encode()})
    with pytest.raises(BackupError, match="names an unexpected database file"):
        read_manifest(tmp_path / "a.tar.gz")
    windows = _manifest(files=[{"path": "ho_so\\a.pdf", "size": 1, "sha256": "0"}])
    _tar(tmp_path / "b.tar.gz", {"manifest.json": json.dumps(windows).encode()})
    with pytest.raises(BackupError, match=re.escape(f"outside MEDIA_ROOT ({'ho_so' + chr(92) + 'a.pdf'!r})")):
        read_manifest(tmp_path / "b.tar.gz")
    fine = _tar(tmp_path / "c.tar.gz", {"manifest.json": json.dumps(_manifest()).encode()})
    assert read_manifest(fine) == _manifest()


def test_restore_refuses_an_archive_of_the_other_kind_of_database(tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest = _manifest(database={"vendor": other, "file": DATABASE_MEMBERS[other], "size": 4, "sha256": "0"})
    archive = _tar(tmp_path / "b.tar.gz", {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BackupError, match=f"holds a {ENGINE_NAMES[other]} database but the configured database is "
                                          f"{ENGINE_NAMES[connection.vendor]}"):
        restore_backup(archive_path=archive, log=lambda line: None)


def test_backup_and_restore_refuse_to_run_inside_a_transaction(db, tmp_path):
    from qms_portal.backup import create_backup

    assert connection.in_atomic_block  # the test's own transaction
    with pytest.raises(BackupError, match="Run the backup outside a database transaction"):
        create_backup(output=tmp_path / "b.tar.gz", log=lambda line: None)
    assert not (tmp_path / "b.tar.gz").exists()
    archive = _tar(tmp_path / "r.tar.gz", {"manifest.json": json.dumps(_manifest()).encode()})
    with pytest.raises(BackupError, match="Run the restore outside a database transaction"):
        restore_backup(archive_path=archive, log=lambda line: None)


@pytest.mark.parametrize("name", ["/etc/cron.d/qms", "../outside", "scripts/run.sh"])
def test_extraction_refuses_an_entry_a_backup_never_holds(tmp_path, name):
    from qms_portal.backup import _extract

    archive = _tar(tmp_path / "b.tar.gz", {"manifest.json": b"{}", name: b"#!/bin/sh\n"})
    with pytest.raises(BackupError, match="unexpected entry"):
        _extract(archive, tmp_path / "out", "database/db.pgdump")
    assert not (tmp_path / "out").exists()


def test_the_extracted_archive_is_checked_against_every_line_of_the_manifest(tmp_path):
    from qms_portal.backup import _verify_extracted

    manifest = _manifest(files=[{"path": "a.pdf", "size": 1, "sha256": hashlib.sha256(b"A").hexdigest()},
                                {"path": "gone.pdf", "size": 1, "sha256": hashlib.sha256(b"G").hexdigest()}])
    db_file = manifest["database"]["file"]
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.pdf").write_bytes(b"A")
    (tmp_path / "media" / "extra.pdf").write_bytes(b"E")
    with pytest.raises(BackupError) as missing_db:
        _verify_extracted(tmp_path, manifest)
    assert str(missing_db.value).splitlines() == [
        "The archive is damaged or was altered; nothing was restored:",
        f"  {db_file}: missing from the archive",
        "  media/gone.pdf: missing from the archive",
        "  media/extra.pdf: in the archive but not in the manifest"]
    (tmp_path / db_file).parent.mkdir(parents=True)
    (tmp_path / db_file).write_bytes(b"dumq")
    with pytest.raises(BackupError, match=f"{db_file}: size or SHA-256 differs from the manifest"):
        _verify_extracted(tmp_path, manifest)
    (tmp_path / db_file).write_bytes(b"dump")
    (tmp_path / "media" / "gone.pdf").write_bytes(b"G")
    (tmp_path / "media" / "extra.pdf").unlink()
    _verify_extracted(tmp_path, manifest)  # all as listed: no error


def test_restore_says_when_the_backup_is_newer_or_older_than_this_code():
    from qms_portal.backup import _migration_hints

    loader = MigrationLoader(None, ignore_no_migrations=True)
    (_, latest_qms), = loader.graph.leaf_nodes("qms")
    assert latest_qms != "0001_initial"
    lines = []
    _migration_hints({"migrations": {"agencies": "9999_from_the_future", "qms": "0001_initial"}}, lines.append)
    assert lines == [
        "  warning: the backup was made by a newer version of the portal (migrations unknown here: "
        "agencies.9999_from_the_future); run that version's code against it.",
        "  note: this code has newer migrations for qms; run `python manage.py migrate` after the restore."]


def test_the_restore_summary_lists_rows_files_and_warnings():
    from qms_portal.backup import RestoreSummary, iter_summary

    summary = RestoreSummary(models={"agencies.Agency": 3, "qms.QmsRecord": 0}, files_written=2, files_unchanged=1,
                             warnings=["a.pdf is referenced but was already missing when the backup was made"])
    lines = list(iter_summary(summary))
    assert lines[0] == "  3 rows in 2 model tables, all as in the manifest"
    assert lines[1].split() == ["agencies.Agency", "3"] and len(lines) == 4
    assert lines[2] == "  stored files: 2 written, 1 already present"
    assert lines[3] == "  warning: a.pdf is referenced but was already missing when the backup was made"


def test_the_restored_database_is_checked_against_the_manifest(db, settings, tmp_path):
    from qms_portal.backup import RestoreSummary, _migration_state, _verify_restored

    settings.MEDIA_ROOT = str(tmp_path / "media")
    lost = stored_bytes_create(content=PDF_A, name="a.pdf", kind="pdf")
    Path(lost.file.path).unlink()
    vendor = connection.vendor
    with connection.cursor() as cursor:
        migrations = _migration_state(cursor, vendor)
    agencies = Agency.objects.count()

    wrong = {"migrations": {"agencies": "0001_initial"}, "models": {
        "agencies.Agency": {"table": "agencies_agency", "rows": agencies + 5},
        "gone.Model": {"table": "gone_model", "rows": 3},
        "qms_portal.StoredFile": {"table": StoredFile._meta.db_table, "rows": None}}}  # None: not checked
    with pytest.raises(BackupError) as error:
        _verify_restored(wrong, vendor, lambda line: None, RestoreSummary())
    assert str(error.value).splitlines() == [
        "The restored data does not match the backup:",
        f"  agencies.Agency: {agencies} rows, the manifest says {agencies + 5}",
        "  gone.Model: table gone_model is missing (expected 3 rows)",
        f"  migration state differs from the manifest: {migrations} != {{'agencies': '0001_initial'}}"]

    right = {"migrations": migrations, "models": {"agencies.Agency": {"table": "agencies_agency", "rows": agencies}}}
    with pytest.raises(BackupError, match=f"{re.escape(lost.file.name)}: referenced by the database but not in "
                                          "MEDIA_ROOT"):
        _verify_restored(right, vendor, lambda line: None, RestoreSummary())
    summary = RestoreSummary()
    _verify_restored({**right, "missing_files": [lost.file.name]}, vendor, lambda line: None, summary)
    assert summary.models == {"agencies.Agency": agencies}
    assert summary.warnings == [f"{lost.file.name} is referenced but was already missing when the backup was made"]
