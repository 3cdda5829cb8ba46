"""`make run` starts with `manage.py ensure_database`: the database of DATABASE_URL is created when missing."""

import uuid

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db
def test_the_database_is_created_once_when_missing(monkeypatch, capsys):
    name = f"qms_ensure_{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(connection.settings_dict, "NAME", name)

    def exists() -> bool:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    try:
        assert not exists()
        call_command("ensure_database")
        assert exists() and f"Database {name} created." in capsys.readouterr().out
        call_command("ensure_database")  # a second run leaves it alone
        assert f"Database {name} is there." in capsys.readouterr().out
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
