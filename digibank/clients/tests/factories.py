import datetime as dt

import factory

from digibank.clients.models import Client, search_words
from digibank.clients.models import name_key as joined_names
from digibank.network.selectors import municipality_for_postal_code
from digibank.network.tests.factories import DigibankFactory, UserFactory


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    digibank = factory.SubFactory(DigibankFactory)
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    birth_date = dt.date(1958, 4, 12)
    birth_year = 1958
    postal_code = "9000"
    municipality = factory.LazyAttribute(
        lambda c: municipality_for_postal_code(c.postal_code) if c.postal_code else None
    )
    registered_by = factory.SubFactory(UserFactory)
    search_text = factory.LazyAttribute(lambda c: search_words(c.first_name, c.last_name))
    name_key = factory.LazyAttribute(lambda c: joined_names(c.first_name, c.last_name))
