"""Certificate and federated credentials: what replaces a client secret with an assertion.

Loading certificates and keys from PEM, DER and PKCS#12 files (`certificate`, with
`cryptography`), what an admin compares with the portal (`summary`), the signed client
assertion Entra expects (`assertion`) and external (federated) assertions read from a file, a
variable or standard input (`federated`). Part of `core.token`: it imports nothing from
`core.insight`, `core.store` or `core.cli`, and no Qt.
"""
