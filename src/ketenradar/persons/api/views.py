"""Read API for chain partners: the same selectors, the same need-to-know, the same log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenradar.persons import selectors
from ketenradar.persons.api.serializers import (
    PersonDetailOutputSerializer,
    PersonListOutputSerializer,
)

MAX_PAGE = 100


class PersonPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Number of persons visible to you that match")
    results = PersonListOutputSerializer(many=True)


class PersonListApi(APIView):
    @extend_schema(
        operation_id="persons_list",
        parameters=[
            OpenApiParameter("q", str, description="Search: name, BSN, date of birth or postcode"),
            OpenApiParameter("offset", int),
        ],
        responses={200: PersonPageSerializer},
    )
    def get(self, request: Request) -> Response:
        actor = request._request.actor  # type: ignore[attr-defined]
        if not actor.has_perm("persons.view_client_data"):
            raise PermissionDenied()
        query = request.query_params.get("q", "")
        if query:
            persons, total = selectors.person_search(actor=actor, query=query, limit=MAX_PAGE)
        else:
            offset = request.query_params.get("offset", "0")
            start = int(offset) if offset.isdigit() else 0
            persons, total = selectors.person_list(actor=actor, offset=start, limit=MAX_PAGE)
        data = PersonListOutputSerializer(persons, many=True).data
        return Response({"count": total, "results": data})


class PersonDetailApi(APIView):
    @extend_schema(operation_id="persons_retrieve", responses={200: PersonDetailOutputSerializer})
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
