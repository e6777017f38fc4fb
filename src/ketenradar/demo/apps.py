from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ketenradar.demo"
    label = "demo"
    verbose_name = "Demo region"
