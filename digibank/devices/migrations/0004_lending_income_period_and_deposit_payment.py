"""Income limits say whether they are per year or per month; the deposit at check-out is paid,
waived or owed. Rules made before were monthly and keep that; new rules are yearly, as published
limits are. Loans made before with a deposit had it marked paid, so they keep "paid"."""

import django.core.validators
from django.db import migrations, models


def existing_deposits_were_paid(apps, schema_editor):
    Loan = apps.get_model("devices", "Loan")
    Loan.objects.filter(deposit__gt=0).update(deposit_payment="paid")


class Migration(migrations.Migration):

    dependencies = [
        ('devices', '0003_nothing_deleted'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicallendingrules',
            name='income_period',
            field=models.CharField(choices=[('year', 'per year'), ('month', 'per month')], default='month', max_length=5, verbose_name='the income limit is'),
        ),
        migrations.AddField(
            model_name='historicalloan',
            name='deposit_payment',
            field=models.CharField(blank=True, choices=[('', 'no deposit'), ('paid', 'paid'), ('waived', 'waived'), ('owed', 'still to pay')], default='', max_length=6, verbose_name='deposit'),
        ),
        migrations.AddField(
            model_name='lendingrules',
            name='income_period',
            field=models.CharField(choices=[('year', 'per year'), ('month', 'per month')], default='month', max_length=5, verbose_name='the income limit is'),
        ),
        migrations.AddField(
            model_name='loan',
            name='deposit_payment',
            field=models.CharField(blank=True, choices=[('', 'no deposit'), ('paid', 'paid'), ('waived', 'waived'), ('owed', 'still to pay')], default='', max_length=6, verbose_name='deposit'),
        ),
        migrations.AlterField(
            model_name='historicallendingrules',
            name='income_period',
            field=models.CharField(choices=[('year', 'per year'), ('month', 'per month')], default='year', max_length=5, verbose_name='the income limit is'),
        ),
        migrations.AlterField(
            model_name='lendingrules',
            name='income_period',
            field=models.CharField(choices=[('year', 'per year'), ('month', 'per month')], default='year', max_length=5, verbose_name='the income limit is'),
        ),
        migrations.RunPython(existing_deposits_were_paid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='historicallendingrules',
            name='income_threshold',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='income limit for one person (EUR)'),
        ),
        migrations.AlterField(
            model_name='lendingrules',
            name='income_threshold',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='income limit for one person (EUR)'),
        ),
    ]
