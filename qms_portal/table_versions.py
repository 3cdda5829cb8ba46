"""Which tables changed since a result was kept: a number per table that PostgreSQL moves on with every statement
that writes the table, whatever wrote it (a service, a `QuerySet.update()`, the admin, an import, a migration, a
`TRUNCATE`). A result kept under the versions of the tables it read is never served after one of them changed,
with no code to remember to invalidate it.

A statement trigger (`watch`, added by the owning app's migration) adds a row for the table to `TableWrite`,
numbered by one sequence; the table's version is its highest number. The number only goes up (a sequence is not
rolled back), so a result computed inside a transaction that is rolled back is never taken for the data of a later
one. The row is added in the writer's transaction: a reader sees the new number once the data is committed, and
it reads the numbers before the data, so what it keeps is at least as new as the numbers it keeps it under.

Writers never wait for each other: each adds its own row (no row is updated, so no lock is held on a shared row
until commit, which would serialise every transaction writing a watched table and could deadlock two that write
two of them in opposite orders), and removes the table's older rows that no other transaction is removing
(`SKIP LOCKED`), so the table keeps a row or two per watched table.
"""

import hashlib

from django.core.cache import cache
from django.db import connection, migrations, models

FUNCTION = "qms_table_version_bump"
SEQUENCE = "qms_table_version_seq"
KEY_PREFIX = "tables-kept:"  # the cache keys of `cached` (the benchmark drops them to measure a result computed)


INSTALL = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written bigint := nextval('{SEQUENCE}');
BEGIN
    INSERT INTO qms_portal_tablewrite (version, "table") VALUES (written, TG_TABLE_NAME);
    DELETE FROM qms_portal_tablewrite WHERE version IN (
        SELECT version FROM qms_portal_tablewrite WHERE "table" = TG_TABLE_NAME AND version < written
        FOR UPDATE SKIP LOCKED);
    RETURN NULL;
END $$;
"""
UNINSTALL = f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE; DROP SEQUENCE IF EXISTS {SEQUENCE};"


def watch(table: str) -> migrations.RunSQL:
    """The migration operation that makes every write of `table` move its version on."""
    trigger = f"{table}_version"
    return migrations.RunSQL(
        f'CREATE TRIGGER "{trigger}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();",
        f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}";')


def versions(*tables: type[models.Model]) -> tuple[int, ...]:
    """The current versions of the models' tables, in one query of one index probe each (0 for a table never
    written since it was watched)."""
    probe = 'COALESCE((SELECT MAX(version) FROM qms_portal_tablewrite WHERE "table" = %s), 0)'
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([probe] * len(tables)), [model._meta.db_table for model in tables])
        return tuple(cursor.fetchone())


def cached(key: str, tables: tuple[type[models.Model], ...], compute, *, timeout: int = 3600):
    """`compute()`, kept in the cache under `key` and the versions of the `tables` it reads: computed again once
    any of them was written. `key` names what is computed and everything it depends on besides those tables (the
    user's scope, the day)."""
    marker = ":".join(map(str, versions(*tables)))
    name = KEY_PREFIX + hashlib.sha1(f"{key}|{marker}|{connection.settings_dict['NAME']}".encode()).hexdigest()
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, timeout)
    return found
