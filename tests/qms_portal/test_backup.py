"""`manage.py backup` / `manage.py restore`: one archive with the database and every stored file,
restored into a fresh database and checked row by row and file by file."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from agencies.models import Agency
from qms_portal.backup import BackupError, _scrub, pg_env, read_manifest, require_binary
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
