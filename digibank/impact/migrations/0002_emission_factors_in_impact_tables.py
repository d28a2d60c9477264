"""The CO2e factors' tables get impact's own names: a rename, every row kept (on PostgreSQL and
SQLite alike, ALTER TABLE ... RENAME TO). Django's content types of the two models follow, so a
log entry or permission that points at them keeps pointing at them."""

from django.db import migrations

MODELS = ("emissionfactor", "historicalemissionfactor")


def content_types_to_impact(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="impact", model=model).exists():
            ContentType.objects.filter(app_label="devices", model=model).update(app_label="impact")


def content_types_to_devices(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="devices", model=model).exists():
            ContentType.objects.filter(app_label="impact", model=model).update(app_label="devices")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("devices", "0007_emission_factors_move_to_impact"),
        ("impact", "0001_emission_factors_from_the_device_bank"),
    ]

    operations = [
        migrations.AlterModelTable(name="emissionfactor", table=None),
        migrations.AlterModelTable(name="historicalemissionfactor", table=None),
        migrations.RunPython(content_types_to_impact, content_types_to_devices),
    ]
