from typing import Any

from rest_framework import serializers

from ketenradar.persons.models import Address, Person


class AddressOutputSerializer(serializers.ModelSerializer):
    # Explicit ranges: the model's range depends on the database backend.
    house_number = serializers.IntegerField(min_value=1, max_value=99_999)

    class Meta:
        model = Address
        fields = [
            "kind",
            "street",
            "house_number",
            "house_letter",
            "house_number_addition",
            "postcode",
            "city",
            "valid_from",
            "valid_until",
        ]


class PersonListOutputSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    display_name = serializers.CharField(read_only=True)
    # Explicit ranges: the model's range depends on the database backend.
    birth_year = serializers.IntegerField(allow_null=True, min_value=1, max_value=9999)
    birth_month = serializers.IntegerField(allow_null=True, min_value=1, max_value=12)
    birth_day = serializers.IntegerField(allow_null=True, min_value=1, max_value=31)

    class Meta:
        model = Person
        fields = ["id", "display_name", "birth_year", "birth_month", "birth_day", "sex"]


class PersonDetailOutputSerializer(PersonListOutputSerializer):
    addresses = serializers.SerializerMethodField()

    class Meta(PersonListOutputSerializer.Meta):
        fields = [
            *PersonListOutputSerializer.Meta.fields,
            "given_names",
            "initials",
            "surname_prefix",
            "surname",
            "birth_surname_prefix",
            "birth_surname",
            "partner_surname_prefix",
            "partner_surname",
            "name_usage",
            "bsn",
            "no_bsn_reason",
            "addresses",
        ]

    def get_addresses(self, obj: Person) -> list[dict[str, Any]]:
        addresses = self.context.get("addresses", [])
        return AddressOutputSerializer(addresses, many=True).data  # type: ignore[return-value]
