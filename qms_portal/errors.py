"""Domain errors raised by services and turned into HTTP answers at the edge."""


class ConflictError(Exception):
    """The record changed since the caller read it, or someone else acted on it first (HTTP 409)."""
