"""Spreadsheets of a list, made in the request when small and by the worker when not (as the imports are).

An `Exporter` (base.py) says who may export, which filters it reads, how many rows a filter gives at most and how
the file is written; `views.export_response` serves the file at once up to `EXPORT_INLINE_MAX_ROWS` rows, else
keeps an `ExportJob` the worker fills (tasks.make_export) and sends the person to its page, which shows the
progress and downloads the file when it is ready. Jobs and their files are removed after `EXPORT_KEEP_HOURS`.
"""
