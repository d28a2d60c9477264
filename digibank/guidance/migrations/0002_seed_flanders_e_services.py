"""The Flanders-wide catalogue starts with the essential e-services people most ask help with.

Providers and addresses are public facts, as the services and agencies publish them on their own sites
(itsme-id.com, burgerprofiel.vlaanderen.be, eservices.minfin.fgov.be, myebox.be, csam.be, vdab.be,
vlaanderen.be/jobbonus, groeipakket.be, riziv.fgov.be, mypension.be, mijngezondheid.belgie.be,
febelfin.be). Where a service is everyone's own (the health insurer, the bank, the municipality), the
link is the sector's public page and a digibank adds the local one. The Department keeps them up to date
on the catalogue's screen; a service already there (by name) is left as it is."""

from django.db import migrations

ID = ["eid_reader", "itsme"]  # the federal and Flemish log-in: eID with a card reader, or itsme

SERVICES = [
    # name, provider, category, link, needs
    ("itsme", "Belgian Mobile ID NV", "identity", "https://www.itsme-id.com/nl-BE", ["eid_reader", "phone"]),
    ("CSAM / eID met kaartlezer", "FOD Beleid en Ondersteuning (BOSA)", "identity", "https://www.csam.be", ["eid_reader"]),
    ("Mijn Burgerprofiel", "Digitaal Vlaanderen (Vlaamse overheid)", "identity", "https://burgerprofiel.vlaanderen.be", ID),
    ("eBox", "FOD Beleid en Ondersteuning (BOSA)", "other", "https://myebox.be", ID),
    ("MyMinfin / Tax-on-web", "FOD Financiën", "taxes", "https://eservices.minfin.fgov.be/myminfin-web/", ID),
    ("Mijn VDAB", "VDAB", "work", "https://www.vdab.be/mijnvdab", [*ID, "email"]),
    # No application: the amount comes by letter (or eBox); the person registers an account number in
    # Mijn Burgerprofiel (vlaanderen.be/jobbonus).
    ("Jobbonus", "Vlaamse overheid, Departement Werk en Sociale Economie", "work", "https://www.vlaanderen.be/jobbonus", ID),
    ("Groeipakket", "Agentschap Opgroeien (Vlaamse overheid) en de uitbetalers", "family", "https://www.groeipakket.be", ID),
    ("Portaal van het ziekenfonds", "Het ziekenfonds van de persoon (onder toezicht van het RIZIV)", "health", "https://www.riziv.fgov.be", [*ID, "email"]),
    ("Mijn Gezondheid", "FOD Volksgezondheid", "health", "https://www.mijngezondheid.belgie.be", ID),
    ("MyPension", "Federale Pensioendienst", "pension", "https://www.mypension.be", ID),
    ("Online bankieren", "De bank van de persoon (sector: Febelfin)", "banking", "https://www.febelfin.be", ["phone"]),
    ("E-loket van de gemeente", "De gemeente van de persoon", "municipality", "https://www.vlaanderen.be", ID),
]
ORDER = ["eid_reader", "itsme", "email", "phone"]


def seed(apps, schema_editor):
    EService = apps.get_model("guidance", "EService")
    for name, provider, category, link, needs in SERVICES:
        EService.objects.get_or_create(
            digibank=None,
            name=name,
            defaults={
                "provider": provider,
                "category": category,
                "link": link,
                "needs": [n for n in ORDER if n in needs],
                "active": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_e_service_catalogue")]

    # Back: the rows stay (nothing is deleted); the table goes with 0001 if that is undone too.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
