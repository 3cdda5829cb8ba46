"""Issue 16's scale figure: a legal change that concerns every commune of the country (3,321 People's Committees)
is registered and its due updates made by the worker's code, in a stated time and constant queries.

Runs inside a transaction that is rolled back, on the benchmark's data set topped up to 3,321 communes' People's
Committees in one province if it holds fewer, so the measurement leaves nothing behind."""

import time
import tracemalloc
from datetime import date

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

COMMUNES = 3321


class _RollBack(Exception):
    pass


def measure_legal() -> dict:
    from django.contrib.auth import get_user_model

    from agencies.models import Agency, AgencyKind, Province
    from qms.legal.services import legal_change_compute_targets, legal_change_register

    result = {}
    try:
        with transaction.atomic():
            kind = AgencyKind.COMMUNE_PEOPLES_COMMITTEE
            present = Agency.objects.active().filter(kind=kind).count()
            province = Province.objects.order_by("code").first()
            Agency.objects.bulk_create([Agency(province=province, kind=kind, name=f"UBND xã đo {n}",
                                               short_code=f"BENCHX{n}", search_text=f"ubnd xa do {n}")
                                        for n in range(max(0, COMMUNES - present))])
            actor = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create(
                username="bench-legal", is_superuser=True)
            change = legal_change_register(actor=actor, province_id=None, data={
                "number": "BENCH/2026/NĐ-CP", "title": "Đo hiệu năng", "issuer": "Chính phủ",
                "issued_on": date(2026, 1, 1), "effective_on": date(2026, 2, 1), "agency_kinds": [kind]})
            tracemalloc.start()
            started, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                concerned = legal_change_compute_targets(change_id=change.pk)
            result = {"agencies": concerned, "seconds": round(time.perf_counter() - started, 2),
                      "cpu_seconds": round(time.process_time() - cpu, 2), "queries": len(queries),
                      "peak_memory_mb": round(tracemalloc.get_traced_memory()[1] / 2**20, 1)}
            tracemalloc.stop()
            raise _RollBack
    except _RollBack:
        pass
    return result
