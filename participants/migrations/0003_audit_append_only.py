"""On PostgreSQL the database itself refuses to change or delete audit rows. (Emptying the
table with TRUNCATE, as test runs do, is not a row change and still works.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION participants_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER participants_auditevent_append_only
    BEFORE UPDATE OR DELETE ON participants_auditevent
    FOR EACH ROW EXECUTE FUNCTION participants_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS participants_auditevent_append_only ON participants_auditevent;
DROP FUNCTION IF EXISTS participants_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_personal_details_consent_audit")]

    operations = [migrations.RunPython(forwards, backwards)]
