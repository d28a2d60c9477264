"""Default CO2e factors per type of device, for the circularity figures; the Department changes
them on the factors page (devices:factors).

A factor is the greenhouse gas emitted to *make* a new device of that type: a donated device that
is lent or handed over again means one device less bought new. The figures are the "construction"
(manufacturing) phase of the devices in the ADEME & Arcep study of the environmental footprint of
digital technology in France (2022), as ADEME publishes them in its Impact CO2 data. They leave out
the study's "assembly and distribution", use and end-of-life phases: a conservative choice, which
also leaves room for what refurbishing itself emits (transport, spare parts, the technician's work).

Only types for which the study gives a figure get a row. For keyboards, mice, headsets, webcams,
bags, mobile hotspots and data SIMs no public figure of the same kind was found: they get none, so
their reuse is shown as "not counted" until the Department sets one with its source."""

from decimal import Decimal

from django.db import migrations

STUDY = (
    "ADEME & Arcep (2022), Évaluation de l'impact environnemental du numérique en France et analyse "
    "prospective, 'construction' phase of a new {what}, as published by ADEME in Impact CO2 (numérique)"
)
URL = (
    "https://librairie.ademe.fr/consommer-autrement/"
    "5226-evaluation-de-l-impact-environnemental-du-numerique-en-france-et-analyse-prospective.html"
)

DEFAULTS = [
    # kind, kg CO2e, what the study describes
    ("laptop", "170.3", "laptop (mix of 3 configurations: 14.6-inch screen, 11 GB RAM, 497 GB SSD)"),
    # The lower of the study's two desktops (professional; the one for home use is 258.6 kg).
    ("desktop", "202.6", "desktop without screen (professional: 8 GB RAM, 1 TB HDD, 250 GB SSD)"),
    ("monitor", "64.6", "computer screen (24 inch on average, 98.6 % LCD)"),
    ("tablet", "56.3", "tablet (10.5-inch screen, 4.7 GB RAM, 144 GB storage)"),
    ("smartphone", "83.0", "smartphone (6.6-inch screen, 8 GB RAM, 210 GB storage)"),
    ("charger", "3.5", "external power supply for a laptop"),
]


def load(apps, schema_editor):
    EmissionFactor = apps.get_model("devices", "EmissionFactor")
    for kind, kg, what in DEFAULTS:
        EmissionFactor.objects.get_or_create(
            kind=kind, defaults={"kg_co2e": Decimal(kg), "source": STUDY.format(what=what), "source_url": URL}
        )


def unload(apps, schema_editor):
    """Remove the defaults the Department has not changed since."""
    EmissionFactor = apps.get_model("devices", "EmissionFactor")
    for kind, kg, what in DEFAULTS:
        EmissionFactor.objects.filter(
            kind=kind, kg_co2e=Decimal(kg), source=STUDY.format(what=what), updated_by__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("devices", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
