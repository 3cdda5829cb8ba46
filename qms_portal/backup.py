"""Back up and restore the portal: the database and every stored file in one `.tar.gz` archive.

Archive layout (format version 1)::

    database/db.pgdump     pg_dump --format=custom (PostgreSQL), or
    database/db.sqlite3    a copy made with SQLite's online backup API
    media/<path>           every regular file under MEDIA_ROOT, at its path relative to MEDIA_ROOT
    manifest.json          format version, creation time, engine, migration state, rows per model,
                           and size + SHA-256 of the database file and of every stored file

The database snapshot and the row counts in the manifest come from the same moment: on PostgreSQL
the counts are read in a REPEATABLE READ transaction whose snapshot pg_dump reuses (`--snapshot`);
on SQLite they are read from the copy itself. Stored files are listed after the snapshot is taken:
files are written before the rows that reference them and never change, so every file the
snapshot references is in the archive.

Connection secrets never reach a command line or the output: pg_dump and pg_restore get the
password in PGPASSWORD, and their error output is scrubbed of it. Hand-written rather than
django-dbbackup because we want one archive with a verifiable manifest, snapshot-consistent row
counts and a restore that checks them; the tools doing the real work are pg_dump/pg_restore and
SQLite's backup API.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"postgresql": "database/db.pgdump", "sqlite": "database/db.sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# Rows `migrate` writes by itself into any database; they do not count as "data" in a restore target.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
PG_LOCK_TIMEOUT = "120s"
CHUNK = 1024 * 1024

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore could not be done; the message says why, for an operator."""


@dataclass
class RestoreSummary:
    models: dict[str, int] = field(default_factory=dict)
    files_written: int = 0
    files_unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


# --- small helpers --------------------------------------------------------------------------------


def default_archive_path(now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    return Path(settings.BASE_DIR) / "var" / "backups" / f"qms-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    value, unit = size / 1000, "kB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"`{name}` was not found on PATH. Install the PostgreSQL client tools "
            f"(Debian: `apt-get install postgresql-client`, the same major version as the server or newer)."
        )
    return path


def database_vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def connect(*, restoring: bool = False) -> None:
    """Open the connection now, turning a failure into one clear line (never the URL or password)."""
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        reason = (_scrub(str(exc), connection.settings_dict).strip().splitlines() or ["unknown error"])[0]
        hint = (" Create the target database first (e.g. `createdb NAME`) and check DATABASE_URL."
                if restoring else " Check DATABASE_URL and that the database server is up.")
        raise BackupError(f"Cannot connect to the {describe_database()}: {reason}.{hint}") from exc


def describe_database() -> str:
    """Where the configured database is, for progress output: never the user, password or URL."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite database {s['NAME']}"
    where = f"{s.get('HOST') or 'local socket'}" + (f":{s['PORT']}" if s.get("PORT") else "")
    return f'PostgreSQL database "{s["NAME"]}" on {where}'


def pg_env(settings_dict: dict) -> dict[str, str]:
    """Environment for pg_dump/pg_restore: connection settings as libpq variables (the password too)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    options = settings_dict.get("OPTIONS") or {}
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    env.update({key: str(value) for key, value in pairs.items() if value not in (None, "")})
    return env


def _scrub(text: str, settings_dict: dict) -> str:
    password = settings_dict.get("PASSWORD")
    return text.replace(str(password), "********") if password else text


