"""The database itself refuses to change a line of the access log, and on PostgreSQL to delete one.
(SQLite keeps deletes possible: Django's test flush empties tables with DELETE; PostgreSQL's TRUNCATE
fires no row trigger.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION clients_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clients_accesslog_append_only
    BEFORE UPDATE OR DELETE ON clients_accesslog
    FOR EACH ROW EXECUTE FUNCTION clients_accesslog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS clients_accesslog_append_only ON clients_accesslog;
DROP FUNCTION IF EXISTS clients_accesslog_append_only();
"""


SQLITE = [
    f"""CREATE TRIGGER clients_accesslog_no_{event.lower()} BEFORE {event} ON clients_accesslog
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;"""
    for event in ("UPDATE",)
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(DROP)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS clients_accesslog_no_update")


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
