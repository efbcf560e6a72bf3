"""Grant a PostgreSQL role what the running application needs, and no more.

Migrations run as the role that owns the tables; the web, worker and beat processes connect as
a role that owns nothing, so it cannot alter a table or disable a trigger. It may read and
change the rows of every table, except that tables of models marked APPEND_ONLY (the audit
log) get SELECT and INSERT only. Run it again after migrations that add tables."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def app_role_grants(role: str) -> list[str]:
    """The SQL statements, one per table plus the schema and its sequences."""
    quote = connection.ops.quote_name
    append_only = {
        model._meta.db_table for model in apps.get_models() if getattr(model, "APPEND_ONLY", False)
    }
    statements = [f"GRANT USAGE ON SCHEMA public TO {quote(role)}"]
    for table in sorted(connection.introspection.django_table_names(only_existing=True)):
        rights = "SELECT, INSERT" if table in append_only else "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"REVOKE ALL ON TABLE {quote(table)} FROM {quote(role)}")
        statements.append(f"GRANT {rights} ON TABLE {quote(table)} TO {quote(role)}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}")
    return statements


class Command(BaseCommand):
    help = "Grant a PostgreSQL role what the running application needs (see docs/privacy.md)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="an existing role that owns none of the tables")
        parser.add_argument(
            "--print", dest="print_only", action="store_true", help="print the SQL, run nothing"
        )

    def handle(self, *args, role, print_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles need PostgreSQL; this database is not.")
        statements = app_role_grants(role)
        if print_only:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE tableowner = %s", [role])
            if owned := [name for (name,) in cursor.fetchall()]:
                raise CommandError(
                    f"{role} owns {', '.join(owned[:3])}…: the application's role must own no "
                    "table (an owner can alter it and disable its triggers). Run migrations as "
                    "the owner and the application as another role."
                )
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Granted {role} what the application needs on every table.")
