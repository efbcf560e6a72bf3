"""On PostgreSQL the audit log refuses TRUNCATE too (0003 refuses UPDATE and DELETE of rows).

Only the test settings set `cymuned.allow_audit_truncate`, so that the test runner can empty
the tables between tests. That is no way round the rule for the application: a role that could
set it and truncate the table would have to hold the TRUNCATE privilege, which the
application's role does not (see docs/privacy.md, "Audit log"); the table's owner could drop
the trigger anyway."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION participants_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('cymuned.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER participants_auditevent_no_truncate
    BEFORE TRUNCATE ON participants_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION participants_audit_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS participants_auditevent_no_truncate ON participants_auditevent;
DROP FUNCTION IF EXISTS participants_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("participants", "0007_key_canary")]

    operations = [migrations.RunPython(forwards, backwards)]
