"""Check many credentials in one run: what to check (saved profiles or a checks file, with
their secrets), the bounded concurrent runner (shared connections, per-tenant politeness,
Retry-After, one total deadline, cancel), and the reports (lines, JSON, JUnit XML, history).

It sits above `core.token`, `core.insight` and `core.store`, and below the command line and the
window, which both drive it.
"""
