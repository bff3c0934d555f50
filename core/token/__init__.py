"""Building, checking and sending a token request.

The cloud and authority tables (`authority`), the request models (`models`), the pure request
builder (`request`), the pre-flight checks (`preflight`), the curl/PowerShell exports (`export`)
and the one place that talks HTTP to a token endpoint (`client`). This part is the bottom of the
client side: it imports nothing from `core.insight`, `core.store` or `core.cli`, and no Qt
(enforced by tests/test_architecture.py).
"""
