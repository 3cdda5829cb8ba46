"""Bench-only: `X-Bench-Queries` (SQL statements run for this request), `X-Bench-Ms` (server time) and
`X-Bench-Cpu-Ms` (CPU time of the web process for this request: gunicorn's sync workers serve one request at a
time, so it is this request's, whatever else the machine runs; PostgreSQL's own time is not in it)."""

import time

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        started, cpu = time.perf_counter(), time.process_time()
        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-Bench-Queries"] = str(count[0])
        response["X-Bench-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
        response["X-Bench-Cpu-Ms"] = f"{(time.process_time() - cpu) * 1000:.2f}"
        return response
