"""PostgreSQL: refuse TRUNCATE of a non-empty audit table.

Row triggers (0002) do not see TRUNCATE, so `TRUNCATE audit_auditentry` emptied the chain
silently. An empty table may still be truncated: test runners flush every table between
transactional tests, after emptying the audit table with its triggers lifted (conftest.py).
SQLite has no TRUNCATE; its DELETE trigger already covers a wipe."""

from django.db import migrations

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM audit_auditentry) THEN
           RAISE EXCEPTION 'audit entries are append-only: TRUNCATE refused';
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_entry_no_truncate();",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_alter_auditentry_event")]
    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_REVERSE))]
