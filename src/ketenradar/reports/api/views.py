"""The police bulk channel: a batch of reports in, one answer per report out."""

from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction

import structlog
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketenradar.accounts.selectors import actor_for_user
from ketenradar.accounts.tokens import ApiTokenAuthentication
from ketenradar.core.api import error_response
from ketenradar.core.cleaning import without_surrogates
from ketenradar.persons.matching import ReportedPerson
from ketenradar.reports import services
from ketenradar.reports.api.parsers import MAX_BATCH_BYTES, BatchJSONParser
from ketenradar.reports.api.serializers import (
    MAX_BATCH,
    PoliceBatchResultSerializer,
    PoliceBatchSerializer,
    PoliceReportSerializer,
    birth_date_parts,
)
from ketenradar.reports.constants import Channel, ContactKind, PersonRole, ReporterCategory

SOURCE = "politie"
logger = structlog.get_logger(__name__)


def _body_hash(raw: Any) -> str:
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # (a valid report holds no lone surrogate; "surrogatepass" keeps this total anyway)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _rejected(report_id: Any, reasons: Any) -> dict[str, Any]:
    return {
        # as sent, unless that is no string (the answer says null then)
        "report_id": without_surrogates(report_id) if isinstance(report_id, str) else None,
        "status": "rejected",
        "id": None,
        "reasons": reasons,
    }


def _reported_person(data: dict[str, Any]) -> ReportedPerson:
    year, month, day = birth_date_parts(data["date_of_birth"])
    address = data.get("address") or {}
    return ReportedPerson(
        bsn=data["bsn"],
        given_names=data["given_names"],
        initials=data["initials"],
        surname_prefix=data["surname_prefix"],
        surname=data["surname"],
        birth_year=year,
        birth_month=month,
        birth_day=day,
        sex=data["sex"],
        postcode=address.get("postcode", ""),
        house_number=address.get("house_number"),
        house_letter=address.get("house_letter", ""),
        house_number_addition=address.get("house_number_addition", ""),
        street=address.get("street", ""),
        city=address.get("city", ""),
    )


