"""Read API for chain partners: the same selectors, the same need-to-know, the same log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenradar.core.api import error_response
from ketenradar.core.api_fields import StrictCharField
from ketenradar.persons import selectors
from ketenradar.persons.api.serializers import (
    PersonDetailOutputSerializer,
    PersonListOutputSerializer,
)

MAX_PAGE = 100
MAX_QUERY = 100  # as the search screen's form
# Far beyond any region's number of persons, and within every database's integer range.
MAX_OFFSET = 2_147_483_647

FORBIDDEN = error_response("Not signed in, or not allowed (written to the access log)")


class QueryIntegerField(serializers.IntegerField):
    """An integer written as a query parameter: digits only (DRF also reads "1.0" or " 1")."""

    def to_internal_value(self, data: object) -> int:
        if not (isinstance(data, str) and data.isascii() and data.isdigit()):
            self.fail("invalid")
        return super().to_internal_value(data)


class PersonListQuerySerializer(serializers.Serializer):
    q = StrictCharField(
        required=False,
        max_length=MAX_QUERY,
        trim_whitespace=False,  # the search trims; a blank one finds nobody
        help_text="Search: name, BSN, date of birth or postcode. At most "
        f"{MAX_QUERY} characters, no control characters; digits of any script are read as "
        "ASCII digits.",
    )
    offset = QueryIntegerField(
        required=False,
        default=0,
        min_value=0,
        max_value=MAX_OFFSET,
        help_text=f"Skip this many persons (without `q`); at most {MAX_PAGE} are returned",
    )


class PersonPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Number of persons visible to you that match")
    results = PersonListOutputSerializer(many=True)


class PersonListApi(APIView):
    @extend_schema(
        operation_id="persons_list",
        parameters=[PersonListQuerySerializer],
        responses={
            200: PersonPageSerializer,
            400: error_response("Invalid query parameter"),
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        if not actor.has_perm("persons.view_client_data"):
            raise PermissionDenied()
        # a plain dict: as form input, DRF would read "offset=" as no offset
        params = PersonListQuerySerializer(data=request.query_params.dict())
        if not params.is_valid():
            raise ParseError(
                "; ".join(
                    f"{field}: {' '.join(map(str, errors))}"
                    for field, errors in params.errors.items()
                )
            )
        query, offset = params.validated_data.get("q", ""), params.validated_data["offset"]
        if query:
            persons, total = selectors.person_search(actor=actor, query=query, limit=MAX_PAGE)
        else:
            persons, total = selectors.person_list(actor=actor, offset=offset, limit=MAX_PAGE)
        data = PersonListOutputSerializer(persons, many=True).data
        return Response({"count": total, "results": data})


class PersonDetailApi(APIView):
    @extend_schema(
        operation_id="persons_retrieve",
        responses={
            200: PersonDetailOutputSerializer,
            403: FORBIDDEN,
            404: error_response("No such person"),
        },
    )
    def get(self, request: Request, uuid: str) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        try:
            detail = selectors.person_detail(actor=actor, person_uuid=uuid)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied() from exc
        serializer = PersonDetailOutputSerializer(
            detail.person, context={"addresses": detail.addresses}
        )
        return Response(serializer.data)