def _run(args: list[str], *, env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        details = _scrub((result.stderr or result.stdout or "").strip(), connection.settings_dict)
        tail = "\n".join(details.splitlines()[-20:])
        raise BackupError(f"{what} failed (exit code {result.returncode}):\n{tail}")


def model_tables() -> dict[str, str]:
    """Every concrete model with a table (many-to-many tables and history models included): label -> table."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        tables[meta.label] = meta.db_table
    return dict(sorted(tables.items()))


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of every concrete model."""
    columns = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        for model_field in meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                columns.append((meta.db_table, model_field.column))
    return columns


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _existing_tables(cursor, vendor: str) -> set[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    return {row[0] for row in cursor.fetchall()}


def _row_counts(cursor, vendor: str, tables: dict[str, str]) -> dict[str, dict]:
    existing = _existing_tables(cursor, vendor)
    counts = {}
    for label, table in tables.items():
        rows = None
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {_q(table)}")  # noqa: S608 (table names come from the models)
            rows = cursor.fetchone()[0]
        counts[label] = {"table": table, "rows": rows}
    return counts


def _migration_state(cursor, vendor: str) -> dict[str, str]:
    """The latest applied migration of each app (latest = applied last)."""
    if "django_migrations" not in _existing_tables(cursor, vendor):
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(sorted({app: name for app, name in cursor.fetchall()}.items()))


def _referenced_files(cursor, vendor: str) -> set[str]:
    existing = _existing_tables(cursor, vendor)
    names: set[str] = set()
    for table, column in file_columns():
        if table in existing:
            cursor.execute(f"SELECT {_q(column)} FROM {_q(table)} WHERE {_q(column)} <> ''")  # noqa: S608
            names.update(row[0] for row in cursor.fetchall() if row[0])
    return names


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                files.append(path)
    return files


class _HashingReader:
    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _private_entry(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(mtime), 0o600
    archive.addfile(info, io.BytesIO(data))


# --- backup -----------------------------------------------------------------------------------------


def _dump_postgresql(target: Path, log: Log) -> dict:
    pg_dump = require_binary("pg_dump")
    settings_dict = connection.settings_dict
    env = pg_env(settings_dict)
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        # One snapshot for the counts below and for pg_dump: the manifest describes exactly the dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        counts = _row_counts(cursor, "postgresql", model_tables())
        migrations = _migration_state(cursor, "postgresql")
        referenced = _referenced_files(cursor, "postgresql")
        log(f"  running {version or 'pg_dump'} (custom format)")
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--no-password",
              f"--lock-wait-timeout={PG_LOCK_TIMEOUT}", f"--snapshot={snapshot}", f"--file={target}",
              f"--dbname={settings_dict['NAME']}"], env=env, what="pg_dump")
    return {"counts": counts, "migrations": migrations, "referenced": referenced,
            "tool": version, "server_version": server_version}


def _dump_sqlite(target: Path, log: Log) -> dict:
    connection.ensure_connection()
    log("  copying with the SQLite online backup API")
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    # Counts come from the copy itself, so they describe exactly what is in the archive.
    copy = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        cursor = copy.cursor()
        info = {"counts": _row_counts(cursor, "sqlite", model_tables()),
                "migrations": _migration_state(cursor, "sqlite"),
                "referenced": _referenced_files(cursor, "sqlite"),
                "tool": f"sqlite3 {sqlite3.sqlite_version}", "server_version": sqlite3.sqlite_version}
    finally:
        copy.close()
    return info


def create_backup(*, output: Path | None = None, log: Log = print) -> tuple[Path, dict]:
    """Write the archive; returns its path and the manifest. Raises BackupError with a clear message."""
    vendor = database_vendor()
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a database transaction: uncommitted rows cannot be backed up.")
    output = Path(output) if output else default_archive_path()
    connect()
    if output.exists():
        raise BackupError(f"{output} already exists; a backup never overwrites another. Choose another --output.")
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    created_at = datetime.now(UTC)
    db_member = DATABASE_MEMBERS[vendor]

    with tempfile.TemporaryDirectory(prefix=".qms-backup-", dir=output.parent) as workdir:
        dump_path = Path(workdir) / PurePosixPath(db_member).name
        log(f"Backing up the {describe_database()} ...")
        info = (_dump_postgresql if vendor == "postgresql" else _dump_sqlite)(dump_path, log)
        db_sha256, db_size = sha256_file(dump_path)
        total_rows = sum(entry["rows"] or 0 for entry in info["counts"].values())
        log(f"  database: {human_size(db_size)}, {total_rows} rows in {len(info['counts'])} model tables")
        tableless = [label for label, entry in info["counts"].items() if entry["rows"] is None]
        if tableless:
            log(f"  warning: {len(tableless)} models have no table (migrations not applied?): {', '.join(tableless)}")

        root = media_root()
        partial = Path(workdir) / "archive.tar.gz"
        files: list[dict] = []
        log(f"Adding stored files from MEDIA_ROOT ({root}) ...")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump_path, arcname=db_member, recursive=False, filter=_private_entry)
            for path in _media_files(root):
                relative = path.relative_to(root).as_posix()
                with open(path, "rb") as handle:
                    stat = os.fstat(handle.fileno())
                    tar_info = tarfile.TarInfo(MEDIA_PREFIX + relative)
                    tar_info.size, tar_info.mtime, tar_info.mode = stat.st_size, int(stat.st_mtime), 0o600
                    reader = _HashingReader(handle)
                    archive.addfile(tar_info, reader)
                files.append({"path": relative, "size": stat.st_size, "sha256": reader.digest.hexdigest()})
            stored = {entry["path"] for entry in files}
            missing = sorted(info["referenced"] - stored)
            total_bytes = sum(entry["size"] for entry in files)
            log(f"  {len(files)} file(s), {human_size(total_bytes)}")
            for name in missing[:20]:
                log(f"  warning: the database references {name}, which is not in MEDIA_ROOT")
            manifest = {
                "format_version": FORMAT_VERSION,
                "created_at": created_at.isoformat().replace("+00:00", "Z"),
                "django_version": django.get_version(),
                "database": {"engine": connection.settings_dict["ENGINE"], "vendor": vendor, "file": db_member,
                             "size": db_size, "sha256": db_sha256, "tool": info["tool"],
                             "server_version": info["server_version"]},
                "migrations": info["migrations"],
                "models": info["counts"],
                "files": files,
                "missing_files": missing,
            }
            _add_bytes(archive, MANIFEST_NAME,
                       json.dumps(manifest, indent=2, ensure_ascii=False).encode(), created_at.timestamp())
        os.chmod(partial, 0o600)
        if output.exists():
            raise BackupError(f"{output} appeared while the backup ran; not overwriting it.")
        os.replace(partial, output)
    log(f"Backup written: {output} ({human_size(output.stat().st_size)})")
    return output, manifest


