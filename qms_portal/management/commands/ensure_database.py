from django.core.management.base import BaseCommand
from django.db import connection


def ensure_database() -> bool:
    """Create the PostgreSQL database the settings name, when it does not exist yet (through the server's
    maintenance database, as Django's own test database creation does). True when it was created."""
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            return False
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    return True


class Command(BaseCommand):
    help = "Create the PostgreSQL database of DATABASE_URL if it does not exist yet (`make run` starts with it)."

    def handle(self, *args, **options):
        created = ensure_database()
        name = connection.settings_dict["NAME"]
        self.stdout.write(f"Database {name} created." if created else f"Database {name} is there.")
