from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "digibank.public"
    label = "public"