# --- restore ----------------------------------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.getmember(MANIFEST_NAME)
            handle = archive.extractfile(member)
            manifest = json.loads(handle.read().decode()) if handle else None
    except FileNotFoundError as exc:
        raise BackupError(f"No such archive: {archive_path}") from exc
    except KeyError as exc:
        raise BackupError(f"{archive_path} has no {MANIFEST_NAME}: not a QMS Portal backup.") from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive_path} is not a readable .tar.gz archive ({exc}).") from exc
    except ValueError as exc:
        raise BackupError(f"The manifest of {archive_path} is not valid JSON ({exc}).") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format_version"), int):
        raise BackupError(f"The manifest of {archive_path} has no format version: not a QMS Portal backup.")
    if manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(f"The archive has format version {manifest['format_version']}; this code reads "
                          f"up to {FORMAT_VERSION}. Restore it with a newer version of the portal.")
    missing = [key for key in ("created_at", "database", "migrations", "models", "files") if key not in manifest]
    if missing:
        raise BackupError(f"The manifest of {archive_path} lacks {', '.join(missing)}: the archive is damaged.")
    database = manifest["database"]
    if database.get("file") != DATABASE_MEMBERS.get(database.get("vendor")):
        raise BackupError(f"The manifest of {archive_path} names an unexpected database file; refusing it.")
    unsafe = [entry.get("path") for entry in manifest["files"] if not _safe_relative(entry.get("path"))]
    if unsafe:
        raise BackupError(f"The manifest lists file paths outside MEDIA_ROOT ({unsafe[0]!r}); refusing it.")
    return manifest


def _safe_relative(name) -> bool:
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "." not in path.parts


