"""The database itself keeps the device bank's records: on PostgreSQL no device, loan, loan item,
incident, device event or erasure record can be deleted, and a device event or an erasure record
cannot be changed once written (on SQLite too). SQLite keeps deletes possible, because Django's test
flush empties tables with DELETE; PostgreSQL's TRUNCATE fires no row trigger."""

from django.db import migrations

KEPT = ["devices_device", "devices_loan", "devices_loanitem", "devices_incident"]
WRITTEN_ONCE = ["devices_deviceevent", "devices_erasurerecord"]

FUNCTION = """
CREATE OR REPLACE FUNCTION devices_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the device bank keeps this record: %% on %% is refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def _pg_statements():
    yield FUNCTION
    for table in KEPT:
        yield (
            f"CREATE TRIGGER {table}_kept BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION devices_refuse_change();"
        )
    for table in WRITTEN_ONCE:
        yield (
            f"CREATE TRIGGER {table}_kept BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION devices_refuse_change();"
        )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in _pg_statements():
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for table in WRITTEN_ONCE:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the device bank keeps this record'); END;"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in KEPT + WRITTEN_ONCE:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_kept ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS devices_refuse_change();")
    elif vendor == "sqlite":
        for table in WRITTEN_ONCE:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")


class Migration(migrations.Migration):
    dependencies = [("devices", "0002_emission_factors")]
    operations = [migrations.RunPython(forwards, backwards)]
