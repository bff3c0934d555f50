"""Reading and explaining tokens and answers.

Decoding tokens (`decode`), the claims catalog (`claims`), the one-glance verdict (`verdict`),
diagnoses of failures (`diagnosis`), signature checks (`signature`) and the JSON catalogs they
read from resources/ (`catalog`). It may use `core.token` (models, authorities); it imports
nothing from `core.store` or `core.cli`, and no Qt (enforced by tests/test_architecture.py).
"""
