from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RadarConfig(AppConfig):
    name = "ketenradar.radar"
    label = "radar"
    verbose_name = _("Radar (person matching)")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from ketenradar.persons.models import Address, Person
        from ketenradar.radar import signals

        post_save.connect(signals.person_saved, sender=Person, dispatch_uid="radar_person")
        post_save.connect(signals.address_saved, sender=Address, dispatch_uid="radar_address")
        post_delete.connect(
            signals.address_deleted, sender=Address, dispatch_uid="radar_address_deleted"
        )
