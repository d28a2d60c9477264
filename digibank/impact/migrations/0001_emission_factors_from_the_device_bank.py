"""The Department's CO2e factors come from the device bank (devices.EmissionFactor and its
simple-history table) without a row copied: this migration only tells Django's state that the
models now belong here, on the tables that already hold them (devices 0001, filled by the data
migration devices 0002). devices 0007 takes them out of the device bank's state; 0002 here then
renames the tables to impact's own names."""

import digibank.core.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The tables exist and hold the default factors.
        ("devices", "0006_device_lendable_only_when_wiped"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='EmissionFactor',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('laptop', 'laptop'), ('desktop', 'desktop'), ('monitor', 'monitor'), ('tablet', 'tablet'), ('smartphone', 'smartphone'), ('keyboard', 'keyboard'), ('mouse', 'mouse'), ('headset', 'headset'), ('webcam', 'webcam'), ('charger', 'charger'), ('bag', 'bag'), ('hotspot', 'mobile hotspot'), ('data_sim', 'data SIM')], max_length=12, unique=True, verbose_name='type')),
                        ('kg_co2e', models.DecimalField(decimal_places=1, max_digits=7, validators=[django.core.validators.MinValueValidator(0)], verbose_name='kg CO2e avoided per reuse')),
                        ('source', models.CharField(max_length=300, validators=[digibank.core.validators.SingleLineText()], verbose_name='source')),
                        ('source_url', models.URLField(blank=True, verbose_name='source address')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'emission factor',
                        'verbose_name_plural': 'emission factors',
                        'ordering': ['kind'],
                'db_table': 'devices_emissionfactor',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalEmissionFactor',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('laptop', 'laptop'), ('desktop', 'desktop'), ('monitor', 'monitor'), ('tablet', 'tablet'), ('smartphone', 'smartphone'), ('keyboard', 'keyboard'), ('mouse', 'mouse'), ('headset', 'headset'), ('webcam', 'webcam'), ('charger', 'charger'), ('bag', 'bag'), ('hotspot', 'mobile hotspot'), ('data_sim', 'data SIM')], db_index=True, max_length=12, verbose_name='type')),
                        ('kg_co2e', models.DecimalField(decimal_places=1, max_digits=7, validators=[django.core.validators.MinValueValidator(0)], verbose_name='kg CO2e avoided per reuse')),
                        ('source', models.CharField(max_length=300, validators=[digibank.core.validators.SingleLineText()], verbose_name='source')),
                        ('source_url', models.URLField(blank=True, verbose_name='source address')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical emission factor',
                        'verbose_name_plural': 'historical emission factors',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                'db_table': 'devices_historicalemissionfactor',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
        ),
    ]