def _allowed_member(name: str, db_member: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        return False
    return name in (MANIFEST_NAME, db_member, "database", "media") or name.startswith(MEDIA_PREFIX)


def _extract(archive_path: Path, destination: Path, db_member: str) -> None:
    with tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
        for member in members:
            if not (member.isfile() or member.isdir()) or not _allowed_member(member.name, db_member):
                raise BackupError(f"The archive holds an unexpected entry {member.name!r}; refusing it.")
        archive.extractall(destination, members=members, filter="data")


def _verify_extracted(workdir: Path, manifest: dict) -> None:
    database = manifest["database"]
    problems = []
    db_path = workdir / database["file"]
    if not db_path.is_file():
        problems.append(f"{database['file']}: missing from the archive")
    elif sha256_file(db_path) != (database["sha256"], database["size"]):
        problems.append(f"{database['file']}: size or SHA-256 differs from the manifest")
    listed = {}
    for entry in manifest["files"]:
        listed[entry["path"]] = entry
        path = workdir / "media" / entry["path"]
        if not path.is_file():
            problems.append(f"media/{entry['path']}: missing from the archive")
        elif sha256_file(path) != (entry["sha256"], entry["size"]):
            problems.append(f"media/{entry['path']}: size or SHA-256 differs from the manifest")
    for path in _media_files(workdir / "media"):
        relative = path.relative_to(workdir / "media").as_posix()
        if relative not in listed:
            problems.append(f"media/{relative}: in the archive but not in the manifest")
    if problems:
        raise BackupError("The archive is damaged or was altered; nothing was restored:\n  " + "\n  ".join(problems))


def _tables_with_rows(vendor: str) -> list[tuple[str, int]]:
    found = []
    with connection.cursor() as cursor:
        for table in sorted(_existing_tables(cursor, vendor) - BOOKKEEPING_TABLES):
            cursor.execute(f"SELECT COUNT(*) FROM {_q(table)}")  # noqa: S608
            rows = cursor.fetchone()[0]
            if rows:
                found.append((table, rows))
    return found


def _restore_postgresql(dump: Path, log: Log) -> None:
    pg_restore = require_binary("pg_restore")
    settings_dict = connection.settings_dict
    env = pg_env(settings_dict)
    # Fail instead of waiting for ever when a running web or worker process holds a lock.
    env["PGOPTIONS"] = (os.environ.get("PGOPTIONS", "") + f" -c lock_timeout={PG_LOCK_TIMEOUT}").strip()
    connection.close()
    log("  running pg_restore (one transaction: all or nothing)")
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--no-password", f"--dbname={settings_dict['NAME']}", str(dump)], env=env, what="pg_restore")


def _restore_sqlite(dump: Path, log: Log) -> None:
    if connection.is_in_memory_db():
        raise BackupError("The configured SQLite database is in memory; set DATABASE_URL to a database file.")
    target = connection.settings_dict["NAME"]
    connection.close()
    # The backup API replaces the whole target database under a lock, including its journal/WAL state,
    # which copying the file over a database that may be open would not do safely.
    log(f"  replacing {target} with the SQLite online backup API")
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        source.close()
        destination.close()


def _restore_media(workdir: Path, manifest: dict, log: Log, summary: RestoreSummary) -> None:
    root = media_root()
    log(f"Restoring {len(manifest['files'])} stored files into MEDIA_ROOT ({root}) ...")
    for entry in manifest["files"]:
        source = workdir / "media" / entry["path"]
        target = root / PurePosixPath(entry["path"])
        if target.is_file() and not target.is_symlink() and sha256_file(target) == (entry["sha256"], entry["size"]):
            summary.files_unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".restoring-", dir=target.parent)
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        summary.files_written += 1
    log(f"  {summary.files_written} written, {summary.files_unchanged} already present and identical")


def _verify_restored(manifest: dict, vendor: str, log: Log, summary: RestoreSummary) -> None:
    log("Verifying the restored database against the manifest ...")
    problems = []
    expected = {label: entry for label, entry in manifest["models"].items() if entry.get("rows") is not None}
    with connection.cursor() as cursor:
        existing = _existing_tables(cursor, vendor)
        for label, entry in expected.items():
            if entry["table"] not in existing:
                problems.append(f"{label}: table {entry['table']} is missing (expected {entry['rows']} rows)")
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {_q(entry['table'])}")  # noqa: S608
            rows = cursor.fetchone()[0]
            summary.models[label] = rows
            if rows != entry["rows"]:
                problems.append(f"{label}: {rows} rows, the manifest says {entry['rows']}")
        migrations = _migration_state(cursor, vendor)
        referenced = _referenced_files(cursor, vendor) if not problems else set()
    if migrations != manifest["migrations"]:
        problems.append(f"migration state differs from the manifest: {migrations} != {manifest['migrations']}")
    already_missing = set(manifest.get("missing_files", []))
    root = media_root()
    for name in sorted(referenced):
        if not (root / PurePosixPath(name)).is_file():
            if name in already_missing:
                summary.warnings.append(f"{name} is referenced but was already missing when the backup was made")
            else:
                problems.append(f"{name}: referenced by the database but not in MEDIA_ROOT")
    if problems:
        raise BackupError("The restored data does not match the backup:\n  " + "\n  ".join(problems))


