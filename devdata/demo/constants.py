"""Shared demo constants (demo data is refused under production settings)."""

DEMO_PASSWORD = "qms-demo-2026"  # documented in the README