class PoliceReportBatchApi(APIView):
    authentication_classes = [ApiTokenAuthentication]
    parser_classes = [BatchJSONParser]  # a full batch is larger than Django's body limit

    @extend_schema(
        operation_id="police_reports_submit",
        summary="Submit a batch of police reports (meldingen)",
        description=(
            "Each report is validated and stored on its own: one bad report never loses the "
            "good ones. Idempotent per `report_id`: resubmitting a report creates nothing "
            "(status `duplicate`); the same `report_id` with a different body is rejected. "
            "The answer is 200 when no report was rejected, 422 otherwise; the body always "
            "holds one result per report, in order."
        ),
        request=PoliceBatchSerializer,
        responses={
            200: PoliceBatchResultSerializer,
            400: error_response(
                "Not JSON, JSON nested deeper than 32 levels, or not {'reports': [...]} with "
                f"1 to {MAX_BATCH:,} reports"
            ),
            401: error_response("No key, or an unknown, expired or revoked key"),
            403: error_response("The key's account may not submit police reports"),
            413: error_response(f"Larger than {MAX_BATCH_BYTES // (1024 * 1024)} MB"),
            415: error_response("Not sent as application/json"),
            422: OpenApiResponse(PoliceBatchResultSerializer, description="Some reports rejected"),
        },
        examples=[
            OpenApiExample(
                "One report",
                request_only=True,
                value={
                    "reports": [
                        {
                            "report_id": "PL1500-2026-000123",
                            "reported_at": "2026-11-20T23:10:00+01:00",
                            "violence_types": ["ex_partnergeweld", "kindermishandeling"],
                            "acute": True,
                            "description": "Ruzie met geweld, kinderen aanwezig.",
                            "persons": [
                                {
                                    "role": "slachtoffer",
                                    "surname": "Jansen",
                                    "given_names": "Eva",
                                    "date_of_birth": "1990-04-12",
                                    "sex": "v",
                                },
                                {
                                    "role": "pleger",
                                    "surname": "de Vries",
                                    "date_of_birth": "1988",
                                    "sex": "m",
                                },
                            ],
                            "reporter": {
                                "name": "Agent A. Bakker",
                                "unit": "Eenheid Den Haag",
                                "phone": "0900-8844",
                            },
                        }
                    ]
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        actor = actor_for_user(request.user)
        if actor is None or not actor.has_perm("reports.submit_police_reports"):
            raise PermissionDenied()
        reports = request.data.get("reports") if isinstance(request.data, dict) else None
        if not isinstance(reports, list) or not 1 <= len(reports) <= MAX_BATCH:
            raise ParseError(f"Send {{'reports': [...]}} with 1 to {MAX_BATCH} reports.")
        results = [self._one(actor, raw) for raw in reports]
        counts = {
            s: sum(r["status"] == s for r in results) for s in ("accepted", "duplicate", "rejected")
        }
        status = 422 if counts["rejected"] else 200
        return Response({**counts, "results": results}, status=status)

    def _one(self, actor: Any, raw: Any) -> dict[str, Any]:
        """One report's answer. Whatever a report holds, it is answered on its own: an
        unforeseen error is logged and the report rejected, the batch goes on."""
        # In a transaction (a test's, or ATOMIC_REQUESTS) each report is a savepoint, so a
        # failed one leaves the transaction usable; otherwise each write commits on its own.
        savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with savepoint:
                return self._validate_and_store(actor, raw)
        except Exception:
            logger.exception("police report could not be processed")
            sent = raw.get("report_id") if isinstance(raw, dict) else None
            return _rejected(
                sent, {"non_field_errors": ["Not stored: this report could not be processed."]}
            )

    def _validate_and_store(self, actor: Any, raw: Any) -> dict[str, Any]:
        serializer = PoliceReportSerializer(data=raw)
        if not serializer.is_valid():
            sent = raw.get("report_id") if isinstance(raw, dict) else None
            return _rejected(sent, serializer.errors)
        data = serializer.validated_data
        report_id = data["report_id"]  # the idempotency key as stored
        try:
            # contact_register is atomic: a savepoint of its own inside a transaction
            result = services.external_report_intake(
                actor=actor,
                source=SOURCE,
                external_id=data["report_id"],
                body_hash=_body_hash(raw),
                kind=ContactKind.REPORT,
                channel=Channel.POLICE,
                reporter_category=ReporterCategory.JUSTICE_SECURITY,
                received_at=data["reported_at"],
                persons=[(_reported_person(p), PersonRole(p["role"])) for p in data["persons"]],
                violence_types=data["violence_types"],
                human_trafficking=data["human_trafficking"],
                acute_indication=data["acute"],
                structural_indication=data["structural"],
                description=data["description"],
                reporter=services.ReporterData(
                    name=data["reporter"]["name"],
                    organisation_name=data["reporter"]["unit"],
                    phone=data["reporter"]["phone"],
                    email=data["reporter"]["email"],
                ),
            )
        except (IntegrityError, OperationalError):
            # still contended after the retries: nothing of this report was stored
            return _rejected(
                report_id, {"non_field_errors": ["Not stored now (busy); submit it again."]}
            )
        except services.ConflictingResubmission:
            return _rejected(
                report_id, {"report_id": ["Submitted before with a different body (422)."]}
            )
        except ValidationError as exc:
            reasons = (
                exc.message_dict
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            )
            if "received_at" in reasons:  # the service's name for reported_at
                reasons["reported_at"] = reasons.pop("received_at")
            return _rejected(report_id, reasons)
        status = "accepted" if result.created else "duplicate"
        return {"report_id": report_id, "status": status, "id": result.contact.uuid, "reasons": {}}
