"""The Department's CO2e factors (EmissionFactor and its history) now belong to `impact`: they leave
the device bank's state only. No table is dropped and no row touched: impact 0001 takes the same
tables into its state first."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("devices", "0006_device_lendable_only_when_wiped"),
        ("impact", "0001_emission_factors_from_the_device_bank"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="historicalemissionfactor", name="history_user"),
                migrations.RemoveField(model_name="historicalemissionfactor", name="updated_by"),
                migrations.DeleteModel(name="EmissionFactor"),
                migrations.DeleteModel(name="HistoricalEmissionFactor"),
            ],
        ),
    ]