def _migration_hints(manifest: dict, log: Log) -> None:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"].items()
               if (app, name) not in loader.disk_migrations and app in loader.migrated_apps]
    if unknown:
        log("  warning: the backup was made by a newer version of the portal (migrations unknown here: "
            + ", ".join(unknown) + "); run that version's code against it.")
    behind = [app for app, name in manifest["migrations"].items()
              if loader.graph.leaf_nodes(app) and (app, name) not in loader.graph.leaf_nodes(app)
              and f"{app}.{name}" not in unknown]
    if behind:
        log("  note: this code has newer migrations for " + ", ".join(sorted(behind))
            + "; run `python manage.py migrate` after the restore.")


def restore_backup(*, archive_path: Path, force: bool = False, log: Log = print) -> RestoreSummary:
    """Restore the archive into the configured database and MEDIA_ROOT, then verify it."""
    archive_path = Path(archive_path)
    vendor = database_vendor()
    manifest = read_manifest(archive_path)
    database = manifest["database"]
    if database.get("vendor") != vendor:
        raise BackupError(f"The archive holds a {ENGINE_NAMES.get(database.get('vendor'), database.get('vendor'))} "
                          f"database but the configured database is {ENGINE_NAMES[vendor]}: set DATABASE_URL "
                          f"to a database of the same kind.")
    if connection.in_atomic_block:
        raise BackupError("Run the restore outside a database transaction.")
    connect(restoring=True)
    log(f"Restoring {archive_path} (made {manifest['created_at']}) into the {describe_database()}")
    summary = RestoreSummary()

    if not force:
        rows = _tables_with_rows(vendor)
        if rows:
            shown = ", ".join(f"{table} ({count})" for table, count in rows[:8]) + (" ..." if len(rows) > 8 else "")
            raise BackupError(
                f"The target database already has data in {len(rows)} tables: {shown}. Restore into a new, empty "
                f"database, or pass --force to replace its contents with the backup."
            )

    # Extracted under the system temporary directory (TMPDIR to put it elsewhere), readable only by us.
    with tempfile.TemporaryDirectory(prefix="qms-restore-") as tmp:
        workdir = Path(tmp)
        log("Checking the archive ...")
        _extract(archive_path, workdir, database["file"])
        _verify_extracted(workdir, manifest)
        total = sum(entry["size"] for entry in manifest["files"])
        log(f"  database file and {len(manifest['files'])} stored files ({human_size(total)}) match their SHA-256")
        _migration_hints(manifest, log)
        # Files first: if the database step fails, extra files harm nothing; the reverse would leave rows
        # pointing at missing files.
        _restore_media(workdir, manifest, log, summary)
        log("Restoring the database ...")
        (_restore_postgresql if vendor == "postgresql" else _restore_sqlite)(workdir / database["file"], log)
    connection.close()
    _verify_restored(manifest, vendor, log, summary)
    return summary


def iter_summary(summary: RestoreSummary) -> Iterable[str]:
    non_empty = {label: rows for label, rows in summary.models.items() if rows}
    yield f"  {sum(summary.models.values())} rows in {len(summary.models)} model tables, all as in the manifest"
    for label, rows in non_empty.items():
        yield f"    {label:<48} {rows:>8}"
    yield f"  stored files: {summary.files_written} written, {summary.files_unchanged} already present"
    for warning in summary.warnings:
        yield f"  warning: {warning}"
