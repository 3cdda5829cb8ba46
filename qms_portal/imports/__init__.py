"""Imports of tables (.xlsx, .csv) people upload: one way for every kind of import.

Each kind is an `Importer` registered in `registry` (the QMS procedures, and the kinds other apps add). An upload
becomes an `ImportJob` holding the stored file: small files run at once in the request, larger ones
(more than IMPORT_INLINE_MAX_ROWS rows) in the worker with a progress bar. A job either checks the file (a dry run:
the per-row report, nothing saved) or applies it; an all-or-nothing importer saves nothing when any row is refused.
The job's page (and `GET /api/v1/imports/{id}/`) shows the progress and then the report; only its owner sees it.
"""
